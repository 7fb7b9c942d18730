"""The flow on the web: batch actions on checked rows, and the department's review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.errors import ServiceError
from common.redirects import redirect_back
from orgs.access import can_confirm_record, can_edit_record, can_review_programme, require_role
from orgs.models import User
from records import selectors
from records.forms import ACTIONS, BatchForm
from records.services import (
    records_approve,
    records_confirm,
    records_reopen,
    records_return,
    records_send_back,
    records_submit,
)
from reporting import clock

UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)


def _reviewer(user, record) -> bool:
    return can_review_programme(user, {d.pk for d in record.form.programme.departments.all()})


# action → (roles that may ask at all, who may act on one row, the service, done message)
FLOW = {
    "submit": (
        UNIT_ROLES,
        lambda user, r: can_edit_record(user, r.unit_id),
        lambda user, items, reason: records_submit(items=items, actor=user),
        "已提交 {n} 条，等待单位负责人确认。",
    ),
    "confirm": (
        (User.Role.UNIT_HEAD,),
        lambda user, r: can_confirm_record(user, r.unit_id),
        lambda user, items, reason: records_confirm(items=items, actor=user),
        "已确认 {n} 条并报送市总工会。",
    ),
    "send_back": (
        (User.Role.UNIT_HEAD,),
        lambda user, r: can_confirm_record(user, r.unit_id),
        lambda user, items, reason: records_send_back(items=items, actor=user, reason=reason),
        "已退回填报员 {n} 条。",
    ),
    "approve": (
        (User.Role.DEPARTMENT_STAFF,),
        _reviewer,
        lambda user, items, reason: records_approve(items=items, reviewer=user),
        "已审核通过 {n} 条。",
    ),
    "return": (
        (User.Role.DEPARTMENT_STAFF,),
        _reviewer,
        lambda user, items, reason: records_return(items=items, reviewer=user, reason=reason),
        "已退回单位修改 {n} 条。",
    ),
    "reopen": (
        (User.Role.DEPARTMENT_STAFF,),
        _reviewer,
        lambda user, items, reason: records_reopen(items=items, reviewer=user, reason=reason),
        "已撤销通过 {n} 条，退回单位修改。",
    ),
}


def _back(request):
    return redirect_back(request, reverse("home"))


@require_POST
def act(request, action):
    """One flow step on the checked rows: all of them or none (records.services.flow)."""
    if action not in FLOW:
        raise PermissionDenied("未知的操作")
    roles, allowed, call, done = FLOW[action]
    require_role(request.user, *roles)
    form = BatchForm(
        {**request.POST.dict(), "action": action, "rows": request.POST.getlist("rows")}
    )
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(request)
    versions = form.cleaned_data["rows"]
    records = selectors.records_for_action(actor=request.user, pks=list(versions))
    if not all(allowed(request.user, r) for r in records):
        raise PermissionDenied(f"您不能对所选记录执行「{ACTIONS[action]}」")
    try:
        moved = call(
            request.user, [(r, versions[r.pk]) for r in records], form.cleaned_data["reason"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(n=len(moved)))
    return _back(request)


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
        },
    )
