"""Personal values in rows: revealing one in full (with a reason, audited) and sealing values
still stored in plain (a field newly declared personal, or keys rotated).

Values are sealed, opened and indexed by `personal.crypto` only; this module decides when.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import User
from personal import crypto
from records.models import FormDefinition, Record, RecordApproval, RecordImport

NOT_PERSONAL = "该栏不是个人信息，无需申请查看。"
NOTHING_STORED = "该栏未填写。"
UNREADABLE = "该信息无法解密（密钥已更换或数据已损坏），请联系系统管理员。"
BATCH = 1000


@transaction.atomic
def record_personal_reveal(*, record: Record, actor: User, field_code: str, reason: str) -> str:
    """The full personal value of one field of one row the actor may see (the caller fetched
    `record` through the actor's scope). Writes the audit entry 查看个人信息: who, which row,
    which field and why, never the value."""
    schema = record.form.schema
    f = schema.by_code.get(field_code)
    if f is None or not f.personal:
        raise ServiceError(NOT_PERSONAL)
    value = f.load(record.data.get(f.code))
    if value is None:
        raise ServiceError(NOTHING_STORED)
    try:
        text = f.reveal(value)
    except crypto.Unreadable as exc:
        raise ServiceError(UNREADABLE) from exc
    audit_record(
        actor=actor,
        event="records.personal.viewed",
        target=record,
        after={"field": f.code, "label": f.label},
        reason=reason,
    )
    return text


def _sealed(value, rotate: bool):
    """`value` as it should be stored, or None when it already is."""
    if value is None:
        return None
    if not crypto.is_token(value):
        return crypto.seal(str(value))
    if rotate and crypto.key_id(value) != crypto.current_key_id():
        return crypto.seal(crypto.open(value))
    return None


def _seal_data(codes: list[str], data: dict, rotate: bool) -> dict | None:
    changed = {}
    for code in codes:
        sealed = _sealed(data.get(code), rotate)
        if sealed is not None:
            changed[code] = sealed
    return {**data, **changed} if changed else None


@transaction.atomic
def personal_values_seal(
    *, forms: Iterable[FormDefinition] | None = None, rotate: bool = False
) -> int:
    """Seal every value of a personal field still stored in plain, in rows, approved copies
    and import previews; with `rotate`, also re-seal values sealed under an older key. Row
    keys that cover a personal field are recomputed from its index. Running it again changes
    nothing. Returns the number of rows, copies and previews changed."""
    if forms is None:
        forms = FormDefinition.objects.all()
    changed = 0
    for form in forms:
        schema = form.schema
        codes = [f.code for f in schema.personal_fields]
        if not codes:
            continue
        rekey = any(code in schema.key_codes for code in codes)
        records = []
        for record in (
            Record.objects.select_for_update()
            .filter(form=form)
            .only("pk", "unit_id", "row_key", "data")
        ):
            data = _seal_data(codes, record.data, rotate)
            if data is not None:
                record.data = data
                if rekey:
                    record.row_key = schema.row_key(record.unit_id, schema.load_values(data))
                records.append(record)
        Record.objects.bulk_update(records, ["data", "row_key"], batch_size=BATCH)
        approvals = []
        for approval in RecordApproval.objects.filter(form=form).only("pk", "data"):
            data = _seal_data(codes, approval.data, rotate)
            if data is not None:
                approval.data = data
                approvals.append(approval)
        RecordApproval.objects.bulk_update(approvals, ["data"], batch_size=BATCH)
        previews = []
        for preview in RecordImport.objects.filter(
            form=form, status=RecordImport.Status.PREVIEW
        ).only("pk", "unit_id", "rows"):
            rows = [
                _sealed_import_row(schema, preview.unit_id, codes, r, rekey, rotate)
                for r in preview.rows
            ]
            if rows != preview.rows:
                preview.rows = rows
                previews.append(preview)
        RecordImport.objects.bulk_update(previews, ["rows"], batch_size=BATCH)
        count = len(records) + len(approvals) + len(previews)
        if count:
            audit_record(
                actor=None,
                username="system",
                event="records.personal.sealed",
                target=form,
                federation=form.plan.issuer,
                after={
                    "fields": codes,
                    "records": len(records),
                    "approvals": len(approvals),
                    "imports": len(previews),
                    "rotated": rotate,
                },
            )
        changed += count
    return changed


def _sealed_import_row(schema, unit_id: int, codes, row: dict, rekey: bool, rotate: bool) -> dict:
    data = _seal_data(codes, row["data"], rotate)
    if data is None:
        return row
    row = {**row, "data": data}
    if rekey:
        row["row_key"] = schema.row_key(unit_id, schema.load_values(data))
    return row
