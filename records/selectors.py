"""Reads for records, each with a fixed number of queries whatever the number of rows or units."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.models import AuditEntry
from orgs.access import form_scope, record_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.fields import FieldDef
from records.models import FormDefinition, Record, RecordEvidence, RecordIndicator
from records.schema import FormSchema

Status = Record.Status
WITH_UNIT = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
PAGE_SIZE = 200


def _overdue(today: dt.date) -> Q:
    """Rows reported late, or still with the unit after their deadline."""
    return Q(is_late=True) | Q(status__in=WITH_UNIT, due_date__lt=today)


# -- forms ----------------------------------------------------------------------------------


def forms_visible_to(*, user: User, plan: Plan) -> QuerySet[FormDefinition]:
    return (
        FormDefinition.objects.filter(plan=plan)
        .filter(form_scope(user))
        .select_related("programme", "plan")
        .order_by("programme__number", "order")
    )


def form_get(*, actor: User, plan: Plan, code: str) -> FormDefinition:
    """One form the actor may open (another department's → 404)."""
    queryset = forms_visible_to(user=actor, plan=plan).prefetch_related("programme__departments")
    return get_object_or_404(queryset, code=code)


def plan_units(*, plan: Plan) -> list[Unit]:
    return list(Unit.objects.filter(plans=plan).order_by("order", "id"))


def unit_in_plan(units: list[Unit], code: str) -> Unit | None:
    return next((u for u in units if u.code == code), None)


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
        late=Count("id", filter=_overdue(today), distinct=True),
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


# -- rows of one form ---------------------------------------------------------------------------


@dataclass
class Column:
    definition: FieldDef

    @property
    def label(self) -> str:
        return self.definition.header()


@dataclass
class RowView:
    record: Record
    cells: list[tuple[str, str]]  # (column header, shown value)
    overdue: bool


def columns_of(schema: FormSchema) -> list[Column]:
    return [Column(f) for f in schema.fields]


def _cells(record: Record, schema: FormSchema, unit_names: dict[int, str]) -> list[tuple[str, str]]:
    values = schema.load_values(record.data)
    files: dict[str, int] = defaultdict(int)
    for e in record.evidence.all():
        files[e.field_code] += 1
    cells = []
    for f in schema.fields:
        if f.type == "file":
            text = f"{files[f.code]} 个文件" if files[f.code] else ""
        else:
            text = f.show(values.get(f.code), unit_names=unit_names)
        cells.append((f.header(), text))
    return cells


def _with_evidence(queryset: QuerySet[Record]) -> QuerySet[Record]:
    return queryset.prefetch_related(
        Prefetch("evidence", queryset=RecordEvidence.objects.only("id", "record_id", "field_code"))
    )


def row_views(
    records, schema: FormSchema, unit_names: dict[int, str], today: dt.date
) -> list[RowView]:
    return [
        RowView(
            r,
            _cells(r, schema, unit_names),
            bool(r.status in WITH_UNIT and r.due_date and r.due_date < today),
        )
        for r in records
    ]


def record_page(
    *,
    actor: User,
    form: FormDefinition,
    unit: Unit | None,
    status: str,
    page: int | str,
) -> Page:
    """One page of the form's rows the actor may see, oldest first."""
    queryset = Record.objects.filter(form=form).filter(record_scope(actor))
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if status:
        queryset = queryset.filter(status=status)
    queryset = _with_evidence(queryset.select_related("unit", "form__plan")).order_by(
        "unit__order", "created_at", "id"
    )
    return Paginator(queryset, PAGE_SIZE).get_page(page)


# -- one row ------------------------------------------------------------------------------------


def record_get(*, actor: User, plan: Plan, pk: int) -> Record:
    """One row the actor may see (another unit's or department's → 404)."""
    queryset = (
        Record.objects.filter(record_scope(actor))
        .filter(form__plan=plan)
        .select_related("form__programme", "form__plan", "unit")
        .prefetch_related("form__programme__departments", "evidence")
    )
    return get_object_or_404(queryset, pk=pk)


def records_for_action(*, actor: User, pks) -> list[Record]:
    """The rows picked for a batch action; any row outside the actor's scope → 404."""
    records = list(
        Record.objects.filter(record_scope(actor))
        .filter(pk__in=pks)
        .select_related("form__programme")
        .prefetch_related("form__programme__departments")
    )
    if len(records) != len(set(pks)):
        raise Http404("没有找到该记录")
    return records


def evidence_get(*, actor: User, pk: int) -> RecordEvidence:
    queryset = RecordEvidence.objects.filter(record_scope(actor, prefix="record__"))
    return get_object_or_404(queryset.select_related("record__form__plan"), pk=pk)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryItem:
    entry: AuditEntry
    changes: list[Change]


def _changes(entry: AuditEntry, schema: FormSchema, unit_names: dict[int, str]) -> list[Change]:
    before = (entry.before or {}).get("data") or {}
    after = (entry.after or {}).get("data") or {}
    if not after:
        return []
    changes = []
    for f in schema.fields:
        if f.type == "file" or before.get(f.code) == after.get(f.code):
            continue
        try:
            old = f.show(f.load(before.get(f.code)), unit_names=unit_names)
            new = f.show(f.load(after.get(f.code)), unit_names=unit_names)
        except (TypeError, ValueError, KeyError, ArithmeticError):
            # An entry written under an older form definition: show the stored text.
            old, new = str(before.get(f.code) or ""), str(after.get(f.code) or "")
        changes.append(Change(f.label, old, new))
    return changes


def record_history(*, record: Record, unit_names: dict[int, str]) -> list[HistoryItem]:
    entries = AuditEntry.objects.filter(
        object_type="records.record", object_id=str(record.pk)
    ).order_by("at", "id")
    schema = record.form.schema
    return [HistoryItem(e, _changes(e, schema, unit_names)) for e in entries]


# -- the department's review queue ---------------------------------------------------------------


@dataclass
class ReviewGroup:
    form: FormDefinition
    columns: list[Column]
    units: list[tuple[Unit, list[RowView]]]

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.units)


