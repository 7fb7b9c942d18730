"""Adding, changing and deleting a unit's rows (web entry and import share these)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from orgs.models import Unit, User
from personal import crypto
from records.context import RowContext
from records.fields import FieldDef, Kept, Sealed
from records.models import FormDefinition, Record
from records.schema import FormSchema, RowOutcome
from records.services.obligations import form_obligations_refresh

STALE = "该记录已被他人修改，请刷新页面后重试。"
NOT_EDITABLE = "该记录已提交，不能修改；如需修改请由审核部门退回。"
# A mask (138****5678, as exports show it) means "keep what is stored": only on an existing row
# whose stored value shows the same mask, and never in the fields that identify the row.
MASK_IN_KEY = "这是脱敏后的显示值，不能用来识别记录，请填写完整信息"
MASK_UNKNOWN = "这是脱敏后的显示值，与已保存的信息不符，请填写完整信息"


class RowRefused(ServiceError):
    """The row cannot be saved; `errors` are (field code or "", reason) pairs."""

    def __init__(self, errors: list[tuple[str, str]], labels: Mapping[str, str]):
        self.errors = errors
        text = "；".join(f"{labels.get(code, '本行')}：{reason}" for code, reason in errors)
        super().__init__(text)


@dataclass
class Prepared:
    """A checked row ready to be written."""

    outcome: RowOutcome
    data: dict[str, Any]
    row_key: str


def prepare_row(
    ctx: RowContext,
    *,
    unit: Unit,
    raw: Mapping[str, Any],
    files: Mapping[str, int] | None = None,
    previous: Record | None = None,
    lookup: Callable[[str], Record | None] | None = None,
) -> Prepared:
    """Check one row for `unit`; raises RowRefused listing every problem.

    `previous` is the row being changed; an import passes `lookup` instead, which finds the
    unit's row with the same row key, if any. Against it, stages only move forward, a mask
    read back keeps the stored personal value, and a personal value typed again unchanged
    keeps its token (so an unchanged row stays equal to what is stored)."""
    schema = ctx.schema
    outcome = ctx.check(raw, files=files)
    values = outcome.values
    errors = list(outcome.errors)
    errors += [
        (f.code, MASK_IN_KEY)
        for f in schema.personal_fields
        if isinstance(values.get(f.code), Kept) and f.code in schema.key_codes
    ]
    row_key = "" if errors else schema.row_key(unit.pk, values)
    against_previous = any(f.forward_only or f.personal for f in schema.fields)
    if previous is None and lookup is not None and row_key and against_previous:
        previous = lookup(row_key)
    before = schema.load_values(previous.data) if previous and against_previous else {}
    for f in schema.fields:
        value = values.get(f.code)
        if f.type == "unit" and value is not None and value != unit.pk:
            errors.append((f.code, f"只能填写本单位（{unit.short_name}）的数据"))
        if f.forward_only and previous is not None and value is not None:
            old = before.get(f.code)
            if old in f.choices and f.choices.index(value) < f.choices.index(old):
                errors.append((f.code, f"不能从「{old}」退回到「{value}」"))
        if f.personal and value is not None:
            kept = _kept_personal(f, value, before.get(f.code))
            if kept is None:
                errors.append((f.code, MASK_UNKNOWN))
            values[f.code] = kept
    if errors:
        raise RowRefused(errors, {f.code: f.label for f in schema.fields})
    return Prepared(outcome=outcome, data=schema.dump_values(values), row_key=row_key)


def _kept_personal(f: FieldDef, value: Any, stored: Any) -> Any:
    """The personal value to store: the stored one when `value` is its mask or its plain text
    again, else `value`; None for a mask that matches nothing stored."""
    if isinstance(value, Kept):
        return stored if stored is not None and f.show(stored) == value.text else None
    if isinstance(stored, Sealed) and isinstance(value, str):
        try:
            if stored.open() == value:
                return stored
        except crypto.Unreadable:
            pass
    return value


def due_date_of(ctx: RowContext, values: Mapping[str, Any], entered_on):
    rule = ctx.schema.deadline.rule_date(ctx.schema.deadline_reference(values), entered_on)
    return ctx.calendar.roll_forward(rule) if rule else None


def apply_prepared(record: Record, ctx: RowContext, prepared: Prepared) -> None:
    """Copy a checked row onto `record` (not saved)."""
    values = prepared.outcome.values
    record.data = prepared.data
    record.row_key = prepared.row_key
    record.is_compliant = prepared.outcome.compliant
    record.issues = prepared.outcome.issues
    record.reference_date = ctx.schema.reference_date(values)
    entered_on = timezone.localdate(record.created_at) if record.created_at else clock.today()
    record.due_date = due_date_of(ctx, values, entered_on)


def audit_snapshot(schema: FormSchema, data, is_compliant, issues, status) -> dict:
    """A row as its audit entry keeps it: personal values masked, never in plain nor sealed
    (the log outlives keys and rows), with their HMAC index so a change shows even where the
    masks look alike."""
    snap = {
        "status": status,
        "data": schema.masked_data(data),
        "is_compliant": is_compliant,
        "issues": issues,
    }
    if schema.personal_fields:
        snap["personal_index"] = schema.personal_index(data)
    return snap


def snapshot(record: Record) -> dict:
    return audit_snapshot(
        record.form.schema, record.data, record.is_compliant, record.issues, record.status
    )


def file_counts(record: Record | None) -> dict[str, int]:
    if record is None or record.pk is None:
        return {}
    counts: dict[str, int] = {}
    for code in record.evidence.values_list("field_code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def _duplicate(form: FormDefinition, unit: Unit, row_key: str, exclude: int | None) -> bool:
    rows = Record.objects.filter(form=form, unit=unit, row_key=row_key)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def _duplicate_message(ctx: RowContext) -> str:
    labels = "、".join(ctx.schema.by_code[c].label for c in ctx.schema.key) or "全部内容"
    return f"本单位已有一条{labels}相同的记录"


@transaction.atomic
def record_create(
    *, form: FormDefinition, unit: Unit, actor: User, raw: Mapping[str, Any]
) -> Record:
    form.plan.require_open()
    ctx = RowContext(form)
    prepared = prepare_row(ctx, unit=unit, raw=raw)
    if _duplicate(form, unit, prepared.row_key, None):
        raise RowRefused([("", _duplicate_message(ctx))], {})
    record = Record(form=form, unit=unit, created_by=actor, source=Record.Source.WEB)
    apply_prepared(record, ctx, prepared)
    record.save()
    audit_record(actor=actor, event="records.record.created", target=record, after=snapshot(record))
    return record


def _locked(record: Record, version: int | None) -> Record:
    locked = (
        Record.objects.select_for_update(of=("self",))
        .select_related("form__plan", "unit")
        .get(pk=record.pk)
    )
    if version is not None and locked.version != version:
        raise ServiceError(STALE)
    # Every change of a row (save, delete) is refused once its plan has ended.
    locked.form.plan.require_open()
    return locked


@transaction.atomic
def record_update(*, record: Record, actor: User, raw: Mapping[str, Any], version: int) -> Record:
    record = _locked(record, version)
    if not record.editable:
        raise ServiceError(NOT_EDITABLE)
    ctx = RowContext(record.form)
    prepared = prepare_row(
        ctx, unit=record.unit, raw=raw, files=file_counts(record), previous=record
    )
    if _duplicate(record.form, record.unit, prepared.row_key, record.pk):
        raise RowRefused([("", _duplicate_message(ctx))], {})
    before = snapshot(record)
    due_before = record.due_date
    apply_prepared(record, ctx, prepared)
    record.version += 1
    record.save()
    audit_record(
        actor=actor,
        event="records.record.saved",
        target=record,
        before=before,
        after=snapshot(record),
    )
    if record.confirmed_at and record.due_date != due_before:
        # A row sent before and returned now counts for another period.
        form_obligations_refresh(form=record.form, unit_ids=[record.unit_id])
    return record


@transaction.atomic
def record_recheck(*, record: Record, actor: User) -> Record:
    """Re-judge the standards after a file was added or removed (a required scan, say)."""
    record = _locked(record, None)
    ctx = RowContext(record.form)
    outcome = ctx.check(ctx.schema.load_values(record.data), files=file_counts(record))
    if outcome.valid and (outcome.compliant, outcome.issues) != (
        record.is_compliant,
        record.issues,
    ):
        before = snapshot(record)
        record.is_compliant = outcome.compliant
        record.issues = outcome.issues
        record.save(update_fields=["is_compliant", "issues", "updated_at"])
        audit_record(
            actor=actor,
            event="records.record.rechecked",
            target=record,
            before=before,
            after=snapshot(record),
        )
    return record


@transaction.atomic
def record_delete(*, record: Record, actor: User, version: int) -> None:
    """A row never sent to the federation may be deleted by its unit; anything else stays."""
    record = _locked(record, version)
    if record.status != Record.Status.DRAFT:
        raise ServiceError("只有未提交过的草稿可以删除。")
    audit_record(
        actor=actor, event="records.record.deleted", target=record, before=snapshot(record)
    )
    record.delete()
