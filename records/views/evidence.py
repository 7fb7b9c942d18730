"""A row's files: upload into a file field, download or view in the page, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import can_edit_record
from plans.selectors import plan_get
from records import selectors
from records.services.evidence import record_evidence_add, record_evidence_remove


@require_POST
def upload(request, slug, pk, field):
    plan = plan_get(slug=slug, actor=request.user)
    record = selectors.record_get(actor=request.user, plan=plan, pk=pk)
    if not can_edit_record(request.user, record.unit_id):
        raise PermissionDenied("您不能为该记录上传附件")
    try:
        added = record_evidence_add(
            record=record,
            actor=request.user,
            field_code=field,
            files=request.FILES.getlist("files"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传 {len(added)} 个文件。")
    return redirect("records:row", slug=plan.slug, pk=record.pk)


@require_GET
def download(request, pk):
    """An attachment; an image or a PDF is shown in the page with `?inline=1`."""
    evidence, _record = selectors.evidence_get(actor=request.user, pk=pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@require_POST
def delete(request, pk):
    evidence, record = selectors.evidence_get(actor=request.user, pk=pk)
    if not can_edit_record(request.user, record.unit_id):
        raise PermissionDenied("您不能删除该附件")
    try:
        record_evidence_remove(evidence=evidence, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除。")
    return redirect("records:row", slug=record.form.plan.slug, pk=record.pk)
