import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE
from orgs.access import (
    can_confirm_report,
    can_edit_report,
    can_review_programme,
    obligation_scope,
    require_business_user,
    require_role,
)
from orgs.models import User
from plans.selectors import plan_get
from records.selectors import plan_for_unit, records_todo_for
from reporting import clock, selectors, services
from reporting.calendar import WorkdayCalendar
from reporting.exports import chase_xlsx
from reporting.forms import ChaseFilterForm, ReasonForm, ReportForm, VersionForm
from reporting.models import Evidence, Notification

UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)


@require_GET
def todo(request):
    require_role(request.user, *UNIT_ROLES)
    today = clock.today()
    return render(
        request,
        "reporting/todo.html",
        {
            "todo": selectors.todo_for(user=request.user, today=today),
            "today": today,
            # Rows of forms (records) the unit still has to send or correct.
            "records_todo": records_todo_for(user=request.user, today=today),
            "records_plan": plan_for_unit(unit_id=request.user.unit_id),
        },
    )


@require_GET
def report_page(request, pk):
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    report = getattr(obligation, "report", None)
    departments = {d.pk for d in obligation.programme.departments.all()}
    return render(
        request,
        "reporting/report.html",
        {
            "obligation": obligation,
            "report": report,
            "today": clock.today(),
            "rows": selectors.report_rows(obligation=obligation, report=report),
            "history": selectors.report_history(report=report),
            "can_edit": can_edit_report(request.user, obligation.unit_id),
            "can_confirm": can_confirm_report(request.user, obligation.unit_id),
            "can_review": can_review_programme(request.user, departments),
        },
    )


def _values(request, obligation) -> list[services.ValueInput]:
    return [
        services.ValueInput(
            i.pk, request.POST.get(f"value_{i.pk}", ""), request.POST.get(f"explanation_{i.pk}", "")
        )
        for i in obligation.indicators.all()
    ]


def _back(pk):
    return redirect("reporting:report", pk=pk)


