"""补报申请 pages: a unit asks for a late item to count; the reviewing department decides.

Who sees what is orgs/access.py's (through the selectors' scope); which step a person may take
in which state is the workflow's table (reporting/workflow.py), asked through LATE_REQUEST.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import clock
from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import can_edit_report, require_late_request_party
from reporting import late_selectors, workflow
from reporting.forms import LateDecisionForm, LateRequestForm
from reporting.services.late_requests import (
    LATE_REQUEST,
    late_request_approve,
    late_request_create,
    late_request_refusal,
    late_request_reject,
    late_request_revoke,
)

# The workflow's steps as a 补报申请 names them.
LABELS = {"approve": "批准补报", "return": "驳回", "reopen": "撤销批准"}
DONE = {"approve": "已批准补报申请。", "return": "已驳回补报申请。", "reopen": "已撤销批准。"}
URLS = {"approve": "late_approve", "return": "late_reject", "reopen": "late_revoke"}


@require_http_methods(["GET", "POST"])
def late_request_new(request, pk):
    """The unit's form: reason and files. Only the obligation's own unit (others: 404/403)."""
    obligation = late_selectors.late_obligation_get(actor=request.user, pk=pk)
    require_late_request_party(
        request.user, allowed=can_edit_report(request.user, obligation.unit_id)
    )
    refused = late_request_refusal(obligation=obligation, actor=request.user, today=clock.today())
    form = LateRequestForm(request.POST or None)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            made = late_request_create(
                obligation=obligation,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                files=request.FILES.getlist("files"),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已提交补报申请，等待部门审核。")
            return redirect("reporting:late_request", pk=made.pk)
    context = {"obligation": obligation, "form": form, "refused": refused}
    return render(request, "reporting/late_request_new.html", context)


@require_GET
def late_requests(request):
    """A unit's own requests, or the department's to decide (pending first)."""
    rows = late_selectors.late_request_list(actor=request.user)
    return render(request, "reporting/late_requests.html", {"rows": rows})


@require_GET
def late_request(request, pk):
    item = late_selectors.late_request_get(actor=request.user, pk=pk)
    steps = [
        {"action": a.action, "label": LABELS[a.action], "url": URLS[a.action], "button": a.button}
        for a in workflow.actions_for(request.user, item, LATE_REQUEST)
    ]
    return render(request, "reporting/late_request.html", {"item": item, "steps": steps})


def _decide(request, pk, action, call):
    item = late_selectors.late_request_get(actor=request.user, pk=pk)
    step = workflow.transition(action)
    require_late_request_party(
        request.user, allowed=LATE_REQUEST.includes(step.party, request.user, item)
    )
    form = LateDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("reporting:late_request", pk=pk)
    try:
        call(item, form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
    return redirect("reporting:late_request", pk=pk)


@require_POST
def late_request_approve_view(request, pk):
    return _decide(
        request,
        pk,
        "approve",
        lambda item, data: late_request_approve(
            request=item, reviewer=request.user, version=data["version"]
        ),
    )


@require_POST
def late_request_reject_view(request, pk):
    return _decide(
        request,
        pk,
        "return",
        lambda item, data: late_request_reject(
            request=item, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def late_request_revoke_view(request, pk):
    return _decide(
        request,
        pk,
        "reopen",
        lambda item, data: late_request_revoke(
            request=item, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_GET
def late_request_file(request, pk, evidence_pk):
    """A request's file, to whoever may see the request (else 404)."""
    item = late_selectors.late_request_get(actor=request.user, pk=pk)
    evidence = next((e for e in item.evidence.all() if e.pk == evidence_pk), None)
    if evidence is None:
        raise Http404("没有找到该文件")
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )
