"""The nominations (推荐) waiting for a unit's user, for 我的待办: its head's to recommend, its
reporter's drafts and returned ones to redo. One query, whatever the number of nominations."""

from __future__ import annotations

import datetime as dt

from campaigns.models import Nomination
from campaigns.steps import window_closed
from orgs.access import nomination_scope
from orgs.models import Unit, User
from plans.models import Plan
from reporting.workflow import overdue

Status = Nomination.Status

# What each unit role has to act on: the head recommends (推荐) or sends back what was
# submitted; the reporter finishes drafts and redoes what came back.
WAITING_FOR = {
    User.Role.UNIT_HEAD: (Status.SUBMITTED,),
    User.Role.UNIT_REPORTER: (Status.DRAFT, Status.RETURNED),
}


def unit_waiting(unit: Unit, user: User, *, today: dt.date) -> list[Nomination]:
    """`unit`'s nominations waiting for `user` (nothing for another unit's user), in running
    plans and campaigns still open to 推荐, returned first, then by the campaign's
    `nominate_by`; each with `deadline` (the campaign's nominate_by) and `overdue`."""
    statuses = WAITING_FOR.get(user.role)
    if not statuses or user.unit_id != unit.pk:
        return []
    rows = (
        Nomination.objects.filter(nomination_scope(user))
        .filter(unit_id=unit.pk, status__in=statuses, campaign__plan__status=Plan.Status.PUBLISHED)
        .select_related("campaign")
        .order_by("campaign__nominate_by", "pk")
    )
    waiting = []
    for nomination in rows:
        if window_closed(nomination.campaign, today):
            continue
        nomination.deadline = nomination.campaign.nominate_by
        nomination.overdue = overdue(nomination.status, nomination.deadline, today)
        waiting.append(nomination)
    waiting.sort(key=lambda n: n.status != Status.RETURNED)
    return waiting
