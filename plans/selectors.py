"""Reads for plans. Each selector runs a fixed number of queries, whatever the number of units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from common import clock
from orgs.access import plan_scope
from orgs.models import Unit
from plans import extensions
from plans.models import (
    Allocation,
    AllocationColumn,
    AllocationRow,
    AllocationTable,
    Indicator,
    Milestone,
    Plan,
    Programme,
    ProgrammeDepartment,
    Rubric,
)
from plans.planfile.dates import DateRule


def plan_list(*, actor) -> QuerySet[Plan]:
    """The plans `actor` works on (orgs.access.plan_scope), newest first."""
    return Plan.objects.filter(plan_scope(actor)).select_related("issuer").order_by("-year", "slug")


def plan_get(*, slug: str, actor) -> Plan:
    """The plan, if `actor` works on it; another federation's plan is a 404."""
    return get_object_or_404(plan_list(actor=actor), slug=slug)


def plan_latest(*, actor) -> Plan | None:
    """The plan the menus and the home page open: the running plan of this year, else the
    newest one. Next year's plan, drafted or published early, does not take the current
    year's place before its year begins."""
    plans = plan_list(actor=actor)
    this_year = clock.today().year
    current = (
        plans.filter(year=this_year, status=Plan.Status.PUBLISHED).first()
        or plans.filter(year__lte=this_year).exclude(status=Plan.Status.DRAFT).first()
    )
    return current or plans.first()


def derived_plans(*, plan: Plan, actor) -> dict[int, Plan]:
    """Issuer unit id → the plan that unit issued to carry out `plan` (plans.cascade), among
    those `actor` may read: a matrix row of such a unit drills down into its plan."""
    return {p.issuer_id: p for p in plan_list(actor=actor).filter(parent=plan)}


def parent_plan(*, plan: Plan, actor) -> Plan | None:
    """The plan `plan` carries out, if `actor` may read it."""
    if plan.parent_id is None:
        return None
    return plan_list(actor=actor).filter(pk=plan.parent_id).first()


def _programmes(plan: Plan, *, number: int | None = None) -> QuerySet[Programme]:
    rows = AllocationRow.objects.select_related("unit").prefetch_related(
        Prefetch("allocations", queryset=Allocation.objects.order_by("indicator__order"))
    )
    tables = AllocationTable.objects.prefetch_related(
        Prefetch("columns", queryset=_columns()), Prefetch("rows", queryset=rows)
    )
    queryset = Programme.objects.filter(plan=plan).prefetch_related(
        Prefetch(
            "programmedepartment_set",
            queryset=ProgrammeDepartment.objects.select_related("department"),
            to_attr="department_links",
        ),
        Prefetch(
            "indicators", queryset=Indicator.objects.select_related("column").order_by("order")
        ),
        Prefetch("tables", queryset=tables),
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("actor_departments")),
        Prefetch("rubrics", queryset=Rubric.objects.prefetch_related("criteria")),
    )
    if number is not None:
        queryset = queryset.filter(number=number)
    return queryset


def _columns() -> QuerySet[AllocationColumn]:
    return AllocationColumn.objects.select_related("indicator").order_by("order")


def plan_programmes(*, plan: Plan) -> list[Programme]:
    """Every programme with its indicators, tables, milestones and rubrics (fixed queries)."""
    return list(_programmes(plan))


def programme_get(*, plan: Plan, number: int) -> Programme:
    return get_object_or_404(_programmes(plan, number=number))


def indicator_get(*, plan: Plan, code: str) -> Indicator:
    """One indicator of `plan` by its code, with its programme's other indicators (for the
    edit page's 其中 choices); 404 if the plan has none of that code."""
    return get_object_or_404(
        Indicator.objects.select_related("programme__plan__issuer", "part_of").prefetch_related(
            Prefetch("programme__indicators", queryset=Indicator.objects.order_by("order"))
        ),
        plan=plan,
        code=code,
    )


def milestone_get(*, plan: Plan, number: int, order: int) -> Milestone:
    """Step `order` of programme `number` of `plan`; 404 if there is none."""
    return get_object_or_404(
        Milestone.objects.select_related("programme__plan__issuer").prefetch_related(
            "actor_departments"
        ),
        programme__plan=plan,
        programme__number=number,
        order=order,
    )


def programme_forms(*, programme: Programme) -> list[dict]:
    """The programme's forms in words (described by records, which registers in
    plans.extensions)."""
    return extensions.programme_forms(programme=programme)


def programme_panels(*, programme: Programme) -> list[dict]:
    """What apps above show on the programme page (campaigns' 评选), each panel with the
    template that renders it (plans.extensions)."""
    return extensions.programme_panels(programme=programme)


def table_get(*, plan: Plan, code: str) -> AllocationTable:
    rows = AllocationRow.objects.select_related("unit").prefetch_related("allocations")
    return get_object_or_404(
        AllocationTable.objects.select_related("programme").prefetch_related(
            Prefetch("columns", queryset=_columns()), Prefetch("rows", queryset=rows)
        ),
        plan=plan,
        code=code,
    )


