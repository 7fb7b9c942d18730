"""Each step of the plan on a date: upcoming, running, done, due or overdue.

A step the federation carries out itself is done when its department marked it done by then
(supervision), overdue when not; one of the units', when their documents were approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from plans.models import Milestone, Plan
from reporting.as_of import cutoff
from reporting.models import Obligation, Report
from supervision.selectors import STATE_LABELS as STEP_LABELS
from supervision.selectors import done_label, step_states


@dataclass
class MilestoneState:
    milestone: Milestone
    state: str  # upcoming | running | done | due | overdue | undated (a federation step's)
    approved: int = 0
    expected: int = 0
    done_on: dt.date | None = None  # a federation step's, when its department marked it done

    @property
    def state_label(self) -> str:
        if self.state == "done" and self.done_on:
            return done_label(self.done_on)
        return {
            "upcoming": "未开始",
            "running": "进行中",
            "done": "已完成",
            "due": "已到期",
            "overdue": "逾期未完成",
            "undated": STEP_LABELS["undated"],
        }[self.state]


# A federation step's state (supervision) as this page names it.
FROM_STEP = {
    "pending": "running",
    "upcoming": "upcoming",
    "done": "done",
    "overdue": "overdue",
    "undated": "undated",
}


def milestone_states(*, plan: Plan, as_of: dt.date) -> list[MilestoneState]:
    """Each step's state on `as_of`; for documents units deliver, how many were approved."""
    at = cutoff(as_of)
    approved = Q(report__status=Report.Status.APPROVED, report__reviewed_at__lt=at)
    delivered, expected = {}, {}
    # The plan's steps first, their obligations found on the milestone index: filtered on
    # `milestone IS NOT NULL` instead, SQLite walked every obligation of the plan.
    steps = Milestone.objects.filter(programme__plan=plan).values("pk")
    for milestone_id, n, done in (
        Obligation.objects.filter(milestone__in=steps, due_date__lte=as_of)
        .order_by()
        .values("milestone_id")
        .annotate(n=Count("id"), done=Count("id", filter=approved))
        .values_list("milestone_id", "n", "done")
    ):
        expected[milestone_id], delivered[milestone_id] = n, done
    states = []
    milestones = list(Milestone.objects.filter(programme__plan=plan).select_related("programme"))
    own = step_states(milestones=milestones, as_of=as_of)  # the federation's: two queries
    for m in milestones:
        if m.pk in own:
            step = own[m.pk]
            states.append(MilestoneState(m, FROM_STEP[step.state], done_on=step.done_on))
            continue
        start, end = m.start_date or m.end_date, m.end_date
        if end is None:
            state = "running"
        elif start and as_of < start:
            state = "upcoming"
        elif as_of <= end:
            state = "running"
        elif m.pk in expected:
            state = "done" if delivered.get(m.pk, 0) >= expected[m.pk] else "overdue"
        else:
            state = "due"
        states.append(MilestoneState(m, state, delivered.get(m.pk, 0), expected.get(m.pk, 0)))
    return states
