import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common import clock
from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE
from common.partials import render_panel
from evidence.models import Evidence
from evidence.services import evidence_path
from evidence.serving import file_response
from jobs.models import Job
from jobs.services import job_enqueue
from orgs.access import (
    can_edit_report,
    obligation_scope,
    require_business_user,
    require_role,
)
from orgs.models import User
from plans.selectors import plan_get
from reporting import selectors, services, tasks, warning_levels
from reporting.calendar import WorkdayCalendar
from reporting.exports import chase_xlsx
from reporting.forms import ChaseFilterForm
from reporting.models import Notification, Report

UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)


def _evidence_in_scope(request, evidence_pk) -> tuple[Evidence, Report]:
    """A report's file and its report, if the user may see the report (else a 404)."""
    queryset = Evidence.objects.of_kind(Report).filter(
        obligation_scope(request.user, prefix="report__obligation__")
    )
    evidence = get_object_or_404(queryset, pk=evidence_pk)
    return evidence, Report.objects.select_related("obligation").get(pk=evidence.owner_id)


@require_GET
def evidence_download(request, evidence_pk):
    """An attachment; an image or a PDF is shown in the page with `?inline=1`."""
    evidence, _report = _evidence_in_scope(request, evidence_pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@require_POST
def evidence_delete(request, evidence_pk):
    evidence, report = _evidence_in_scope(request, evidence_pk)
    obligation = report.obligation
    if not can_edit_report(request.user, obligation.unit_id):
        raise PermissionDenied("您不能删除该材料")
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除。")
    return redirect("reporting:report", pk=obligation.pk)


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
    plan = plan_get(slug=slug, actor=request.user)
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
    cards = selectors.chase_cards(rows)
    return render(
        request,
        "reporting/chase.html",
        {
            "plan": plan,
            "form": form,
            "rows": rows,
            "cards": cards,
            "card_totals": {
                "yellow": sum(c.yellow for c in cards),
                "red": sum(c.red for c in cards),
            },
            "due_soon_workdays": warning_levels.due_soon_workdays(plan),
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


@require_POST
def chase_remind(request, slug):
    """发送催报提醒 now, for what this page lists (the staff member's programmes of the plan),
    as `remind` does (once per obligation, kind and day): a job a worker runs (jobs/). htmx
    gets its progress partial; a plain post goes to the job's page."""
    require_role(request.user, User.Role.DEPARTMENT_STAFF)
    plan = plan_get(slug=slug, actor=request.user)
    htmx = request.headers.get("HX-Request") == "true"
    try:
        plan.require_open()
    except ServiceError as exc:
        messages.error(request, exc.message)
        response = redirect("reporting:chase", slug=plan.slug)
        if htmx:  # the whole page again, with the message
            response["HX-Redirect"] = response["Location"]
        return response
    job = job_enqueue(
        actor=request.user,
        kind=Job.Kind.REMINDERS,
        task=tasks.reminders_send,
        plan=plan,
        params={"today": clock.today().isoformat(), "days": tasks.DAYS},
    )
    if htmx:
        return render(request, "jobs/_partials/job.html", {"job": job})
    return redirect("jobs:job", pk=job.pk)


@require_GET
def programme_progress(request, slug, number):
    require_business_user(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    # A unit's users see their own row only.
    only_unit = request.user.unit_id if request.user.is_unit_user else None
    return render_panel(
        request,
        "reporting/_partials/programme_progress.html",
        {
            "plan": plan,
            "table": selectors.programme_progress(plan=plan, number=number, only_unit=only_unit),
        },
        title=f"专案{number} 各单位报送进度",
    )


@require_GET
def notifications(request):
    return render(
        request,
        "reporting/notifications.html",
        {"page": selectors.notifications_page(user=request.user, page=request.GET.get("page"))},
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
    plan = plan_get(slug=slug, actor=request.user)
    years = selectors.plan_deadline_years(plan=plan)
    unknown = WorkdayCalendar(years).unknown_years
    return render(
        request,
        "reporting/_partials/calendar_status.html",
        {"unknown_years": unknown, "plan": plan},
    )