def plan_units(*, plan: Plan) -> list[Unit]:
    return list(
        plan.units.select_related("parent").prefetch_related("aliases").order_by("order", "id")
    )


# -- a table laid out as printed ------------------------------------------------------------


@dataclass
class TableLayout:
    table: AllocationTable
    headers: list[str]
    indicators: list[Indicator]
    rows: list[tuple[AllocationRow, list[Decimal | None]]]
    declared: list[Decimal | None]
    sums: list[Decimal]

    @property
    def mismatches(self) -> list[bool]:
        return [d is not None and d != s for d, s in zip(self.declared, self.sums, strict=True)]

    @property
    def sum_cells(self) -> list[tuple[Decimal, bool]]:
        return list(zip(self.sums, self.mismatches, strict=True))


def table_layout(table: AllocationTable) -> TableLayout:
    """Rows × columns of a prefetched table, with the printed totals and the computed sums."""
    columns = list(table.columns.all())
    index = {c.indicator_id: i for i, c in enumerate(columns)}
    rows = []
    sums = [Decimal(0)] * len(columns)
    for row in table.rows.all():
        values: list[Decimal | None] = [None] * len(columns)
        for cell in row.allocations.all():
            i = index[cell.indicator_id]
            values[i] = cell.value
            sums[i] += cell.value
        rows.append((row, values))
    return TableLayout(
        table=table,
        headers=[c.header for c in columns],
        indicators=[c.indicator for c in columns],
        rows=rows,
        declared=[c.declared_total for c in columns],
        sums=sums,
    )


# -- one unit's list of obligations (一单位一清单) ---------------------------------------------


@dataclass
class UnitDuty:
    programme: Programme
    indicator: Indicator | None = None
    allocation: Decimal | None = None
    per_unit: str = ""
    milestone: Milestone | None = None
    due: dt.date | None = None
    due_text: str = ""


@dataclass
class UnitChecklist:
    unit: Unit
    targets: list[UnitDuty] = field(default_factory=list)
    steps: list[UnitDuty] = field(default_factory=list)


def unit_in_scope(unit: Unit, scope: list[str]) -> bool:
    return unit.kind in scope or unit.name in scope


def milestone_rule(m: Milestone) -> DateRule:
    return DateRule(
        kind=m.kind,
        start=m.start_date,
        end=m.end_date,
        dates=tuple(dt.date.fromisoformat(d) for d in m.dates),
        recurrence=m.recurrence,
        relative_event=m.relative_event,
        relative_days=m.relative_days,
    )


def unit_checklist(*, plan: Plan, unit: Unit) -> UnitChecklist:
    """Everything `unit` owes under `plan`: its allocations, per-unit rules and dated steps."""
    checklist = UnitChecklist(unit=unit)
    allocations = {
        a.indicator_id: a.value for a in Allocation.objects.filter(unit=unit, indicator__plan=plan)
    }
    programmes = Programme.objects.filter(plan=plan).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order")),
        Prefetch("milestones", queryset=Milestone.objects.filter(actor=Milestone.Actor.UNITS)),
    )
    for programme in programmes:
        for indicator in programme.indicators.all():
            rule = (
                _per_unit_text(indicator) if unit_in_scope(unit, indicator.per_unit_scope) else ""
            )
            if indicator.pk in allocations or rule:
                checklist.targets.append(
                    UnitDuty(
                        programme=programme,
                        indicator=indicator,
                        allocation=allocations.get(indicator.pk),
                        per_unit=rule,
                        due=indicator.due_date,
                    )
                )
        for milestone in programme.milestones.all():
            if unit_in_scope(unit, milestone.actor_scope):
                rule = milestone_rule(milestone)
                occurrences = rule.occurrences()
                checklist.steps.append(
                    UnitDuty(
                        programme=programme,
                        milestone=milestone,
                        due=occurrences[0] if occurrences else None,
                        due_text=rule.describe(),
                    )
                )
    checklist.steps.sort(key=lambda d: (d.due or dt.date.max, d.programme.number))
    return checklist


def _per_unit_text(indicator: Indicator) -> str:
    lo, hi = indicator.per_unit_min, indicator.per_unit_max
    fmt = format_number
    if lo is not None and hi is not None:
        return f"每单位 {fmt(lo)}–{fmt(hi)} {indicator.measure}"
    if lo is not None:
        return f"每单位不少于 {fmt(lo)} {indicator.measure}"
    if hi is not None:
        return f"每单位不超过 {fmt(hi)} {indicator.measure}"
    if indicator.per_unit_scope:  # contributors: no rule, no share
        return "共同完成，不分解到单位"
    return ""


def format_number(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,}"


def units_checklist_counts(*, plan: Plan) -> dict[int, int]:
    """Number of allocations per unit id, for the unit directory page."""
    return dict(
        Allocation.objects.filter(indicator__plan=plan, unit__isnull=False)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
