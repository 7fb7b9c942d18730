from django import template

from plans.models import Indicator
from plans.selectors import format_number

register = template.Library()

_COMPARATOR_WORDS = {
    Indicator.Comparator.GTE: "以上",
    Indicator.Comparator.GT: "以上（超过）",
    Indicator.Comparator.ABOUT: "左右",
    Indicator.Comparator.EQ: "",
}


@register.filter
def num(value):
    """1,000-separated numbers without trailing .00; blank for None."""
    return format_number(value)


@register.filter
def target_text(indicator: Indicator) -> str:
    if indicator.target is None:
        column = getattr(indicator, "column", None)  # prefetched by the selectors
        if column is not None and column.declared_total is not None:
            return f"分解表合计 {format_number(column.declared_total)} {indicator.measure}"
        return "见分解表" if column is not None else "—"
    if indicator.target_denominator != 1:
        value = f"{format_number(indicator.target)}/{indicator.target_denominator}"
        return f"{value}{_COMPARATOR_WORDS[indicator.comparator]}"
    value = format_number(indicator.target)
    if indicator.comparator == Indicator.Comparator.GT:
        return f"超过 {value} {indicator.measure}"
    return f"{value} {indicator.measure}{_COMPARATOR_WORDS[indicator.comparator]}"
