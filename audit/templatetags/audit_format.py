from django import template

from audit.labels import STATUS_LABELS, event_label

register = template.Library()


@register.filter(name="event_label")
def event_label_filter(event: str) -> str:
    return event_label(event)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status or "", status or "")
