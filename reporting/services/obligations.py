"""Turning a loaded plan into what each unit owes, with due dates on the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from common.sync import SyncCounter, sync_rows
from orgs.models import Department
from plans.models import Allocation, Indicator, Milestone, Plan, Programme, ProgrammeDepartment
from plans.selectors import milestone_rule, unit_in_scope
from reporting.calendar import WorkdayCalendar
from reporting.extensions import obligation_sources
from reporting.models import Obligation

_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_year": 6, "year": 12}


@dataclass
class ObligationResult:
    counts: SyncCounter
    kept_with_reports: list[Obligation] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)


def period_label(period: str, end: dt.date) -> str:
    if period == "monthly":
        return f"{end.year}年{end.month}月"
    if period == "quarterly":
        return f"{end.year}年第{(end.month - 1) // 3 + 1}季度"
    if period == "half_year":
        return f"{end.year}年{'上' if end.month <= 6 else '下'}半年"
    return f"{end.year}年度"


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def progress_periods(plan: Plan, period: str) -> list[tuple[dt.date, dt.date]]:
    """Calendar periods of the plan year from the first reported month on."""
    start = plan.progress_from or _month_end(plan.issued_on.year, plan.issued_on.month) + (
        dt.timedelta(days=1)
    )
    step = _PERIOD_MONTHS[period]
    periods = []
    for last in range(step, 13, step):
        begin = dt.date(plan.year, last - step + 1, 1)
        end = _month_end(plan.year, last)
        if end >= start:
            periods.append((max(begin, start), end))
    return periods


def progress_due(plan: Plan, period_end: dt.date) -> dt.date:
    following = period_end + dt.timedelta(days=1)
    return following.replace(day=plan.progress_due_day)


def _reviewers(plan: Plan) -> dict[int, int]:
    """Each programme's reviewing department: the first the text names, else the first assigned."""
    chosen: dict[int, tuple[int, str]] = {}
    for link in ProgrammeDepartment.objects.filter(programme__plan=plan).order_by("order"):
        current = chosen.get(link.programme_id)
        if current is None or (current[1] != "text" and link.source == "text"):
            chosen[link.programme_id] = (link.department_id, link.source)
    return {programme_id: department for programme_id, (department, _) in chosen.items()}


def document_title(programme: Programme, milestone: Milestone) -> str:
    return f"专案{programme.number}「{programme.title}」{milestone.deliverable or milestone.title}"


