"""我的待办: a unit user's first page, listing the reports and the form rows the unit still
has to send, correct or confirm, its 督办单, and the nominations (评选) and self-assessments
(评分自评) waiting for the user. Here, above the apps it reads; it keeps its address
(/reporting/todo/) and name (reporting:todo), see config/urls.py."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns.selectors.waiting import unit_waiting as nominations_waiting
from common import clock
from evaluations.selectors import unit_waiting as evaluations_waiting
from orgs.access import require_role
from orgs.models import User
from records.selectors import plan_for_unit, records_todo_for
from reporting.selectors import todo_for
from supervision.notice_selectors import notices_todo

UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)


def unit_todo(*, user: User, today: dt.date) -> dict:
    """The reports to do, the forms with rows to do, and counters over both: a returned or
    overdue row counts like a returned or overdue report."""
    reports = todo_for(user=user, today=today)
    forms = records_todo_for(user=user, today=today)
    counts = dict(reports.counts)
    counts["returned"] += sum(f.returned for f in forms)
    counts["overdue"] += sum(f.overdue for f in forms)
    counts["waiting"] += sum(f.submitted + f.confirmed for f in forms)
    # 督办单 to sign or to answer; one past its sign-by or due date counts as overdue.
    notices = notices_todo(user=user, today=today)
    counts["overdue"] += sum(1 for n in notices if n.overdue)
    # 评选 nominations and 评分自评: the head's to recommend or confirm, the reporter's drafts
    # and returned ones; a nomination still with the unit past nominate_by counts as overdue.
    nominations = nominations_waiting(user.unit, user, today=today)
    evaluations = evaluations_waiting(user.unit, user)
    waiting = [*nominations, *evaluations]
    counts["returned"] += sum(1 for x in waiting if x.status == "returned")
    counts["waiting"] += sum(1 for x in waiting if x.status == "submitted")
    counts["overdue"] += sum(1 for n in nominations if n.overdue)
    return {
        "todo": reports,
        "counts": counts,
        "records_todo": forms,
        "notices": notices,
        "nominations": nominations,
        "evaluations": evaluations,
    }


@require_GET
def todo(request):
    require_role(request.user, *UNIT_ROLES)
    today = clock.today()
    context = unit_todo(user=request.user, today=today)
    context["today"] = today
    context["records_plan"] = plan_for_unit(unit_id=request.user.unit_id)
    return render(request, "dashboards/todo.html", context)
