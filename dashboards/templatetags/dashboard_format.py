import json
from decimal import Decimal

from django import template
from django.utils.html import format_html

from plans.selectors import format_number

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


# A page of the matrix holds a hundred rows of cells: one tag a cell instead of a dozen
# template nodes takes a fifth off the page's rendering (docs/benchmarks.md).
@register.simple_tag
def matrix_cell(cell) -> str:
    """A matrix cell: 已审核累计 / 分解任务 and the completion, coloured by its status."""
    inner = ""
    if cell.allocation is not None or cell.achieved is not None:
        achieved = format_number(cell.achieved) or "0"
        share = format_number(cell.allocation) or "—"
        inner = format_html("{} / {}", achieved, share)
        if cell.completion is not None:
            inner = format_html("{}<br><small>{}</small>", inner, pct(cell.completion))
    return format_html(
        '<td class="up-cell-{}" title="{}">{}</td>',
        cell.status or "none",
        cell.status_label,
        inner,
    )


NOT_HELD = format_html('<td class="up-cell-none" title="{}">—</td>', "不适用")


@register.simple_tag
def rule_cell(cell) -> str:
    """A unit's result on a rule per unit (每单位要求): `cell` is a RuleCell, or None where
    the rule does not hold the unit."""
    if cell is None:
        return NOT_HELD
    title = "；".join([cell.label, *cell.detail])
    return format_html(
        '<td class="up-cell-{} up-rule-cell" title="{}">{}<br><small>{}</small></td>',
        cell.status,
        title,
        cell.result,
        cell.label,
    )
