"""Evidence files: checked by content, stored under random names outside the web root.

A file is written before its row is committed; if the process dies in between, the file is an
orphan that `evidence_orphans` finds (never a row pointing at a missing file).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from audit.services import audit_record
from common import filestore
from common.errors import ServiceError
from common.uploads import MAX_FILES_PER_REQUEST, UploadRejected, sniff
from orgs.models import User
from reporting import workflow
from reporting.models import Evidence, Report

NOT_EDITABLE = "只有草稿或已退回的填报可以增删佐证材料。"


FOLDER = "evidence"


def evidence_dir() -> Path:
    return filestore.folder(FOLDER)


def evidence_path(evidence: Evidence) -> Path:
    return evidence_dir() / evidence.stored_name


@transaction.atomic
def evidence_add(*, report: Report, actor: User, files: list) -> list[Evidence]:
    """All files or none: every file is checked before any is stored."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in workflow.EDITABLE:
        raise ServiceError(NOT_EDITABLE)
    if len(files) > MAX_FILES_PER_REQUEST:
        raise ServiceError(f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件。")
    try:
        kinds = [sniff(f) for f in files]
    except UploadRejected as exc:
        raise ServiceError(str(exc)) from exc
    written: list[Path] = []
    created = []
    try:
        for uploaded, kind in zip(files, kinds, strict=True):
            stored = filestore.store(uploaded, kind, FOLDER)
            written.append(stored.path)
            evidence = Evidence.objects.create(
                report=report,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                content_type=kind.content_type,
                size=uploaded.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                event="reporting.evidence.added",
                target=report,
                after={"file": evidence.original_name, "sha256": evidence.sha256},
            )
            created.append(evidence)
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return created


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User) -> None:
    report = Report.objects.select_for_update().get(pk=evidence.report_id)
    if report.status not in workflow.EDITABLE:
        raise ServiceError(NOT_EDITABLE)
    path = evidence_path(evidence)
    audit_record(
        actor=actor,
        event="reporting.evidence.removed",
        target=report,
        before={"file": evidence.original_name, "sha256": evidence.sha256},
    )
    evidence.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def evidence_orphans() -> list[Path]:
    """Stored files with no database row (left by a process killed mid-upload)."""
    return filestore.orphans(FOLDER, Evidence.objects.values_list("stored_name", flat=True))
