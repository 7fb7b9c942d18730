"""Adding and removing evidence files, for any owner.

Whether the actor may change the owner's files now (its status, its unit) is the owner's
app's question: it locks and checks the owner, then calls these in the same transaction.

A file is written before its row is committed; if the process dies in between, the file is an
orphan that `evidence_orphans` finds (never a row pointing at a missing file).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from audit.services import audit_record
from common import filestore
from common.errors import ServiceError
from common.uploads import MAX_FILES_PER_REQUEST, UploadRejected, sniff
from evidence.models import Evidence

FOLDER = "evidence"
NO_FILES = "请选择要上传的文件。"
TOO_MANY = "一次最多上传 {n} 个文件。"


def evidence_dir() -> Path:
    return filestore.folder(FOLDER)


def evidence_path(evidence: Evidence) -> Path:
    return evidence_dir() / evidence.stored_name


def _described(evidence: Evidence) -> dict:
    described = {"file": evidence.original_name, "sha256": evidence.sha256}
    if evidence.field_code:
        described["field"] = evidence.field_code
    return described


@transaction.atomic
def evidence_add(
    *, owner: models.Model, actor, files: list, event_prefix: str | None, field_code: str = ""
) -> list[Evidence]:
    """All files or none: every file is checked by its content before any is stored.

    `event_prefix` names the owner's audit events ("reporting.evidence" writes
    "reporting.evidence.added"), which audit/labels.py names in Chinese; None when the owner's
    own entry names the file (a 市总统计 figure is entered with its file in one entry)."""
    if not files:
        raise ServiceError(NO_FILES)
    if len(files) > MAX_FILES_PER_REQUEST:
        raise ServiceError(TOO_MANY.format(n=MAX_FILES_PER_REQUEST))
    try:
        kinds = [sniff(f) for f in files]
    except UploadRejected as exc:
        raise ServiceError(str(exc)) from exc
    owner_type = ContentType.objects.get_for_model(owner)
    written: list[Path] = []
    created: list[Evidence] = []
    try:
        for uploaded, kind in zip(files, kinds, strict=True):
            stored = filestore.store(uploaded, kind, FOLDER)
            written.append(stored.path)
            evidence = Evidence.objects.create(
                owner_type=owner_type,
                owner_id=owner.pk,
                field_code=field_code,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                content_type=kind.content_type,
                size=uploaded.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            if event_prefix is not None:
                audit_record(
                    actor=actor,
                    event=f"{event_prefix}.added",
                    target=owner,
                    after=_described(evidence),
                )
            created.append(evidence)
    except Exception:
        # The rows roll back with the transaction; the files written so far must go too.
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return created


@transaction.atomic
def evidence_remove(*, evidence: Evidence, owner: models.Model, actor, event_prefix: str) -> None:
    path = evidence_path(evidence)
    audit_record(
        actor=actor,
        event=f"{event_prefix}.removed",
        target=owner,
        before=_described(evidence),
    )
    evidence.delete()
    # Only once the removal is committed: a rollback must not leave a row without its file.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def evidence_delete_files_of(owner: models.Model) -> None:
    """Once the transaction commits, remove the stored files of an owner being deleted (the
    GenericRelation deletes the rows with the owner, but not the files on disk)."""
    paths = [evidence_path(e) for e in Evidence.objects.filter(**_of(owner))]
    transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in paths])


def _of(owner: models.Model) -> dict:
    return {"owner_type": ContentType.objects.get_for_model(owner), "owner_id": owner.pk}


def evidence_orphans() -> list[Path]:
    """Stored files with no database row (left by a process killed mid-upload)."""
    return filestore.orphans(FOLDER, Evidence.objects.values_list("stored_name", flat=True))
