import json
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.532 → 53.2%; blank for None."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


@register.filter
def status_count(overview, status: str) -> int:
    return overview.count(status)


@register.filter
def series_json(trend) -> str:
    """A trend as JSON for a data attribute (escaped by the template, read by charts.js)."""
    return json.dumps({"x": [label for label, _ in trend], "y": [v for _, v in trend]})


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: a matrix row's unit looked up in a dictionary by its id."""
    return mapping.get(key) if mapping else None