def review_queue(*, user: User, today: dt.date) -> list[ReviewGroup]:
    """Confirmed rows waiting for the actor's department, grouped by form, then by unit."""
    records = _with_evidence(
        Record.objects.filter(status=Status.CONFIRMED)
        .filter(record_scope(user))
        .select_related("form__plan", "form__programme", "unit")
        .order_by(
            "form__plan__year",
            "form__programme__number",
            "form__order",
            "unit__order",
            "confirmed_at",
            "id",
        )
    )
    groups: dict[int, ReviewGroup] = {}
    unit_names: dict[int, str] = {}
    for record in records:
        unit_names[record.unit_id] = record.unit.short_name
        group = groups.get(record.form_id)
        if group is None:
            form = record.form
            group = groups[record.form_id] = ReviewGroup(form, columns_of(form.schema), [])
        if not group.units or group.units[-1][0].pk != record.unit_id:
            group.units.append((record.unit, []))
        group.units[-1][1].extend(row_views([record], group.form.schema, unit_names, today))
    return list(groups.values())


# -- the unit's to-do list ----------------------------------------------------------------------


@dataclass
class FormTodo:
    form: FormDefinition
    returned: int
    overdue: int
    drafts: int
    submitted: int


def records_todo_for(*, user: User, today: dt.date) -> list[FormTodo]:
    """Per form, the unit's rows that are returned, overdue, unsent or awaiting the head."""
    counted = (
        Record.objects.filter(unit_id=user.unit_id, status__in=WITH_UNIT)
        .values("form_id")
        .annotate(
            returned=Count("id", filter=Q(status=Status.RETURNED)),
            overdue=Count("id", filter=Q(due_date__lt=today)),
            drafts=Count("id", filter=Q(status=Status.DRAFT)),
            submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        )
    )
    counts = {c["form_id"]: c for c in counted}
    forms = FormDefinition.objects.filter(pk__in=counts).select_related("plan", "programme")
    items = [
        FormTodo(
            f,
            counts[f.pk]["returned"],
            counts[f.pk]["overdue"],
            counts[f.pk]["drafts"],
            counts[f.pk]["submitted"],
        )
        for f in forms.order_by("plan__year", "programme__number", "order")
    ]
    return [i for i in items if i.returned or i.overdue or i.drafts or i.submitted]


def plan_for_unit(*, unit_id: int) -> Plan | None:
    """The latest plan the unit takes part in: where its forms hub is."""
    return Plan.objects.filter(units=unit_id).order_by("-year", "slug").first()
