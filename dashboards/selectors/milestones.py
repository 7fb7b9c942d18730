"""Each step of the plan on a date: upcoming, running, done, due or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from dashboards.selectors.official import cutoff
from plans.models import Milestone, Plan
from reporting.models import Obligation, Report


@dataclass
class MilestoneState:
    milestone: Milestone
    state: str  # upcoming | running | done | due | overdue
    approved: int = 0
    expected: int = 0

    @property
    def state_label(self) -> str:
        return {
            "upcoming": "未开始",
            "running": "进行中",
            "done": "已完成",
            "due": "已到期",
            "overdue": "逾期未完成",
        }[self.state]


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
    for m in Milestone.objects.filter(programme__plan=plan).select_related("programme"):
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
