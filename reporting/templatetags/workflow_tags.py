"""The review workflow on pages: a state's badge, and whether any offered step needs a reason.
Templates never compare state names: what a user may do comes from `workflow.actions_for`."""

from django import template
from django.utils.html import format_html

from reporting import workflow

register = template.Library()


@register.simple_tag
def status_badge(status: str | None):
    """The state's badge; an empty state is a report never saved (未填报)."""
    if not status:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>', workflow.NEVER_SAVED
        )
    return format_html(
        '<span class="badge {}">{}</span>',
        workflow.BADGES.get(status, "text-bg-light border"),
        workflow.Status(status).label if status in workflow.Status.values else status,
    )


@register.filter
def needs_reason(actions) -> bool:
    return any(a.needs_reason for a in actions or ())
