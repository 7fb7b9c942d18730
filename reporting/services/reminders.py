"""催报: reminding units of what is due soon or overdue, once per obligation, kind and day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from common import clock
from orgs.models import User
from plans.models import Plan
from reporting.extensions import obligation_url
from reporting.models import Notification, Obligation, ReminderLog, Report
from reporting.services.notifications import notifications_send


@dataclass(frozen=True)
class Reminder:
    obligation: Obligation
    kind: str
    recipients: tuple[User, ...]

    def line(self) -> str:
        label = ReminderLog.Kind(self.kind).label
        return (
            f"{self.obligation.unit.short_name}\t{label}\t截止 {self.obligation.due_date}\t"
            f"{self.obligation.title}\t{len(self.recipients)} 人"
        )

    def message(self) -> str:
        due = clock.chinese_date(self.obligation.due_date)
        if self.kind == ReminderLog.Kind.OVERDUE:
            return f"【逾期】{self.obligation.title}，截止 {due}，请尽快报送。"
        return f"【提醒】{self.obligation.title}将于 {due}截止。"


def reminders_due(*, today: dt.date, days: int, within: Q | None = None) -> list[Reminder]:
    """What should be reminded today: due within `days`, or overdue, and not yet sent today;
    of running plans only (a closed plan, last year's, reminds no one); of the obligations
    `within` selects, when given (a staff member's run: their plan, their programmes). A form's
    obligation is reminded until met (a row of the period sent, or 本期无 declared)."""
    open_ = Q(report__isnull=True) | Q(
        report__status__in=[Report.Status.DRAFT, Report.Status.RETURNED]
    )
    obligations = (
        Obligation.objects.filter(
            open_,
            met_at__isnull=True,
            due_date__lte=today + dt.timedelta(days=days),
            plan__status=Plan.Status.PUBLISHED,
        )
        .select_related("unit", "plan")
        .order_by("due_date", "unit__order", "pk")
    )
    if within is not None:
        obligations = obligations.filter(within)
    sent = set(ReminderLog.objects.filter(sent_on=today).values_list("obligation_id", "kind"))
    users: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True, role__in=[User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD]
    ):
        users.setdefault(user.unit_id, []).append(user)
    result = []
    for o in obligations:
        kind = ReminderLog.Kind.OVERDUE if o.due_date < today else ReminderLog.Kind.DUE_SOON
        if (o.pk, kind) in sent:
            continue
        recipients = [
            u
            for u in users.get(o.unit_id, [])
            if kind == ReminderLog.Kind.OVERDUE or u.role == User.Role.UNIT_REPORTER
        ]
        result.append(Reminder(o, kind, tuple(recipients)))
    return result


def reminder_send(*, reminder: Reminder, today: dt.date) -> bool:
    """Record, notify in-app and by e-mail (once recorded); False if another run sent it
    first."""
    url = obligation_url(reminder.obligation)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                obligation=reminder.obligation,
                kind=reminder.kind,
                sent_on=today,
                recipients=len(reminder.recipients),
            )
            notifications_send(
                [
                    Notification(user=u, message=reminder.message()[:300], url=url)
                    for u in reminder.recipients
                ]
            )
    except IntegrityError:
        return False
    return True
