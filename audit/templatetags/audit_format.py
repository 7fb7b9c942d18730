from django import template

from audit import labels
from audit.labels import STATUS_LABELS

register = template.Library()


@register.filter(name="event_label")
def event_label_filter(event: str) -> str:
    return labels.event_label(event)


@register.filter
def event_area(event: str) -> str:
    return labels.event_area_label(event)


@register.filter
def role_label(role: str) -> str:
    return labels.role_label(role)


@register.filter
def object_type_label(object_type: str) -> str:
    return labels.object_type_label(object_type)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status or "", status or "")
