from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template (an item's anchor, a comparator's words)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
