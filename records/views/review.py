"""The flow on the web: batch actions on checked rows, and the department's review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common import clock
from common.errors import ServiceError
from common.redirects import redirect_back
from orgs.access import require_role
from orgs.models import User
from records import selectors
from records.forms import BatchForm
from records.models import Record
from records.services import (
    records_approve,
    records_confirm,
    records_reopen,
    records_return,
    records_send_back,
    records_submit,
)
from records.services.flow import RECORD
from reporting import workflow

# action → its service; who may take it, and on which rows, is the workflow's table.
SERVICES = {
    "submit": lambda user, items, reason: records_submit(items=items, actor=user),
    "confirm": lambda user, items, reason: records_confirm(items=items, actor=user),
    "send_back": lambda user, items, reason: records_send_back(
        items=items, actor=user, reason=reason
    ),
    "approve": lambda user, items, reason: records_approve(items=items, reviewer=user),
    "return": lambda user, items, reason: records_return(items=items, reviewer=user, reason=reason),
    "reopen": lambda user, items, reason: records_reopen(items=items, reviewer=user, reason=reason),
}


def _back(request):
    return redirect_back(request, reverse("home"))


@require_POST
def act(request, action):
    """One flow step on the checked rows: all of them or none (records.services.flow)."""
    if action not in SERVICES:
        raise PermissionDenied("未知的操作")
    step = workflow.transition(action)
    require_role(request.user, *step.party.roles)
    form = BatchForm(
        {**request.POST.dict(), "action": action, "rows": request.POST.getlist("rows")}
    )
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(request)
    versions = form.cleaned_data["rows"]
    records = selectors.records_for_action(actor=request.user, pks=list(versions))
    if not all(RECORD.includes(step.party, request.user, r) for r in records):
        raise PermissionDenied(f"您不能对所选记录执行「{step.label}」")
    try:
        moved = SERVICES[action](
            request.user, [(r, versions[r.pk]) for r in records], form.cleaned_data["reason"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        # The step's words are those of the rows' plan (确认并报送市总).
        worded = step.worded(RECORD.level(records[0])) if records else step
        _tell_moved(request, worded, moved=len(moved), chosen=len(records))
    return _back(request)


def _tell_moved(request, step: workflow.Transition, *, moved: int, chosen: int) -> None:
    """Success for the rows moved; rows already where the step leads are skipped (a repeated
    click), and a batch that moved none is a warning saying why, never "已提交 0 条"."""
    if not moved:
        messages.warning(request, (step.repeated or "没有{noun}被处理。").format(noun=RECORD.noun))
        return
    message = step.done.format(n=f" {moved} 条")
    if skipped := chosen - moved:
        label = workflow.Status(step.target).label
        message += f"另 {skipped} 条本已是「{label}」，未重复操作。"
    messages.success(request, message)


@require_GET
@never_cache
def review(request):
    require_role(request.user, User.Role.DEPARTMENT_STAFF, User.Role.LEADER)
    groups = selectors.review_queue(user=request.user, today=clock.today())
    return render(
        request,
        "records/review.html",
        {
            "groups": groups,
            "total": sum(g.count for g in groups),
            "can_act": request.user.role == User.Role.DEPARTMENT_STAFF,
            # The queue holds confirmed rows: the steps the table allows from there.
            "actions": [
                a
                for a in workflow.batch_actions(
                    request.user, unit_id=None, department_ids={request.user.department_id}
                )
                if Record.Status.CONFIRMED in a.sources
            ],
        },
    )
