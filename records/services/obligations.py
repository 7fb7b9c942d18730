"""What a unit owes of a form with a deadline (统计表报送), and when it has met it.

A form due on fixed dates (附件3: 6月15日, 11月25日) or every period (每季度结束后 5 日内) makes,
for each unit in its scope and each due date, one obligation (reporting's Obligation of kind
form). They are made with the plan's other obligations by reporting's `obligations_generate`,
which calls `form_obligation_rows` through the source records registers (records/apps.py). A
form whose rows are due some days after a date the row holds (附件2: 活动结束后一周内) stays
owed row by row, each row judged by its own deadline.

The units in a form's scope: those of the plan's steps delivered as the form (a milestone's
`form:`), else those with a share in, or a per-unit rule on, an indicator the form computes,
else every unit of the plan but its issuer.

An obligation is met by the first of: the unit head's first confirmation of a row of the period
(确认并报送, when a row is reported, reporting/workflow.py), or the unit's 本期无 declaration. Met
after its due date, it is late. A row belongs to the period whose due date is its own
(`Record.due_date`, by the form's deadline rule).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from orgs.models import Unit
from plans.models import Allocation, Milestone, Plan
from plans.selectors import unit_in_scope
from records.models import FormDefinition, NilReturn, Record, RecordIndicator
from reporting.calendar import WorkdayCalendar
from reporting.models import Obligation
from reporting.services.obligations import period_label, progress_periods

FORM = Obligation.Kind.FORM
# The deadline kinds owed as obligations; `relative` and `none` are owed row by row.
OWED = ("dates", "recurring")

# (form code, unit id, date) → the moment it was met that way.
Met = dict[tuple[str, int, dt.date], dt.datetime]


def form_periods_due(form: FormDefinition, plan: Plan) -> list[tuple]:
    """(period start or None, period end, due date by the rule, period) of each due date: the
    fixed dates from the plan's issue on, or the periods from the start of reporting."""
    deadline = form.schema.deadline
    if deadline.kind == "dates":
        dates = [d for d in deadline.dates if d >= plan.issued_on]
        starts = [None, *(d + dt.timedelta(days=1) for d in dates[:-1])]
        return [(start, d, d, "") for start, d in zip(starts, dates, strict=True)]
    if deadline.kind == "recurring":
        after = dt.timedelta(days=deadline.days_after)
        return [
            (start, end, end + after, deadline.every)
            for start, end in progress_periods(plan, deadline.every)
        ]
    return []


def period_when(period: str, end: dt.date) -> str:
    """A form's period as the unit reads it: 2022年第2季度, or 6月15日前报送."""
    return period_label(period, end) if period else f"{end.month}月{end.day}日前报送"


def form_obligation_title(form: FormDefinition, period: str, end: dt.date) -> str:
    name = f"{form.attachment} {form.title}".strip()
    when = period_when(period, end)
    return f"专案{form.programme.number}「{form.programme.title}」{name}（{when}）"


def _scopes(plan: Plan, forms: list[FormDefinition], units: list[Unit]) -> dict[int, list[Unit]]:
    """Form id → the units that owe its rows (see the module's docstring). Three queries."""
    steps: dict[str, list[list[str]]] = defaultdict(list)
    for code, scope in (
        Milestone.objects.filter(programme__plan=plan, actor=Milestone.Actor.UNITS)
        .exclude(form_code="")
        .values_list("form_code", "actor_scope")
    ):
        if scope:
            steps[code].append(scope)
    computes = list(
        RecordIndicator.objects.filter(form__in=forms).values_list(
            "form_id", "indicator_id", "indicator__per_unit_scope"
        )
    )
    sharing: dict[int, set[int]] = defaultdict(set)
    for indicator_id, unit_id in Allocation.objects.filter(
        indicator_id__in=[i for _, i, _ in computes], unit__isnull=False
    ).values_list("indicator_id", "unit_id"):
        sharing[indicator_id].add(unit_id)
    scopes = {}
    for form in forms:
        if steps[form.code]:
            owe = [u for u in units if any(unit_in_scope(u, s) for s in steps[form.code])]
        elif computed := [(i, s) for f, i, s in computes if f == form.pk]:
            owe = [
                u
                for u in units
                if any(u.pk in sharing[i] or unit_in_scope(u, s or []) for i, s in computed)
            ]
        else:
            owe = [u for u in units if u.pk != plan.issuer_id]
        scopes[form.pk] = owe
    return scopes


def _late_policy(form: FormDefinition, step_policies: set[str]) -> str:
    """逾期未报送不予统计 when the form or a step delivered as it says so."""
    exclude = Milestone.LatePolicy.EXCLUDE
    if form.late_policy == exclude or exclude in step_policies:
        return exclude
    return Milestone.LatePolicy.FLAG


