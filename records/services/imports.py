"""Importing a unit's rows from a spreadsheet: check and keep a preview, then save all or none.

`record_import_preview` reads and checks the file and stores the result (nothing is written to
the unit's records). `record_import_save` writes every valid row of a preview in one
transaction, or nothing: it locks the preview (a double click saves once) and the unit's rows,
and refuses if any row it would touch changed since the preview. Each created or updated row
gets its own audit entry (who, when, before → after), written in batches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many
from common.errors import ServiceError
from orgs.models import Unit, User
from records.imports.checking import NEW, UPDATE, import_check
from records.imports.files import FileRefused, read_upload
from records.models import FormDefinition, Record, RecordImport
from records.services.obligations import form_obligations_refresh
from records.services.rows import audit_snapshot

PREVIEW_HOURS = 24
EXPIRED = "该导入预览已过期（超过 24 小时），请重新上传文件。"
NOT_PREVIEW = "该导入已{status}，不能再次保存。"
CHANGED = "自预览以来，本单位的记录已有变化（{detail}），请重新上传文件。"
NOTHING = "没有可保存的有效记录。"
BATCH = 1000
# Files read and checked at once in one process (a gthread worker serves several requests):
# reading one may take up to 200 MB for a few seconds (records/imports/limits.py), so imports add at
# most ~400 MB to a worker however many users upload together; the others are told to try
# again in a moment rather than queued.
IMPORTS_AT_ONCE = 2
BUSY = "导入繁忙：其他用户正在导入文件，请稍后再试。"
_imports_running = threading.BoundedSemaphore(IMPORTS_AT_ONCE)


def expires_at(record_import: RecordImport) -> dt.datetime:
    return record_import.created_at + dt.timedelta(hours=PREVIEW_HOURS)


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def record_import_preview(
    *, form: FormDefinition, unit: Unit, actor: User, uploaded
) -> RecordImport:
    """Check the file and keep the result; raises ServiceError when the whole file is refused
    or IMPORTS_AT_ONCE files are being read already (a waiting request would hold a thread)."""
    form.plan.require_open()
    if not _imports_running.acquire(blocking=False):
        raise ServiceError(BUSY)
    try:
        return _preview(form=form, unit=unit, actor=actor, uploaded=uploaded)
    finally:
        _imports_running.release()


def _preview(*, form, unit, actor, uploaded) -> RecordImport:
    name = PurePath(uploaded.name or "").name[:200]
    try:
        sheet = read_upload(uploaded)
    except FileRefused as exc:
        audit_record(
            actor=actor,
            event="records.import.refused",
            target=form,
            after={"file": name, "unit": unit.short_name},
            result=AuditEntry.Result.FAILED,
            reason=str(exc),
        )
        raise ServiceError(str(exc)) from exc
    check = import_check(form=form, unit=unit, sheet=sheet)
    if check.fatal:
        raise ServiceError(f"「{name}」：{check.fatal}")
    with transaction.atomic():
        return _store_preview(form=form, unit=unit, actor=actor, uploaded=uploaded, check=check)


def _store_preview(*, form, unit, actor, uploaded, check) -> RecordImport:
    name = PurePath(uploaded.name or "").name[:200]
    record_import = RecordImport.objects.create(
        form=form,
        unit=unit,
        user=actor,
        original_name=name,
        sha256=_sha256(uploaded),
        rows=check.rows,
        errors=check.errors,
        warnings=check.warnings,
        new_count=check.count(NEW),
        update_count=check.count(UPDATE),
        unchanged_count=len(check.rows) - check.count(NEW) - check.count(UPDATE),
        error_count=check.error_rows,
        noncompliant_count=sum(1 for r in check.rows if not r["is_compliant"]),
    )
    audit_record(
        actor=actor,
        event="records.import.previewed",
        target=record_import,
        after={
            "form": form.code,
            "file": name,
            "sha256": record_import.sha256,
            "new": record_import.new_count,
            "update": record_import.update_count,
            "unchanged": record_import.unchanged_count,
            "errors": record_import.error_count,
        },
    )
    return record_import


def _locked_preview(record_import: RecordImport, actor: User) -> RecordImport:
    locked = (
        RecordImport.objects.select_for_update()
        .select_related("form", "unit")
        .get(pk=record_import.pk)
    )
    if locked.user_id != actor.pk:
        raise ServiceError("只有上传该文件的人可以保存或取消这次导入。")
    if locked.status != RecordImport.Status.PREVIEW:
        raise ServiceError(NOT_PREVIEW.format(status=locked.get_status_display()))
    return locked


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@transaction.atomic
def record_import_save(*, record_import: RecordImport, actor: User) -> RecordImport:
    """Write every valid row of the preview, or none."""
    record_import = _locked_preview(record_import, actor)
    if timezone.now() > expires_at(record_import):
        record_import.status = RecordImport.Status.EXPIRED
        record_import.save(update_fields=["status"])
        # Commit the expiry, then refuse: raising here would roll it back.
        return record_import
    rows = [r for r in record_import.rows if r["action"] in (NEW, UPDATE)]
    if not rows:
        raise ServiceError(NOTHING)
    form, unit = record_import.form, record_import.unit
    form.plan.require_open()
    schema = form.schema

    def _snapshot(data, is_compliant, issues, status) -> dict:
        return audit_snapshot(schema, data, is_compliant, issues, status)

    current = {
        r.row_key: r
        for r in Record.objects.select_for_update()
        .filter(form=form, unit=unit)
        .only(
            "pk", "row_key", "status", "version", "data", "is_compliant", "issues", "confirmed_at"
        )
    }
    now = timezone.now()
    created: list[Record] = []
    updated: list[tuple[Record, dict]] = []
    for row in rows:
        found = current.get(row["row_key"])
        if row["action"] == NEW:
            if found is not None:
                raise ServiceError(CHANGED.format(detail=f"第 {row['row']} 行已被他人添加"))
            created.append(
                Record(
                    form=form,
                    unit=unit,
                    row_key=row["row_key"],
                    data=row["data"],
                    is_compliant=row["is_compliant"],
                    issues=row["issues"],
                    reference_date=_date(row["reference_date"]),
                    due_date=_date(row["due_date"]),
                    source=Record.Source.IMPORT,
                    created_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        if found is None or found.pk != row["record"] or found.version != row["version"]:
            raise ServiceError(CHANGED.format(detail=f"第 {row['row']} 行对应的记录已被修改"))
        if not found.editable:
            raise ServiceError(CHANGED.format(detail=f"第 {row['row']} 行对应的记录已提交"))
        before = _snapshot(found.data, found.is_compliant, found.issues, found.status)
        found.data, found.is_compliant, found.issues = (
            row["data"],
            row["is_compliant"],
            row["issues"],
        )
        found.reference_date = _date(row["reference_date"])
        found.due_date = _date(row["due_date"])
        found.source = Record.Source.IMPORT
        found.version += 1
        found.updated_at = now
        updated.append((found, before))
    Record.objects.bulk_create(created, batch_size=BATCH)
    Record.objects.bulk_update(
        [r for r, _ in updated],
        [
            "data",
            "is_compliant",
            "issues",
            "reference_date",
            "due_date",
            "source",
            "version",
            "updated_at",
        ],
        batch_size=BATCH,
    )
    changes = [(r, None, _snapshot(r.data, r.is_compliant, r.issues, r.status)) for r in created]
    audit_record_many(actor=actor, event="records.record.created", changes=changes)
    audit_record_many(
        actor=actor,
        event="records.record.saved",
        changes=[(r, b, _snapshot(r.data, r.is_compliant, r.issues, r.status)) for r, b in updated],
        reason=f"Excel 导入：{record_import.original_name}",
    )
    if any(r.confirmed_at for r, _ in updated):
        # Rows sent before and returned may now count for another period.
        form_obligations_refresh(form=form, unit_ids=[unit.pk])
    record_import.status = RecordImport.Status.SAVED
    record_import.saved_at = now
    record_import.save(update_fields=["status", "saved_at"])
    audit_record(
        actor=actor,
        event="records.import.saved",
        target=record_import,
        after={
            "form": form.code,
            "file": record_import.original_name,
            "created": len(created),
            "updated": len(updated),
            "unchanged": record_import.unchanged_count,
            "errors": record_import.error_count,
        },
    )
    return record_import


@transaction.atomic
def record_import_cancel(*, record_import: RecordImport, actor: User) -> RecordImport:
    record_import = _locked_preview(record_import, actor)
    record_import.status = RecordImport.Status.CANCELLED
    record_import.save(update_fields=["status"])
    audit_record(actor=actor, event="records.import.cancelled", target=record_import)
    return record_import
