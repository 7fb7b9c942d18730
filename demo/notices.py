"""The demo's 督办单: two batches from 劳动和经济工作部 to a few counties, taken through the
workflow on past days (`on_day`), so that 督办, 我的待办 and the 考核结果's 督办按时办结率 show
notices closed on time, closed late, and still open."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from demo.days import on_day
from orgs.models import Unit, User
from plans.models import Plan
from reporting.services.notifications import deliveries_held
from supervision import notice_services as services
from supervision.models import SupervisionNotice

# unit code → what became of its notice in each batch: closed on time, closed late, left open.
FATES = {
    "ruzhou": ("on_time", "on_time"),
    "jiaxian": ("late", "open"),
    "wugang": ("on_time", "late"),
    "baofeng": ("open", "on_time"),
}
BATCHES = (
    ("推进职工书屋建设进度", "专案3进度落后于时间进度", 45, 25),
    ("补报6月份工作进展", "6月份进度未按期报送", 25, 8),
)


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_notices_create(*, plan: Plan, today: dt.date) -> int:
    """Notices through the services, as the department and the units would handle them; none
    when the plan has some already, or its demo accounts are missing."""
    if SupervisionNotice.objects.filter(plan=plan).exists():
        return 0  # already seeded: never overwrite what someone has done
    staff = User.objects.filter(
        role=User.Role.DEPARTMENT_STAFF, department__name="劳动和经济工作部"
    ).first()
    units = {u.code: u for u in Unit.objects.filter(code__in=FATES, plans=plan)}
    people = {
        (u.unit.code, u.role): u
        for u in User.objects.filter(unit__code__in=FATES).select_related("unit")
    }
    if staff is None or not units:
        return 0
    created = 0
    for b, (subject, reason, issued_ago, due_ago) in enumerate(BATCHES):
        issued_on, due = today - dt.timedelta(days=issued_ago), today - dt.timedelta(days=due_ago)
        with on_day(issued_on):
            notices = services.notice_issue(
                plan=plan,
                actor=staff,
                units=list(units.values()),
                subject=subject,
                reason=reason,
                due_date=due,
            )
        for notice in notices:
            created += 1
            code = notice.unit.code
            head = people.get((code, User.Role.UNIT_HEAD))
            reporter = people.get((code, User.Role.UNIT_REPORTER))
            fate = FATES[code][b]
            if fate == "open" or head is None or reporter is None:
                continue
            closed_on = due - dt.timedelta(days=2) if fate == "on_time" else due + dt.timedelta(3)
            with on_day(issued_on + dt.timedelta(days=1)):
                notice = services.notice_sign(notice=notice, actor=head)
            with on_day(closed_on - dt.timedelta(days=1)):
                notice = services.notice_reply(
                    notice=notice, actor=reporter, measures="已召开推进会，落实整改措施"
                )
            with on_day(closed_on):
                services.notice_close(notice=notice, actor=staff)
    return created
