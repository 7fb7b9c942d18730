"""Files attached to a row (a file field's scans and photos), kept by the evidence app.

This module decides whether the row's files may change now (its status, its version, the
field); `evidence.services` checks, stores and audits the files. A standard may depend on a
file field (`documents >= 1`), so every upload and removal re-judges the row in the same
transaction (`record_recheck`).
"""

from __future__ import annotations

from django.db import transaction

from common.errors import ServiceError
from evidence import services as evidence_services
from evidence.models import Evidence
from orgs.models import User
from records.models import Record
from records.services.rows import record_delete, record_recheck

NOT_EDITABLE = "只有草稿或已退回的记录可以增删附件。"
NO_SUCH_FIELD = "该表没有这个附件栏目。"
STALE = "该记录已被他人修改，请刷新页面后重试。"


def _lock_editable(record: Record, version: int | None) -> Record:
    record = (
        Record.objects.select_for_update(of=("self",))
        .select_related("form__plan")
        .get(pk=record.pk)
    )
    if version is not None and record.version != version:
        raise ServiceError(STALE)
    record.form.plan.require_open()
    if not record.editable:
        raise ServiceError(NOT_EDITABLE)
    return record


@transaction.atomic
def record_evidence_add(
    *, record: Record, actor: User, field_code: str, files: list, version: int | None = None
) -> list[Evidence]:
    """All files or none: every file is checked before any is stored."""
    record = _lock_editable(record, version)
    if field_code not in {f.code for f in record.form.schema.file_fields}:
        raise ServiceError(NO_SUCH_FIELD)
    added = evidence_services.evidence_add(
        owner=record,
        actor=actor,
        files=files,
        field_code=field_code,
        event_prefix="records.evidence",
    )
    try:
        record_recheck(record=record, actor=actor)
    except Exception:
        for evidence in added:
            evidence_services.evidence_path(evidence).unlink(missing_ok=True)
        raise
    return added


@transaction.atomic
def record_evidence_remove(*, evidence: Evidence, actor: User) -> Record:
    record = _lock_editable(Record(pk=evidence.owner_id), None)
    evidence_services.evidence_remove(
        evidence=evidence, owner=record, actor=actor, event_prefix="records.evidence"
    )
    return record_recheck(record=record, actor=actor)


@transaction.atomic
def record_delete_with_files(*, record: Record, actor: User, version: int) -> None:
    """Delete a draft (`record_delete`) and, once that is committed, its stored files, which
    the cascade removes from the database but not from the disk."""
    evidence_services.evidence_delete_files_of(record)
    record_delete(record=record, actor=actor, version=version)
