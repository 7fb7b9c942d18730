"""The forms hub: every form with its rows counted, the per-unit share and the plan's rules per
unit over the forms (records.selectors.rules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from orgs.access import record_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.models import FormDefinition, Record, RecordIndicator
from records.schema import FormSchema
from records.selectors.common import forms_visible_to, overdue_filter
from records.selectors.rules import Judgement, unit_rules_judge

# -- the hub: every form with its counts -----------------------------------------------------


@dataclass
class HubRow:
    form: FormDefinition
    counts: dict[str, int] = field(default_factory=dict)
    noncompliant: int = 0
    late: int = 0
    requirement: str = ""  # the per-unit rule and how the unit (or the units) stand
    requirement_met: bool | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def deadline(self) -> str:
        return self.form.schema.deadline.describe()


@dataclass
class Hub:
    rows: list[HubRow]
    # The plan's rules per unit over these forms (records.selectors.rules), judged on the
    # rows entered so far: every one for one unit; for all units, those not met.
    rules: list[Judgement]
    rules_met: int = 0


def _range_text(low: int | None, high: int | None, measure: str) -> str:
    if low and high:
        return f"{low} {measure}" if low == high else f"{low}—{high} {measure}"
    return f"不少于 {low} {measure}" if low else f"不超过 {high} {measure}"


def _measure(form: FormDefinition) -> str:
    """The measure word of the indicator counted from the form (样, 个), else 条."""
    counted = [c for c in form.computes.all() if c.aggregate == RecordIndicator.Aggregate.COUNT]
    return counted[0].indicator.measure if counted and counted[0].indicator.measure else "条"


def _meets(n: int, schema: FormSchema) -> bool:
    low, high = schema.per_unit_min, schema.per_unit_max
    return (low is None or n >= low) and (high is None or n <= high)


def _requirement(row: HubRow, per_unit: dict[int, int], units: list[Unit], unit: Unit | None):
    schema = row.form.schema
    if schema.per_unit_min is None and schema.per_unit_max is None:
        return
    measure = _measure(row.form)
    wanted = _range_text(schema.per_unit_min, schema.per_unit_max, measure)
    if unit is not None:
        n = per_unit.get(unit.pk, 0)
        row.requirement = f"已填报 {n} {measure}，应填报 {wanted}"
        row.requirement_met = _meets(n, schema)
        return
    # The federation itself issues the plan and is not held to a unit's share.
    held = [u for u in units if u.kind != Unit.Kind.FEDERATION]
    short = [u for u in held if not _meets(per_unit.get(u.pk, 0), schema)]
    row.requirement = f"每单位应填报 {wanted}；{len(short)} 个单位未达到"
    row.requirement_met = not short


def hub_get(*, user: User, plan: Plan, unit: Unit | None, units: list[Unit], today) -> Hub:
    """Every form the user may open with its rows counted, for one unit or for all."""
    forms = list(
        forms_visible_to(user=user, plan=plan).prefetch_related(
            Prefetch("computes", queryset=RecordIndicator.objects.select_related("indicator"))
        )
    )
    rows = Record.objects.filter(form__plan=plan).filter(record_scope(user))
    if unit is not None:
        rows = rows.filter(unit=unit)
    counted = rows.values("form_id", "unit_id", "status").annotate(
        n=Count("id", distinct=True),
        noncompliant=Count("id", filter=Q(is_compliant=False), distinct=True),
        late=Count("id", filter=overdue_filter(today), distinct=True),
    )
    by_form = {f.pk: HubRow(f) for f in forms}
    per_unit: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c in counted:
        row = by_form.get(c["form_id"])
        if row is None:
            continue
        row.counts[c["status"]] = row.counts.get(c["status"], 0) + c["n"]
        row.noncompliant += c["noncompliant"]
        row.late += c["late"]
        per_unit[c["form_id"]][c["unit_id"]] += c["n"]
    for row in by_form.values():
        _requirement(row, per_unit[row.form.pk], units, unit)
    judged = unit_rules_judge(
        plan=plan,
        as_of=today,
        units=[unit] if unit is not None else units,
        entered=True,
        form_codes={f.code for f in forms},
    )
    shown = judged if unit is not None else [j for j in judged if not j.met]
    return Hub(rows=list(by_form.values()), rules=shown, rules_met=len(judged) - len(shown))
