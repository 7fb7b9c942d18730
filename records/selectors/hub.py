"""The forms hub: every form with its rows counted, the per-unit share and the per-team rule."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from orgs.access import record_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.models import FormDefinition, Record, RecordIndicator
from records.schema import FormSchema
from records.selectors.common import forms_visible_to, overdue_filter

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


@dataclass(frozen=True)
class PerTeamRule:
    """A rule across two forms: each team registered in one form needs `minimum` rows in the
    other. The plan-file format checks one row or one form at a time; the 2022 notice's only
    rule across forms (每支服务分队不少于 4 次集中公益法律服务活动) is declared here."""

    teams_form: str
    team_field: str
    activities_form: str
    activity_team_field: str
    minimum: int
    text: str


PER_TEAM_RULES = (
    PerTeamRule(
        "legal-teams", "name", "legal-activities", "team", 4, "每支服务分队不少于 4 次活动"
    ),
)


@dataclass
class TeamShortfall:
    unit: Unit
    team: str
    activities: int


@dataclass
class TeamCheck:
    rule: PerTeamRule
    teams: int
    short: list[TeamShortfall]


@dataclass
class Hub:
    rows: list[HubRow]
    team_checks: list[TeamCheck]


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


def _normal_team(name: Any) -> str:
    return re.sub(r"\s+", "", str(name or "")).lower()


def _team_checks(
    rows: QuerySet[Record], forms: list[FormDefinition], units: dict[int, Unit]
) -> list[TeamCheck]:
    codes = {f.code for f in forms}
    rules = [r for r in PER_TEAM_RULES if {r.teams_form, r.activities_form} <= codes]
    if not rules:
        return []
    wanted = {c for r in rules for c in (r.teams_form, r.activities_form)}
    data: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for code, unit_id, values in rows.filter(form__code__in=wanted).values_list(
        "form__code", "unit_id", "data"
    ):
        data[code].append((unit_id, values or {}))
    checks = []
    for rule in rules:
        held: dict[tuple[int, str], int] = defaultdict(int)
        for unit_id, values in data[rule.activities_form]:
            held[(unit_id, _normal_team(values.get(rule.activity_team_field)))] += 1
        teams = data[rule.teams_form]
        short = []
        for unit_id, values in teams:
            name = str(values.get(rule.team_field) or "")
            n = held[(unit_id, _normal_team(name))]
            if n < rule.minimum and unit_id in units:
                short.append(TeamShortfall(units[unit_id], name, n))
        short.sort(key=lambda s: (s.unit.order, s.team))
        checks.append(TeamCheck(rule, len(teams), short))
    return checks


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
    return Hub(
        rows=list(by_form.values()),
        team_checks=_team_checks(rows, forms, {u.pk: u for u in units}),
    )
