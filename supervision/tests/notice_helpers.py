"""Issuing and moving 督办单 in tests, as the services do for a user."""

import datetime as dt

from orgs.models import Unit
from reporting.tests.files import JPG, upload
from supervision import notice_services as services


def issue(plan, staff, *codes, due=dt.date(2022, 8, 5), subject="推进职工书屋建设"):
    return services.notice_issue(
        plan=plan,
        actor=staff,
        units=list(Unit.objects.filter(code__in=codes or ("ruzhou",))),
        subject=subject,
        reason="专案3进度落后于时间进度",
        due_date=due,
    )


def replied(plan, staff, head, reporter):
    [notice] = issue(plan, staff)
    notice = services.notice_sign(notice=notice, actor=head)
    return services.notice_reply(
        notice=notice, actor=reporter, measures="已召开推进会", files=[upload("现场.jpg", JPG)]
    )
