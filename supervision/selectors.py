"""The federation's own steps as at a date: done, due, overdue or still without a date.

Each occurrence of a step (its due date; a quarterly step has one a quarter) is, as at D:

- 已完成 when a completion that is not undone says it was done on or before D (done on 20 June,
  it is not done as at 10 June);
- 逾期未完成 when D is past its due date and it was not done by D;
- 未开始 before its window (or its period) begins, 待完成 until its due date;
- 未定日期 when neither the plan nor the department has given the step a date (适时).

A step is overdue when one of its occurrences is, done when all are. Every read runs a fixed
number of queries, whatever the number of steps and completions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404

from evidence.models import Evidence
from orgs.access import plan_scope
from orgs.models import Department, User
from plans.models import Milestone, Plan, ProgrammeDepartment
from plans.selectors import milestone_rule
from supervision.models import StepCompletion, StepSchedule

DONE, OVERDUE, PENDING, UPCOMING, UNDATED = "done", "overdue", "pending", "upcoming", "undated"
OPEN = "open"  # the page's filter: pending or upcoming
STATE_LABELS = {
    DONE: "已完成",
    OVERDUE: "逾期未完成",
    PENDING: "待完成",
    UPCOMING: "未开始",
    UNDATED: "未定日期",
}
FEDERATION = Milestone.Actor.FEDERATION


def done_label(day: dt.date) -> str:
    return f"已完成（{day.month}月{day.day}日）"


@dataclass
class Occurrence:
    """One time a step is due (a quarterly step has one a quarter)."""

    due: dt.date
    start: dt.date | None
    completion: StepCompletion | None  # the one that counts now (not undone), if any
    state: str

    @property
    def label(self) -> str:
        if self.state == DONE:
            return done_label(self.completion.done_on)
        return STATE_LABELS[self.state]

    @property
    def done_late(self) -> bool:
        return self.state == DONE and self.completion.done_on > self.due


@dataclass
class StepStatus:
    milestone: Milestone
    department_ids: frozenset[int]
    occurrences: list[Occurrence]
    schedule: StepSchedule | None = None
    departments: list[Department] = field(default_factory=list)

    @property
    def state(self) -> str:
        states = {o.state for o in self.occurrences}
        if not states:
            return UNDATED
        if OVERDUE in states:
            return OVERDUE
        if states in ({DONE}, {UPCOMING}):
            return states.pop()
        return PENDING  # one time to do now, or between two times

    @property
    def done_on(self) -> dt.date | None:
        """When the step was done (its last occurrence's day), if it is done."""
        if self.state != DONE:
            return None
        return max(o.completion.done_on for o in self.occurrences)

    @property
    def label(self) -> str:
        return done_label(self.done_on) if self.state == DONE else STATE_LABELS[self.state]

    @property
    def rule_text(self) -> str:
        """The plan's time rule in words (适时 for none)."""
        return milestone_rule(self.milestone).describe()

    @property
    def undated(self) -> bool:
        """The plan gives it no date (适时): its department may set one."""
        return not milestone_rule(self.milestone).occurrences()

    @property
    def overdue(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.state == OVERDUE]

    def occurrence(self, due: dt.date) -> Occurrence | None:
        return next((o for o in self.occurrences if o.due == due), None)


def step_dates(milestone: Milestone, schedule: StepSchedule | None) -> list[tuple]:
    """(start, due) of each occurrence: the plan's dates, else the department's one date.
    An occurrence of a recurring step starts the day after the one before it."""
    rule = milestone_rule(milestone)
    dues = rule.occurrences()
    if not dues:
        return [(None, schedule.due_date)] if schedule else []
    if rule.kind == "recurring":
        starts = [rule.start] + [d + dt.timedelta(days=1) for d in dues[:-1]]
        return list(zip(starts, dues, strict=True))
    return [(rule.start, due) for due in dues]


def _state(start, due, completion, as_of: dt.date) -> str:
    if completion is not None and completion.done_on <= as_of:
        return DONE
    if as_of > due:
        return OVERDUE
    if start is not None and as_of < start:
        return UPCOMING
    return PENDING


def step_states(
    *, milestones: list[Milestone], as_of: dt.date, with_files: bool = False
) -> dict[int, StepStatus]:
    """Milestone id → its status as at `as_of`, for the federation's steps among `milestones`.
    Two queries (completions, schedules), three with their files; responsible departments are
    left to `federation_steps`."""
    own = [m for m in milestones if m.actor == FEDERATION]
    ids = [m.pk for m in own]
    completions = StepCompletion.objects.filter(milestone_id__in=ids, undone_at__isnull=True)
    if with_files:
        completions = completions.select_related("done_by", "record__form").prefetch_related(
            "evidence"
        )
    done = {(c.milestone_id, c.due_date): c for c in completions}
    schedules = {s.milestone_id: s for s in StepSchedule.objects.filter(milestone_id__in=ids)}
    statuses = {}
    for m in own:
        schedule = schedules.get(m.pk)
        occurrences = []
        for start, due in step_dates(m, schedule):
            completion = done.get((m.pk, due))
            occurrences.append(
                Occurrence(due, start, completion, _state(start, due, completion, as_of))
            )
        statuses[m.pk] = StepStatus(m, frozenset(), occurrences, schedule)
    return statuses


def _responsible(plan: Plan, milestones: list[Milestone]) -> dict[int, frozenset[int]]:
    """Milestone id → its responsible departments: its own, else its programme's. Two queries."""
    own = defaultdict(set)
    for milestone_id, department_id in Milestone.actor_departments.through.objects.filter(
        milestone_id__in=[m.pk for m in milestones]
    ).values_list("milestone_id", "department_id"):
        own[milestone_id].add(department_id)
    by_programme = defaultdict(set)
    for programme_id, department_id in ProgrammeDepartment.objects.filter(
        programme__plan=plan
    ).values_list("programme_id", "department_id"):
        by_programme[programme_id].add(department_id)
    return {m.pk: frozenset(own.get(m.pk) or by_programme[m.programme_id]) for m in milestones}


def _with_departments(
    plan: Plan, milestones: list[Milestone], as_of: dt.date, with_files: bool
) -> list[StepStatus]:
    statuses = step_states(milestones=milestones, as_of=as_of, with_files=with_files)
    responsible = _responsible(plan, milestones)
    departments = Department.objects.in_bulk({d for ids in responsible.values() for d in ids})
    for pk, status in statuses.items():
        status.department_ids = responsible[pk]
        status.departments = sorted((departments[d] for d in responsible[pk]), key=lambda d: d.pk)
    return [statuses[m.pk] for m in milestones]


def _steps(plan: Plan):
    return Milestone.objects.filter(programme__plan=plan, actor=FEDERATION).select_related(
        "programme"
    )


def federation_steps(*, plan: Plan, as_of: dt.date, with_files: bool = False) -> list[StepStatus]:
    """Every federation step of `plan` with its responsible departments and its status as at
    `as_of`, in the plan's order. Six queries (seven `with_files`), whatever the plan's size."""
    return _with_departments(plan, list(_steps(plan)), as_of, with_files)


def step_get(*, plan: Plan, pk: int, as_of: dt.date) -> StepStatus:
    """One federation step of `plan` with its departments and its status as at `as_of`;
    another plan's step, or one the units carry out, is a 404."""
    milestone = get_object_or_404(_steps(plan), pk=pk)
    return _with_departments(plan, [milestone], as_of, with_files=True)[0]


@dataclass
class StepRow:
    """One line of 本部门工作节点: a step's one time (its due date), or a step without a date."""

    step: StepStatus
    occurrence: Occurrence | None

    @property
    def state(self) -> str:
        return self.occurrence.state if self.occurrence else UNDATED

    @property
    def label(self) -> str:
        return self.occurrence.label if self.occurrence else STATE_LABELS[UNDATED]


def _matches(state: str, wanted: str) -> bool:
    return not wanted or state == wanted or (wanted == OPEN and state in (PENDING, UPCOMING))


def step_rows(
    *, plan: Plan, as_of: dt.date, department_id: int | None = None, state: str = ""
) -> tuple[list[StepRow], dict[str, int]]:
    """The lines of 本部门工作节点 as at `as_of`: each time of each federation step `department_id`
    is responsible for (every department's, without one), by due date, those without a date
    last; and how many lines of that department are in each state, whatever `state` shows."""
    rows = [
        StepRow(step, occurrence)
        for step in federation_steps(plan=plan, as_of=as_of, with_files=True)
        if department_id is None or department_id in step.department_ids
        for occurrence in (step.occurrences or [None])
    ]
    counts = {key: sum(1 for r in rows if _matches(r.state, key)) for key in STATE_LABELS}
    counts[OPEN] = counts[PENDING] + counts[UPCOMING]
    shown = [r for r in rows if _matches(r.state, state)]
    shown.sort(
        key=lambda r: (
            r.occurrence is None,
            r.occurrence.due if r.occurrence else dt.date.max,
            r.step.milestone.programme.number,
            r.step.milestone.order,
        )
    )
    return shown, counts


def plan_departments(*, plan: Plan) -> list[Department]:
    """The departments of the plan's federation, for the page's filter."""
    return list(Department.objects.filter(federation_id=plan.issuer_id).order_by("pk"))


def step_undone(*, milestone: Milestone) -> list[StepCompletion]:
    """The step's completions that were undone (kept, with who undid them and why)."""
    return list(
        StepCompletion.objects.filter(milestone=milestone, undone_at__isnull=False).select_related(
            "done_by", "undone_by"
        )
    )


def completion_get(*, actor: User, pk: int) -> StepCompletion:
    """A completion of a plan `actor` works on (another federation's → 404)."""
    queryset = StepCompletion.objects.filter(
        milestone__programme__plan__in=Plan.objects.filter(plan_scope(actor)).values("pk")
    ).select_related("milestone__programme__plan__issuer")
    return get_object_or_404(queryset, pk=pk)


def completion_file_get(*, actor: User, pk: int) -> Evidence:
    """The file of a completion of a plan `actor` works on (another federation's → 404)."""
    completion = completion_get(actor=actor, pk=pk)
    evidence = (
        Evidence.objects.of_kind(StepCompletion)
        .filter(owner_id=completion.pk)
        .order_by("pk")
        .first()
    )
    if evidence is None:
        raise Http404("文件不存在")
    return evidence
