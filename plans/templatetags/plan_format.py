from django import template

from plans.groups import group_name
from plans.levels import Level, plan_level
from plans.models import Indicator, Programme
from plans.selectors import format_number

register = template.Library()

_COMPARATOR_WORDS = {
    Indicator.Comparator.GTE: "以上",
    Indicator.Comparator.GT: "以上（超过）",
    Indicator.Comparator.ABOUT: "左右",
    Indicator.Comparator.NEAR: "",
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
    if indicator.comparator == Indicator.Comparator.NEAR:
        return f"近 {value} {indicator.measure}"
    return f"{value} {indicator.measure}{_COMPARATOR_WORDS[indicator.comparator]}"


@register.filter
def level_of(plan) -> Level | None:
    """The words for `plan`'s issuer (plans.levels); None for no plan, so that
    `plan|level_of|default:level` falls back to the current plan's."""
    return plan_level(plan) if plan else None


@register.filter
def group_of(programme: Programme) -> str:
    """The name of the programme's group in its plan (五大行动)."""
    return group_name(programme.plan, programme.category)