def _run(request, pk, *, allowed, form_class, call, done):
    """Fetch in scope (404), check the role (403), validate, run one service, report back."""
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    if not allowed(request.user, obligation):
        raise PermissionDenied("您不能对该填报进行此操作")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(pk)
    report = services.report_for(obligation=obligation)
    try:
        call(report=report, obligation=obligation, data=form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(pk)


def _unit_member(user, obligation):
    return can_edit_report(user, obligation.unit_id)


def _unit_head(user, obligation):
    return can_confirm_report(user, obligation.unit_id)


def _reviewer(user, obligation):
    return can_review_programme(user, {d.pk for d in obligation.programme.departments.all()})


@require_POST
def report_save(request, pk):
    return _run(
        request,
        pk,
        allowed=_unit_member,
        form_class=ReportForm,
        done="已保存。",
        call=lambda report, obligation, data: services.report_save(
            report=report,
            actor=request.user,
            version=data["version"],
            values=_values(request, obligation),
            note=data["note"],
        ),
    )


@require_POST
def report_submit(request, pk):
    return _run(
        request,
        pk,
        allowed=_unit_member,
        form_class=VersionForm,
        done="已提交，等待单位负责人确认。",
        call=lambda report, obligation, data: services.report_submit(
            report=report, actor=request.user, version=data["version"]
        ),
    )


@require_POST
def report_confirm(request, pk):
    return _run(
        request,
        pk,
        allowed=_unit_head,
        form_class=VersionForm,
        done="已确认并报送市总工会。",
        call=lambda report, obligation, data: services.report_confirm(
            report=report, actor=request.user, version=data["version"]
        ),
    )


@require_POST
def report_send_back(request, pk):
    return _run(
        request,
        pk,
        allowed=_unit_head,
        form_class=ReasonForm,
        done="已退回填报员。",
        call=lambda report, obligation, data: services.report_send_back(
            report=report, actor=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def report_approve(request, pk):
    return _run(
        request,
        pk,
        allowed=_reviewer,
        form_class=VersionForm,
        done="已审核通过。",
        call=lambda report, obligation, data: services.report_approve(
            report=report, reviewer=request.user, version=data["version"]
        ),
    )


@require_POST
def report_return(request, pk):
    return _run(
        request,
        pk,
        allowed=_reviewer,
        form_class=ReasonForm,
        done="已退回单位修改。",
        call=lambda report, obligation, data: services.report_return(
            report=report, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def report_reopen(request, pk):
    return _run(
        request,
        pk,
        allowed=_reviewer,
        form_class=ReasonForm,
        done="已撤销通过，退回单位修改。",
        call=lambda report, obligation, data: services.report_reopen(
            report=report, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def evidence_upload(request, pk):
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    if not can_edit_report(request.user, obligation.unit_id):
        raise PermissionDenied("您不能为该填报上传材料")
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的文件。")
        return _back(pk)
    try:
        added = services.evidence_add(
            report=services.report_for(obligation=obligation), actor=request.user, files=files
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传 {len(added)} 个文件。")
    return _back(pk)


def _evidence_in_scope(request, evidence_pk) -> Evidence:
    queryset = Evidence.objects.filter(
        obligation_scope(request.user, prefix="report__obligation__")
    )
    return get_object_or_404(queryset.select_related("report__obligation"), pk=evidence_pk)


@require_GET
def evidence_download(request, evidence_pk):
    evidence = _evidence_in_scope(request, evidence_pk)
    path = services.evidence_path(evidence)
    if not path.exists():
        raise Http404("文件不存在")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def evidence_delete(request, evidence_pk):
    evidence = _evidence_in_scope(request, evidence_pk)
    obligation = evidence.report.obligation
    if not can_edit_report(request.user, obligation.unit_id):
        raise PermissionDenied("您不能删除该材料")
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除。")
    return _back(obligation.pk)


@require_GET
def review_list(request):
    require_role(request.user, User.Role.DEPARTMENT_STAFF, User.Role.LEADER)
    return render(
        request,
        "reporting/review_list.html",
        {"reports": selectors.review_queue(user=request.user)},
    )


def _chase_context(request, slug):
    require_role(request.user, User.Role.DEPARTMENT_STAFF, User.Role.LEADER)
    plan = plan_get(slug=slug)
    today = clock.today()
    # Without a date the list stops a month ahead: what can still be chased.
    query = request.GET.copy()
    query.setdefault("until", (today + dt.timedelta(days=31)).isoformat())
    form = ChaseFilterForm(query)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.chase_rows(
        user=request.user,
        plan=plan,
        today=today,
        programme=filters.get("programme"),
        until=filters.get("until"),
    )
    return plan, form, rows, today


@require_GET
def chase(request, slug):
    plan, form, rows, today = _chase_context(request, slug)
    return render(
        request,
        "reporting/chase.html",
        {
            "plan": plan,
            "form": form,
            "rows": rows,
            "today": today,
            "columns": selectors.CHASE_COLUMNS,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def chase_export(request, slug):
    plan, _form, rows, today = _chase_context(request, slug)
    response = HttpResponse(
        chase_xlsx(plan=plan, rows=rows, today=today), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-chase-{today}.xlsx"'
    return response


@require_GET
def programme_progress(request, slug, number):
    require_business_user(request.user)
    plan = plan_get(slug=slug)
    # A unit's users see their own row only.
    only_unit = request.user.unit_id if request.user.is_unit_user else None
    return render(
        request,
        "reporting/_partials/programme_progress.html",
        {
            "plan": plan,
            "table": selectors.programme_progress(plan=plan, number=number, only_unit=only_unit),
        },
    )


@require_GET
def notifications(request):
    return render(
        request,
        "reporting/notifications.html",
        {"notifications": selectors.notifications_for(user=request.user)},
    )


@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect(reverse("reporting:notifications"))


@require_GET
def notification_open(request, pk):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, pk=note.pk)
    return redirect(note.url or "reporting:notifications")


@require_GET
def calendar_status(request, slug):
    """A warning when the plan's deadlines reach a year the working-day calendar lacks."""
    require_business_user(request.user)
    plan = plan_get(slug=slug)
    years = selectors.plan_deadline_years(plan=plan)
    unknown = WorkdayCalendar(years).unknown_years
    return render(
        request,
        "reporting/_partials/calendar_status.html",
        {"unknown_years": unknown, "plan": plan},
    )