@transaction.atomic
def obligations_generate(*, plan: Plan) -> ObligationResult:
    """Create or update every unit's obligations under `plan`; idempotent.

    Obligations no longer implied by the plan are deleted unless a unit has reported on them
    (or met a form's, or declared 本期无 on it): those are kept and listed, never deleted with
    their data. A draft or closed plan owes nothing new (Plan.require_open). Apps above add
    obligations of their own kinds (reporting.extensions: records' forms).
    """
    plan.require_open()
    calendar = WorkdayCalendar(range(plan.year, plan.year + 2))
    units = list(plan.units.all())
    programmes = {p.pk: p for p in Programme.objects.filter(plan=plan)}
    reviewers = _reviewers(plan)
    # A step delivered to a department names one of the issuing federation's own.
    departments = {d.name: d.pk for d in Department.objects.filter(federation_id=plan.issuer_id)}
    rows: list[dict] = []
    indicator_sets: dict[tuple, set[int]] = {}

    owed: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    # Indicators counted from a form's records are not typed in again as progress figures.
    allocations = Allocation.objects.filter(
        indicator__plan=plan, unit__isnull=False, indicator__record_source__isnull=True
    )
    for a in allocations.select_related("indicator"):
        owed[(a.unit_id, a.indicator.programme_id, a.indicator.period)].add(a.indicator_id)
    scoped = Indicator.objects.filter(plan=plan, record_source__isnull=True)
    for indicator in scoped.exclude(per_unit_scope=[]):
        for unit in units:
            if unit_in_scope(unit, indicator.per_unit_scope):
                owed[(unit.pk, indicator.programme_id, indicator.period)].add(indicator.pk)

    for (unit_id, programme_id, period), indicator_ids in owed.items():
        programme = programmes[programme_id]
        for start, end in progress_periods(plan, period):
            rule_due = progress_due(plan, end)
            key = (unit_id, programme_id, Obligation.Kind.PROGRESS, period, end, None, "")
            indicator_sets[key] = indicator_ids
            rows.append(
                {
                    "plan_id": plan.pk,
                    "unit_id": unit_id,
                    "programme_id": programme_id,
                    "kind": Obligation.Kind.PROGRESS,
                    "milestone_id": None,
                    "period": period,
                    "period_start": start,
                    "period_end": end,
                    "title": f"专案{programme.number}「{programme.title}」"
                    f"{period_label(period, end)}进度",
                    "rule_due_date": rule_due,
                    "due_date": calendar.roll_forward(rule_due),
                    "late_policy": plan.progress_late_policy,
                    "reviewer_department_id": reviewers.get(programme_id),
                    "form_code": "",
                }
            )

    # A step delivered as rows of a form is owed through the form's page, not as a document.
    milestones = (
        Milestone.objects.filter(programme__plan=plan, actor=Milestone.Actor.UNITS)
        .exclude(deliverable="")
        .filter(form_code="")
    )
    milestones = list(milestones)
    moved = _move_corrected_deadlines(plan, milestones, calendar)
    for milestone in milestones:
        rule = milestone_rule(milestone)
        reviewer = departments.get(milestone.deliver_to) or reviewers.get(milestone.programme_id)
        rows.extend(
            {
                "plan_id": plan.pk,
                "unit_id": unit.pk,
                "programme_id": milestone.programme_id,
                "kind": Obligation.Kind.DOCUMENT,
                "milestone_id": milestone.pk,
                "period": "",
                "period_start": rule.start,
                "period_end": due,
                # Named with its programme: two programmes may each ask for a 实施方案.
                "title": document_title(programmes[milestone.programme_id], milestone),
                "rule_due_date": due,
                "due_date": calendar.roll_forward(due),
                "late_policy": milestone.late_policy,
                "reviewer_department_id": reviewer,
                "form_code": "",
            }
            for unit in units
            if unit_in_scope(unit, milestone.actor_scope)
            for due in rule.occurrences()
        )

    # A form due on dates or every period (records): its rows are owed as obligations too.
    sources = obligation_sources()
    for source in sources:
        rows += source.rows(plan=plan, units=units, calendar=calendar, reviewers=reviewers)

    counts = SyncCounter()
    if moved:
        counts.add(Obligation, "moved", moved)
    key = ("unit_id", "programme_id", "kind", "period", "period_end", "milestone_id", "form_code")
    existing = Obligation.objects.filter(plan=plan)
    result = sync_rows(existing, key=key, rows=rows, counter=counts, delete_missing=False)
    stale = existing.exclude(pk__in=[o.pk for o in result.values()])
    acted = Q(report__isnull=False) | Q(met_at__isnull=False)
    for source in sources:
        acted |= source.acted_on()
    kept = list(stale.filter(acted).distinct().order_by("due_date", "pk"))
    unreported = stale.exclude(pk__in=[o.pk for o in kept])
    counts.add(Obligation, "deleted", unreported.count())
    unreported.delete()

    through = Obligation.indicators.through
    have: dict[int, set[int]] = defaultdict(set)
    for obligation_id, indicator_id in through.objects.filter(obligation__plan=plan).values_list(
        "obligation_id", "indicator_id"
    ):
        have[obligation_id].add(indicator_id)
    links = []
    for k, indicator_ids in indicator_sets.items():
        obligation = result[k]
        if have.get(obligation.pk, set()) != indicator_ids:
            through.objects.filter(obligation=obligation).delete()
            links += [through(obligation_id=obligation.pk, indicator_id=i) for i in indicator_ids]
    through.objects.bulk_create(links)
    if links:
        counts.add(Obligation, "indicators_updated")
    return ObligationResult(
        counts=counts, kept_with_reports=kept, unknown_years=calendar.unknown_years
    )


def _move_corrected_deadlines(plan: Plan, milestones: list, calendar: WorkdayCalendar) -> int:
    """A step with one deadline whose date was corrected: each unit's obligation moves to the
    new date, with its report, instead of being owed a second time under the new date (a unit
    that had already delivered would be shown as overdue on a duplicate)."""
    single = {}
    for milestone in milestones:
        occurrences = milestone_rule(milestone).occurrences()
        if len(occurrences) == 1:
            single[milestone.pk] = (milestone_rule(milestone).start, occurrences[0])
    if not single:
        return 0
    obligations = Obligation.objects.filter(
        plan=plan, kind=Obligation.Kind.DOCUMENT, milestone_id__in=single
    ).only("pk", "unit_id", "milestone_id", "period_end")
    by_step: dict[tuple[int, int], list[Obligation]] = defaultdict(list)
    for obligation in obligations:
        by_step[(obligation.unit_id, obligation.milestone_id)].append(obligation)
    moved = []
    for (_unit, milestone_id), found in by_step.items():
        start, due = single[milestone_id]
        if len(found) != 1 or found[0].period_end == due:
            continue  # several dates before: which one moved is not known, so none is moved
        obligation = found[0]
        obligation.period_start, obligation.period_end = start, due
        obligation.rule_due_date, obligation.due_date = due, calendar.roll_forward(due)
        moved.append(obligation)
    Obligation.objects.bulk_update(
        moved, ["period_start", "period_end", "rule_due_date", "due_date"], batch_size=500
    )
    return len(moved)


def obligations_follow(*, plan: Plan) -> dict[str, int]:
    """The obligations made again after a running plan was edited in the browser
    (plans/editing/, through plans.extensions): how many were added, removed, and kept
    although no longer owed because a unit has reported on them."""
    result = obligations_generate(plan=plan)
    return {
        "added": result.counts["obligation.created"],
        "removed": result.counts["obligation.deleted"],
        "updated": result.counts["obligation.updated"],
        "moved": result.counts["obligation.moved"],
        "kept": len(result.kept_with_reports),
    }
