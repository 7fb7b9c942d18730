"""Plans that carry out a parent federation's plan: targets cascade down, figures roll up.

A county federation is a unit of its city's plan, with shares in the city's tables. Its own
plan names the city's plan as `parent`, and an indicator of it may name the parent indicator
it `serves`: when the file gives no target, the county's share in the city's table is the
target (no number typed twice), and the county's approved total of it prefills the county's
report to the city (reporting.selectors.derived_figures), which the city then reviews as any
other report. Whether the parent and its indicators exist needs the database, so it is
checked here, beside `plans.owners`, before anything is loaded.
"""

from __future__ import annotations

from decimal import Decimal

from orgs.models import Unit
from plans.models import Allocation, Indicator, Plan
from plans.owners import issuer_in_database, issuer_spec, owner_problems
from plans.planfile.data import PlanSpec


def load_problems(spec: PlanSpec) -> list[str]:
    """Everything the database says against loading `spec`, each with its place in the
    file: what it would change of another federation, and what its parent plan refuses."""
    return owner_problems(spec) + parent_problems(spec) + derived_problems(spec)


def parent_of(spec: PlanSpec) -> Plan | None:
    return Plan.objects.filter(slug=spec.parent).select_related("issuer").first()


def _served(spec: PlanSpec):
    for pi, p in enumerate(spec.programmes):
        for j, i in enumerate(p.indicators):
            if i.serves:
                yield f"programmes[{pi}].indicators[{j}]", i


def _shares(parent: Plan, issuer: Unit | None) -> dict[str, Decimal]:
    """The issuer's share of each parent indicator, by the parent indicator's code."""
    if issuer is None:
        return {}
    return dict(
        Allocation.objects.filter(indicator__plan=parent, unit=issuer).values_list(
            "indicator__code", "value"
        )
    )


def parent_problems(spec: PlanSpec) -> list[str]:
    if not spec.parent:
        return []
    parent = parent_of(spec)
    if parent is None:
        return [f"plan.parent: 找不到标识为「{spec.parent}」的上级方案（请先导入上级方案）"]
    if parent.slug == spec.slug:
        return ["plan.parent: 方案不能以自己为上级方案"]
    issuer = issuer_in_database(spec)
    if issuer is None or not parent.units.filter(pk=issuer.pk).exists():
        return [
            f"plan.parent: 发文单位「{issuer_spec(spec).name}」不在上级方案"
            f"「{parent.title}」的单位中（上级方案的单位应写 code: {issuer_spec(spec).code}）"
        ]
    if parent.issuer_id == issuer.pk:
        return [f"plan.parent: 「{parent.title}」是本单位自己发布的方案，不能作为上级方案"]
    wanted = {i.serves for _, i in _served(spec)}
    measures = dict(
        Indicator.objects.filter(plan=parent, code__in=wanted).values_list("code", "measure")
    )
    shares = _shares(parent, issuer)
    problems = []
    for loc, i in _served(spec):
        if i.serves not in measures:
            problems.append(
                f"{loc}.serves: 上级方案「{parent.title}」没有代码为「{i.serves}」的指标"
            )
            continue
        if measures[i.serves] != i.measure:
            problems.append(
                f"{loc}.measure: 计量单位「{i.measure}」与上级指标「{i.serves}」的"
                f"「{measures[i.serves]}」不同"
            )
        share = shares.get(i.serves)
        if i.target is not None and share is not None and i.target / i.target_denominator < share:
            problems.append(
                f"{loc}.target: 目标 {i.target} 低于上级方案分解给本单位的任务 {share}"
                "（可不写 target，直接采用上级分解数）"
            )
    return problems


def derived_problems(spec: PlanSpec) -> list[str]:
    """A plan being loaded again may not drop an indicator a child plan serves."""
    kept = {i.code for p in spec.programmes for i in p.indicators}
    served = (
        Indicator.objects.filter(serves__plan__slug=spec.slug)
        .exclude(serves__code__in=kept)
        .values_list("serves__code", "plan__title", "code")
    )
    return [
        f"指标「{parent_code}」被下级方案「{child}」的指标「{code}」服务，不能删除"
        "（请先修改下级方案）"
        for parent_code, child, code in served
    ]


def inherited(spec: PlanSpec) -> dict[str, dict]:
    """For each indicator of `spec` that serves a parent indicator: its link, and, when the
    file gives no target, the issuer's share as target (with the parent's comparator unless
    the file gives one). Keyed by the indicator's code; fields as `Indicator` names them."""
    if not spec.parent:
        return {}
    parent = parent_of(spec)
    if parent is None:
        return {}
    ids = dict(Indicator.objects.filter(plan=parent).values_list("code", "pk"))
    comparators = dict(Indicator.objects.filter(plan=parent).values_list("code", "comparator"))
    shares = _shares(parent, issuer_in_database(spec))
    result = {}
    for _, i in _served(spec):
        fields: dict = {"serves_id": ids.get(i.serves), "target_from_parent": False}
        share = shares.get(i.serves)
        if i.target is None and share is not None:
            fields |= {"target": share, "target_denominator": 1, "target_from_parent": True}
            if not i.comparator_given:
                fields["comparator"] = comparators[i.serves]
        result[i.code] = fields
    return result
