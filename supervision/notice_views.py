"""督办 pages: the plan's notices (a unit user sees their own unit's), the issue form, a notice's
page with its history and the steps its reader may take, a notice's file, and a unit's 督办
history (the plan's unit page loads it).

Another unit's or federation's notice is a 404; a step the reader's role may not take is a 403;
a refused post shows the notice's page again with what was typed and the reason beside it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import clock
from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import require_business_user, require_notice_issuer, require_notice_overseer
from orgs.models import Unit
from plans.selectors import plan_get
from reporting import workflow
from supervision import notice_selectors as selectors
from supervision import notice_services as services
from supervision.notice_forms import (
    NoticeFilterForm,
    NoticeIssueForm,
    NoticeReplyForm,
    NoticeReturnForm,
    NoticeVersionForm,
)
from supervision.notice_prefill import issue_initial, issue_links
from supervision.notices import NOTICE, STEPS

FILES_DROPPED = "所选文件未上传：请先改正上面的内容，再重新选择文件。"


def _plan_units(plan):
    return list(plan.units.exclude(pk=plan.issuer_id).order_by("order", "pk"))


@require_GET
def notice_list(request, slug):
    require_business_user(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    units = [] if request.user.is_unit_user else _plan_units(plan)
    form = NoticeFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    notices = selectors.notice_list(
        actor=request.user,
        plan=plan,
        today=today,
        state=data.get("state") or "",
        unit_id=data.get("unit"),
        overdue=bool(data.get("overdue")),
    )
    context = {"plan": plan, "form": form, "notices": notices, "today": today}
    return render(request, "supervision/notices.html", context)


@require_http_methods(["GET", "POST"])
def notice_issue(request, slug):
    require_notice_issuer(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    units = _plan_units(plan)
    if request.method == "GET":
        form = NoticeIssueForm(initial=issue_initial(plan, units, request.GET), units=units)
    else:
        form = NoticeIssueForm(request.POST, units=units)
        if form.is_valid():
            try:
                notices = services.notice_issue(
                    plan=plan, actor=request.user, **issue_links(plan, units, form.cleaned_data)
                )
            except ServiceError as exc:
                form.show_refusal(exc)
            else:
                names = "、".join(n.unit.short_name for n in notices)
                messages.success(request, f"已下发{notices[0].reference}：{names}。")
                return redirect("supervision:notices", slug=plan.slug)
    return render(request, "supervision/notice_issue.html", {"plan": plan, "form": form})


def _notice_page(request, notice, **forms):
    today = clock.today()
    actions = {a.action: a for a in workflow.actions_for(request.user, notice, NOTICE, today=today)}
    context = {
        "notice": notice,
        "plan": notice.plan,
        "history": selectors.notice_history(notice=notice),
        "actions": actions,
        "reply_form": forms.get("reply") or NoticeReplyForm(initial={"measures": notice.measures}),
        "return_form": forms.get("return") or NoticeReturnForm(),
        "version_form": forms.get("version"),
    }
    return render(request, "supervision/notice.html", context)


@require_GET
def notice_detail(request, pk):
    notice = selectors.notice_get(actor=request.user, pk=pk)
    return _notice_page(request, notice)


def _acting(request, pk, action):
    """The notice, if the reader may see it (else 404) and their role may take `action` on it
    (else 403); whether its state allows it is the service's to say."""
    notice = selectors.notice_get(actor=request.user, pk=pk)
    if not NOTICE.includes(STEPS[action].party, request.user, notice):
        raise PermissionDenied(f"您不能对该督办单执行「{STEPS[action].label}」")
    return notice


def _moved(request, notice, action):
    messages.success(request, STEPS[action].done.format(n=f"「{notice.reference}」"))
    return redirect("supervision:notice", pk=notice.pk)


def _simple_step(request, pk, action, service):
    notice = _acting(request, pk, action)
    form = NoticeVersionForm(request.POST)
    if form.is_valid():
        try:
            service(notice=notice, actor=request.user, version=form.cleaned_data["version"])
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            return _moved(request, notice, action)
    return _notice_page(request, notice, version=form)


@require_POST
def notice_sign(request, pk):
    return _simple_step(request, pk, "sign", services.notice_sign)


@require_POST
def notice_close(request, pk):
    return _simple_step(request, pk, "close", services.notice_close)


@require_POST
def notice_return(request, pk):
    notice = _acting(request, pk, "return")
    form = NoticeReturnForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_return(
                notice=notice, actor=request.user, reason=data["reason"], version=data["version"]
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            return _moved(request, notice, "return")
    return _notice_page(request, notice, **{"return": form})


@require_POST
def notice_reply(request, pk):
    notice = _acting(request, pk, "reply")
    form = NoticeReplyForm(request.POST)
    files = request.FILES.getlist("files")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_reply(
                notice=notice,
                actor=request.user,
                measures=data["measures"],
                files=files,
                version=data["version"],
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            return _moved(request, notice, "reply")
    if files and "files" not in form.errors:
        form.add_error("files", FILES_DROPPED)
    return _notice_page(request, notice, reply=form)


@require_GET
def notice_file(request, pk):
    """A file of a notice's reply; an image or a PDF is shown in the page with `?inline=1`."""
    evidence = selectors.notice_file_get(actor=request.user, pk=pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@require_GET
def unit_notices(request, slug, code):
    """A unit's 督办 history, loaded into the plan's unit page (department staff, leaders)."""
    require_notice_overseer(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    unit = get_object_or_404(Unit, code=code, plans=plan)
    notices = selectors.unit_notices(plan=plan, unit=unit, today=clock.today())
    context = {"plan": plan, "unit": unit, "notices": notices}
    return render(request, "supervision/_partials/unit_notices.html", context)
