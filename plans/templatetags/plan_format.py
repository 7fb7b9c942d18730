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
    """The target as the notice prints it: 1,000 万元以上 for money printed in 万元."""
    measure = indicator.shown_measure
    if indicator.target is None:
        column = getattr(indicator, "column", None)  # prefetched by the selectors
        if column is not None and column.declared_total is not None:
            return f"分解表合计 {shown(column.declared_total, indicator)} {measure}"
        return "见分解表" if column is not None else "—"
    if indicator.target_denominator != 1:
        value = f"{format_number(indicator.target)}/{indicator.target_denominator}"
        return f"{value}{_COMPARATOR_WORDS[indicator.comparator]}"
    value = shown(indicator.target, indicator)
    if indicator.comparator == Indicator.Comparator.GT:
        return f"超过 {value} {measure}"
    if indicator.comparator == Indicator.Comparator.NEAR:
        return f"近 {value} {measure}"
    return f"{value} {measure}{_COMPARATOR_WORDS[indicator.comparator]}"


@register.filter
def shown(value, indicator: Indicator) -> str:
    """A target or figure of `indicator` in the measure its target is shown in (a figure of
    10,000,000 元 is 1,000 beside a target of 1,000 万元); blank for None."""
    return format_number(indicator.shown(value))


@register.filter
def shown_each(values, indicators) -> list:
    """`values`, one per indicator of `indicators` in step, each in its shown measure."""
    return [indicator.shown(v) for v, indicator in zip(values, indicators, strict=True)]


@register.filter
def in_part_order(indicators) -> list[Indicator]:
    """`indicators` with each part (其中) right after its whole, the rest in their order."""
    indicators = list(indicators)
    present = {i.pk for i in indicators}
    parts: dict[int, list[Indicator]] = {}
    for i in indicators:
        if i.part_of_id in present:
            parts.setdefault(i.part_of_id, []).append(i)
    ordered = []
    for i in indicators:
        if i.part_of_id not in present:
            ordered += [i, *parts.get(i.pk, [])]
    return ordered


@register.filter
def level_of(plan) -> Level | None:
    """The words for `plan`'s issuer (plans.levels); None for no plan, so that
    `plan|level_of|default:level` falls back to the current plan's."""
    return plan_level(plan) if plan else None


@register.filter
def group_of(programme: Programme) -> str:
    """The name of the programme's group in its plan (五大行动)."""
    return group_name(programme.plan, programme.category)
