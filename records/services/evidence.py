"""Files attached to a row (a file field's scans and photos), checked like report evidence.

Files are checked by content (`common.uploads.sniff`), stored under random names in
UPLOAD_ROOT/records (outside the web root) and served only by a permission-checked view. A
standard may depend on a file field (`documents >= 1`), so every upload and removal re-judges
the row in the same transaction (`record_recheck`).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from audit.services import audit_record
from common import filestore
from common.errors import ServiceError
from common.uploads import MAX_FILES_PER_REQUEST, UploadRejected, sniff
from orgs.models import User
from records.models import Record, RecordEvidence
from records.services.rows import record_delete, record_recheck

NOT_EDITABLE = "只有草稿或已退回的记录可以增删附件。"
NO_SUCH_FIELD = "该表没有这个附件栏目。"
STALE = "该记录已被他人修改，请刷新页面后重试。"


FOLDER = "records"


def record_evidence_dir() -> Path:
    return filestore.folder(FOLDER)


def record_evidence_path(evidence: RecordEvidence) -> Path:
    return record_evidence_dir() / evidence.stored_name


def _lock_editable(record: Record, version: int | None) -> Record:
    record = Record.objects.select_for_update().select_related("form").get(pk=record.pk)
    if version is not None and record.version != version:
        raise ServiceError(STALE)
    if not record.editable:
        raise ServiceError(NOT_EDITABLE)
    return record


@transaction.atomic
def record_evidence_add(
    *, record: Record, actor: User, field_code: str, files: list, version: int | None = None
) -> list[RecordEvidence]:
    """All files or none: every file is checked before any is stored."""
    record = _lock_editable(record, version)
    if field_code not in {f.code for f in record.form.schema.file_fields}:
        raise ServiceError(NO_SUCH_FIELD)
    if not files:
        raise ServiceError("请选择要上传的文件。")
    if len(files) > MAX_FILES_PER_REQUEST:
        raise ServiceError(f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件。")
    try:
        kinds = [sniff(f) for f in files]
    except UploadRejected as exc:
        raise ServiceError(str(exc)) from exc
    written: list[Path] = []
    created: list[RecordEvidence] = []
    try:
        for uploaded, kind in zip(files, kinds, strict=True):
            stored = filestore.store(uploaded, kind, FOLDER)
            written.append(stored.path)
            evidence = RecordEvidence.objects.create(
                record=record,
                field_code=field_code,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                content_type=kind.content_type,
                size=uploaded.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                event="records.evidence.added",
                target=record,
                after={
                    "file": evidence.original_name,
                    "field": field_code,
                    "sha256": evidence.sha256,
                },
            )
            created.append(evidence)
        record_recheck(record=record, actor=actor)
    except Exception:
        # The rows roll back with the transaction; the files written so far must go too.
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return created


@transaction.atomic
def record_evidence_remove(*, evidence: RecordEvidence, actor: User) -> Record:
    record = _lock_editable(evidence.record, None)
    path = record_evidence_path(evidence)
    audit_record(
        actor=actor,
        event="records.evidence.removed",
        target=record,
        before={"file": evidence.original_name, "field": evidence.field_code},
    )
    evidence.delete()
    record = record_recheck(record=record, actor=actor)
    # Only once the removal is committed: a rollback must not leave a row without its file.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return record


@transaction.atomic
def record_delete_with_files(*, record: Record, actor: User, version: int) -> None:
    """Delete a draft (`record_delete`) and, once that is committed, its stored files, which
    the cascade removes from the database but not from the disk."""
    paths = [record_evidence_path(e) for e in RecordEvidence.objects.filter(record=record)]
    record_delete(record=record, actor=actor, version=version)
    transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in paths])


def record_evidence_orphans() -> list[Path]:
    """Stored files with no database row (left by a process killed mid-upload)."""
    return filestore.orphans(FOLDER, RecordEvidence.objects.values_list("stored_name", flat=True))
