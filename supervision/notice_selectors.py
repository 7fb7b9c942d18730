"""Reading 督办单: the lists (a plan's, a unit's, a unit user's), one notice with its history, and
the counts as at a date (the leaders' overview, the bulletin's 督办情况). Each runs a fixed
number of queries, whatever the number of notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from audit.models import AuditEntry
from evidence.models import Evidence
from orgs.access import notice_scope
from orgs.models import Unit, User
from plans.models import Plan
from supervision.models import SupervisionNotice
from supervision.notices import (
    WITH_UNIT,
    Status,
    closed_by,
    overdue_kind,
    replied_by,
    signed_by,
)

ALL_OPEN = "open"  # the list's filter: not yet closed


def overdue_q(today: dt.date) -> Q:
    """逾期 as at today, in the database: not signed past the sign-by date, or not replied to
    past the due date (supervision.notices.overdue_kind, for today)."""
    return Q(status=Status.ISSUED, sign_by__lt=today) | Q(status__in=WITH_UNIT, due_date__lt=today)


def _notices(actor: User) -> QuerySet[SupervisionNotice]:
    return SupervisionNotice.objects.filter(notice_scope(actor)).select_related(
        "unit", "department", "plan", "programme"
    )


def notice_list(
    *,
    actor: User,
    plan: Plan,
    today: dt.date,
    state: str = "",
    unit_id: int | None = None,
    overdue: bool = False,
) -> list[SupervisionNotice]:
    """The plan's notices `actor` may read, newest first, filtered by state (`open`: not
    closed), unit and 逾期 as at `today`; each with `overdue` (why, or ""). One query."""
    notices = _notices(actor).filter(plan=plan)
    if state == ALL_OPEN:
        notices = notices.exclude(status=Status.CLOSED)
    elif state:
        notices = notices.filter(status=state)
    if unit_id is not None:
        notices = notices.filter(unit_id=unit_id)
    if overdue:
        notices = notices.filter(overdue_q(today))
    rows = list(notices)
    for notice in rows:
        notice.overdue = overdue_kind(notice, today)
    return rows


def notice_get(*, actor: User, pk: int) -> SupervisionNotice:
    """One notice `actor` may read, with its files (another unit's or federation's → 404)."""
    notice = get_object_or_404(_notices(actor).prefetch_related("evidence"), pk=pk)
    notice.overdue = overdue_kind(notice, _today())
    return notice


def _today() -> dt.date:
    from common import clock

    return clock.today()


def notice_history(*, notice: SupervisionNotice) -> list[AuditEntry]:
    """The notice's audit entries, oldest first: issued, signed, replied, returned, closed."""
    return list(
        AuditEntry.objects.filter(
            object_type="supervision.supervisionnotice", object_id=str(notice.pk)
        ).order_by("at", "id")
    )


def notice_file_get(*, actor: User, pk: int) -> Evidence:
    """A file of a notice `actor` may read (another unit's or federation's → 404)."""
    evidence = get_object_or_404(Evidence.objects.of_kind(SupervisionNotice), pk=pk)
    get_object_or_404(SupervisionNotice.objects.filter(notice_scope(actor)), pk=evidence.owner_id)
    return evidence


def unit_notices(*, plan: Plan, unit: Unit, today: dt.date) -> list[SupervisionNotice]:
    """A unit's 督办 history in a plan, newest first. One query."""
    rows = list(SupervisionNotice.objects.filter(plan=plan, unit=unit).select_related("department"))
    for notice in rows:
        notice.overdue = overdue_kind(notice, today)
    return rows


def notices_todo(*, user: User, today: dt.date) -> list[SupervisionNotice]:
    """A unit user's notices still with the unit (to sign, to answer), soonest due first, for
    我的待办; each with `overdue`. One query."""
    rows = list(
        _notices(user).filter(unit_id=user.unit_id, status__in=WITH_UNIT).order_by("due_date", "pk")
    )
    for notice in rows:
        notice.overdue = overdue_kind(notice, today)
    return rows


def overdue_count(*, plan: Plan, today: dt.date) -> int:
    """How many of the plan's notices are 逾期 today: the leaders' overview. One query."""
    return SupervisionNotice.objects.filter(plan=plan).filter(overdue_q(today)).count()


@dataclass
class NoticeSummary:
    """督办情况 as at a date: how many notices were issued, signed, replied to and closed by
    then, and which were 逾期."""

    issued: int = 0
    signed: int = 0
    replied: int = 0
    closed: int = 0
    overdue: list[SupervisionNotice] = field(default_factory=list)


def notice_summary(*, plan: Plan, as_of: dt.date) -> NoticeSummary:
    """The plan's notices as at `as_of` (those issued after it are left out). One query."""
    summary = NoticeSummary()
    notices = (
        SupervisionNotice.objects.filter(plan=plan, issued_at__date__lte=as_of)
        .select_related("unit")
        .order_by("issued_at", "pk")
    )
    for notice in notices:
        summary.issued += 1
        summary.signed += signed_by(notice, as_of)
        summary.replied += replied_by(notice, as_of) or closed_by(notice, as_of)
        summary.closed += closed_by(notice, as_of)
        if kind := overdue_kind(notice, as_of):
            notice.overdue = kind
            summary.overdue.append(notice)
    return summary
