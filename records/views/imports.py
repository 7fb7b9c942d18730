"""The Excel round trip for a unit: template, upload, preview, save or cancel."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE, Column, table_xlsx
from jobs.models import Job
from jobs.services import job_enqueue
from orgs.access import require_record_import
from plans.selectors import plan_get
from records import selectors
from records.imports import template_xlsx
from records.imports.files import MAX_ROWS
from records.models import RecordImport
from records.services.imports import (
    EXPIRED,
    expires_at,
    record_import_cancel,
    record_import_save,
)
from records.tasks import import_check, upload_keep

SHOWN_ERRORS = 1000  # the page lists this many; the Excel list has them all


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form(request, slug, code):
    require_record_import(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    return plan, selectors.form_get(actor=request.user, plan=plan, code=code)


def _import(request, slug, pk) -> RecordImport:
    """Only the uploader sees an upload (others → 404, as for another unit's objects)."""
    require_record_import(request.user)
    queryset = RecordImport.objects.select_related("form__plan", "form__programme", "unit")
    return get_object_or_404(queryset, pk=pk, form__plan__slug=slug, user=request.user)


@require_GET
def template(request, slug, code):
    _plan, form = _form(request, slug, code)
    data = template_xlsx(form=form, unit=request.user.unit)
    return xlsx_response(data, f"{slug}-{code}-template-{request.user.unit.code}.xlsx")


@require_http_methods(["GET", "POST"])
def upload(request, slug, code):
    plan, form = _form(request, slug, code)
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, "请选择要导入的 xlsx 或 csv 文件。")
        else:
            # Read by a task worker (records/tasks.py). A quick worker (or the immediate
            # backend) has finished by now: the preview, or the refusal, at once; else the
            # job's page shows the progress and then links to the preview.
            job = job_enqueue(
                actor=request.user,
                kind=Job.Kind.IMPORT,
                task=import_check,
                plan=plan,
                params={
                    "form": form.pk,
                    "file": PurePath(uploaded.name or "").name[:200],
                    "stored": upload_keep(uploaded),
                },
            )
            job.refresh_from_db()
            if job.status == Job.Status.DONE:
                return redirect(job.result["url"])
            if job.status == Job.Status.FAILED:
                messages.error(request, job.error)
            else:
                return redirect("jobs:job", pk=job.pk)
    context = {"plan": plan, "form": form, "max_rows": MAX_ROWS, "schema": form.schema}
    return render(request, "records/import_upload.html", context)


@require_GET
@never_cache
def preview(request, slug, pk):
    record_import = _import(request, slug, pk)
    return render(
        request,
        "records/import_preview.html",
        {
            "plan": record_import.form.plan,
            "form": record_import.form,
            "imp": record_import,
            "errors": record_import.errors[:SHOWN_ERRORS],
            "more_errors": max(0, len(record_import.errors) - SHOWN_ERRORS),
            "noncompliant": [r for r in record_import.rows if not r["is_compliant"]][:SHOWN_ERRORS],
            "expires_at": expires_at(record_import),
        },
    )


@require_GET
def errors_export(request, slug, pk):
    record_import = _import(request, slug, pk)
    data = table_xlsx(
        sheet_title="出错清单",
        title=f"{record_import.form.title} · 导入出错清单",
        subtitle=f"文件：{record_import.original_name}",
        columns=[Column("行号", 8), Column("列", 24), Column("原因", 60, align="left")],
        rows=[[e["row"], e["column"] or "（整行）", e["reason"]] for e in record_import.errors],
    )
    return xlsx_response(data, f"{slug}-import-{pk}-errors.xlsx")


@require_POST
def save(request, slug, pk):
    record_import = _import(request, slug, pk)
    try:
        done = record_import_save(record_import=record_import, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("records:import_preview", slug=slug, pk=pk)
    if done.status == RecordImport.Status.EXPIRED:
        messages.error(request, EXPIRED)
        return redirect("records:import_upload", slug=slug, code=done.form.code)
    messages.success(request, f"已保存 {done.new_count} 条新记录，更新 {done.update_count} 条。")
    return redirect("records:rows", slug=slug, code=done.form.code)


@require_POST
def cancel(request, slug, pk):
    record_import = _import(request, slug, pk)
    try:
        record_import_cancel(record_import=record_import, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "已取消本次导入，没有保存任何记录。")
    return redirect("records:import_upload", slug=slug, code=record_import.form.code)
