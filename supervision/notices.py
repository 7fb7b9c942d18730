"""督办单 in the one workflow: its states' steps (签收, 办理, 办结, 退回), who takes them, what the
audit log calls them and whom they tell; and when a notice is 逾期.

A notice is issued (交办) by a department to one unit (`notice_services.notice_issue`); the
unit's head signs it (签收) within the plan's working days (`Plan.sign_days`, the plan file's
`supervision.sign_days`, counted on the working-day calendar); the unit's reporter or head
replies (办理: measures taken, files); the issuing department closes it (办结) or sends it back
to be done again (退回, with a reason).

逾期 as at a day D: issued by D and either not signed by D while D is past its sign-by date, or
not replied to (or closed) by D while D is past its due date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from reporting import workflow
from reporting.calendar import WorkdayCalendar
from reporting.workflow import Audience, Party, Transition
from supervision.models import SupervisionNotice

Status = SupervisionNotice.Status

EVENT_ISSUED = "supervision.notice.issued"
EVENT_SIGNED = "supervision.notice.signed"
EVENT_REPLIED = "supervision.notice.replied"
EVENT_CLOSED = "supervision.notice.closed"
EVENT_RETURNED = "supervision.notice.returned"


def _suffix(event: str) -> str:
    return event.rsplit(".", 1)[1]


STEPS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            action="sign",
            label="签收",
            sources=frozenset({Status.ISSUED}),
            target=Status.SIGNED,
            party=Party.UNIT_HEAD,
            event=_suffix(EVENT_SIGNED),
            notify=Audience.UNIT_REPORTERS,
            notice="{what}已由单位负责人签收，请按期办理并回复。",
            refused="只有待签收的{noun}可以签收。",
            done="已签收{n}。",
            button="btn-primary",
            stamp="signed",
        ),
        Transition(
            action="reply",
            label="提交办理情况",
            sources=frozenset({Status.SIGNED, Status.RETURNED}),
            target=Status.REPLIED,
            party=Party.UNIT_MEMBER,
            event=_suffix(EVENT_REPLIED),
            notify=Audience.REVIEWERS,
            notice="{what}已回复办理情况，请审核办结。",
            refused="只有已签收或退回重办的{noun}可以回复办理情况。",
            done="已提交办理情况{n}。",
            button="btn-primary",
            stamp="replied",
        ),
        Transition(
            action="close",
            label="办结",
            sources=frozenset({Status.REPLIED}),
            target=Status.CLOSED,
            party=Party.REVIEWER,
            event=_suffix(EVENT_CLOSED),
            notify=Audience.UNIT_USERS,
            notice="{what}已办结。",
            refused="只有待办结的{noun}可以办结。",
            done="已办结{n}。",
            button="btn-success",
            stamp="closed",
        ),
        Transition(
            action="return",
            label="退回重办",
            sources=frozenset({Status.REPLIED}),
            target=Status.RETURNED,
            party=Party.REVIEWER,
            event=_suffix(EVENT_RETURNED),
            notify=Audience.UNIT_USERS,
            notice="{what}被退回重办，原因：{reason}",
            refused="只有待办结的{noun}可以退回。",
            done="已退回重办{n}。",
            button="btn-outline-danger",
            needs_reason=True,
        ),
    )
}

NOTICE = workflow.Reviewed(
    noun="督办单",
    events=EVENT_ISSUED.rsplit(".", 1)[0],
    unit_id=lambda n: n.unit_id,
    department_ids=lambda n: {n.department_id},
    due_date=lambda n: n.due_date,
    title=lambda n: f"{n.unit.short_name}：{n.reference}（{n.subject}）",
    url=lambda n: reverse("supervision:notice", kwargs={"pk": n.pk}),
    frozen=lambda n: n.plan.closed_refusal,
    plan=lambda n: n.plan,
    transitions=STEPS,
)

# Still with the unit (to sign or to answer): what 我的待办 counts.
WITH_UNIT = frozenset({Status.ISSUED, Status.SIGNED, Status.RETURNED})


def sign_by_date(issued_on: dt.date, *, days: int) -> dt.date:
    """The `days`-th working day after `issued_on` (issued on a Friday with 2 days: Tuesday;
    a holiday is skipped, a 调休 Saturday counts)."""
    calendar = WorkdayCalendar([issued_on.year, issued_on.year + 1])
    day, counted = issued_on, 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += calendar.is_workday(day)
    return day


def _by(stamp: dt.datetime | None, day: dt.date) -> bool:
    from django.utils import timezone

    return stamp is not None and timezone.localdate(stamp) <= day


def signed_by(notice: SupervisionNotice, day: dt.date) -> bool:
    return _by(notice.signed_at, day)


def replied_by(notice: SupervisionNotice, day: dt.date) -> bool:
    """Replied by `day` and not sent back since (a notice sent back waits for a new reply)."""
    return notice.status in (Status.REPLIED, Status.CLOSED) and _by(notice.replied_at, day)


def closed_by(notice: SupervisionNotice, day: dt.date) -> bool:
    return _by(notice.closed_at, day)


def overdue_kind(notice: SupervisionNotice, day: dt.date) -> str:
    """ "" when the notice is not 逾期 as at `day`; else why: 逾期未签收 or 逾期未办理."""
    if not _by(notice.issued_at, day) or closed_by(notice, day):
        return ""
    if not signed_by(notice, day) and day > notice.sign_by:
        return "逾期未签收"
    if not replied_by(notice, day) and day > notice.due_date:
        return "逾期未办理"
    return ""
