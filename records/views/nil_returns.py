"""本期无 on a form's page: a unit's people declare that they have no rows for a period (with a
reason), or withdraw that while the plan runs. A refusal shows the form's page again with the
reason as typed and the message beside it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.errors import ServiceError
from orgs.access import can_edit_record
from plans.selectors import plan_get
from records import selectors
from records.forms import NilReturnForm
from records.services.nil_returns import nil_return_declare, nil_return_withdraw
from records.views.entry import rows_context


def _period(request, slug, code, pk):
    """The plan, the form and the unit's obligation for one period: another unit's → 404, a
    department or a leader → 403 (本期无 is the unit's own word)."""
    plan = plan_get(slug=slug, actor=request.user)
    form = selectors.form_get(actor=request.user, plan=plan, code=code)
    obligation = selectors.form_obligation_get(actor=request.user, plan=plan, code=code, pk=pk)
    if not can_edit_record(request.user, obligation.unit_id):
        raise PermissionDenied("只有本单位的填报人员可以声明或撤回本期无")
    return plan, form, obligation


@require_POST
@never_cache
def declare(request, slug, code, pk):
    plan, form, obligation = _period(request, slug, code, pk)
    nil_form = NilReturnForm(request.POST)
    if nil_form.is_valid():
        try:
            nil_return_declare(
                obligation=obligation, actor=request.user, reason=nil_form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            nil_form.add_error("reason", exc.message)
        else:
            messages.success(request, f"已声明本期无：{obligation.title}。")
            return redirect("records:rows", slug=plan.slug, code=form.code)
    context = rows_context(request, plan, form, nil_form=nil_form, nil_for=obligation.pk)
    return render(request, "records/rows.html", context)


@require_POST
def withdraw(request, slug, code, pk):
    plan, form, obligation = _period(request, slug, code, pk)
    try:
        nil_return_withdraw(obligation=obligation, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤回本期无：{obligation.title}。")
    return redirect("records:rows", slug=plan.slug, code=form.code)