def _sent(rows) -> Met:
    """Per form, unit and due date: the first confirmation of one of `rows`. One query."""
    firsts = (
        rows.filter(confirmed_at__isnull=False, due_date__isnull=False)
        .order_by()
        .values("form__code", "unit_id", "due_date")
        .annotate(first=Min("confirmed_at"))
        .values_list("form__code", "unit_id", "due_date", "first")
    )
    return {(code, unit, due): first for code, unit, due, first in firsts}


def _declared(obligations: Q) -> Met:
    """Per form, unit and period end: the current 本期无 of the obligations. One query."""
    current = NilReturn.objects.filter(obligations, withdrawn_at__isnull=True).values_list(
        "obligation__form_code", "obligation__unit_id", "obligation__period_end", "declared_at"
    )
    return {(code, unit, end): at for code, unit, end, at in current}


def met_by(
    sent: Met, declared: Met, *, code: str, unit_id: int, end: dt.date, due: dt.date
) -> tuple[dt.datetime | None, bool]:
    """When the period was met (None: not yet), and whether that was after its due date."""
    times = [t for t in (sent.get((code, unit_id, due)), declared.get((code, unit_id, end))) if t]
    if not times:
        return None, False
    first = min(times)
    return first, timezone.localdate(first) > due


def form_obligation_rows(
    *, plan: Plan, units: list[Unit], calendar: WorkdayCalendar, reviewers: dict[int, int]
) -> list[dict]:
    """Every unit's obligations of the plan's forms due on dates or every period, each as met
    as its rows and 本期无 say, for reporting's `obligations_generate`. Seven queries."""
    forms = [
        f
        for f in FormDefinition.objects.filter(plan=plan).select_related("programme")
        if f.schema.deadline.kind in OWED
    ]
    if not forms:
        return []
    scopes = _scopes(plan, forms, units)
    policies: dict[str, set[str]] = defaultdict(set)
    for code, policy in (
        Milestone.objects.filter(programme__plan=plan)
        .exclude(form_code="")
        .values_list("form_code", "late_policy")
    ):
        policies[code].add(policy)
    sent = _sent(Record.objects.filter(form__in=forms))
    declared = _declared(Q(obligation__plan=plan, obligation__kind=FORM))
    rows = []
    for form in forms:
        late_policy = _late_policy(form, policies[form.code])
        for start, end, rule_due, period in form_periods_due(form, plan):
            due = calendar.roll_forward(rule_due)
            title = form_obligation_title(form, period, end)
            for unit in scopes[form.pk]:
                met_at, met_late = met_by(
                    sent, declared, code=form.code, unit_id=unit.pk, end=end, due=due
                )
                rows.append(
                    {
                        "plan_id": plan.pk,
                        "unit_id": unit.pk,
                        "programme_id": form.programme_id,
                        "kind": FORM,
                        "milestone_id": None,
                        "period": period,
                        "period_start": start,
                        "period_end": end,
                        "title": title,
                        "rule_due_date": rule_due,
                        "due_date": due,
                        "late_policy": late_policy,
                        "reviewer_department_id": reviewers.get(form.programme_id),
                        "form_code": form.code,
                        "met_at": met_at,
                        "met_late": met_late,
                    }
                )
    return rows


def form_obligations_refresh(*, form: FormDefinition, unit_ids: Iterable[int]) -> int:
    """The units' obligations of `form` met, or no longer met, as their rows and 本期无 now
    say: after a row is confirmed or changed, a 本期无 declared or withdrawn. Returns how many
    changed; four queries at most."""
    obligations = list(
        Obligation.objects.filter(
            plan_id=form.plan_id, kind=FORM, form_code=form.code, unit_id__in=set(unit_ids)
        )
    )
    if not obligations:
        return 0
    units = {o.unit_id for o in obligations}
    sent = _sent(Record.objects.filter(form=form, unit_id__in=units))
    declared = _declared(Q(obligation__in=obligations))
    changed = []
    for o in obligations:
        met = met_by(
            sent, declared, code=o.form_code, unit_id=o.unit_id, end=o.period_end, due=o.due_date
        )
        if (o.met_at, o.met_late) != met:
            o.met_at, o.met_late = met
            changed.append(o)
    Obligation.objects.bulk_update(changed, ["met_at", "met_late"])
    return len(changed)


def form_obligation_url(obligation: Obligation) -> str:
    """Where a unit answers a form's obligation: the form's page (rows and 本期无)."""
    kwargs = {"slug": obligation.plan.slug, "code": obligation.form_code}
    return reverse("records:rows", kwargs=kwargs)


def form_obligations_acted_on() -> Q:
    """A 本期无 declared on it, even withdrawn since: the obligation is never deleted."""
    return Q(nil_returns__isnull=False)
