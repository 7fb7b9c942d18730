"""Adding, changing and deleting a unit's rows (web entry and import share these)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import Unit, User
from records.context import RowContext
from records.models import FormDefinition, Record
from records.schema import RowOutcome
from reporting import clock

STALE = "该记录已被他人修改，请刷新页面后重试。"
NOT_EDITABLE = "该记录已提交，不能修改；如需修改请由审核部门退回。"


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
) -> Prepared:
    """Check one row for `unit`; raises RowRefused listing every problem."""
    schema = ctx.schema
    outcome = ctx.check(raw, files=files)
    errors = list(outcome.errors)
    for f in schema.fields:
        value = outcome.values.get(f.code)
        if f.type == "unit" and value is not None and value != unit.pk:
            errors.append((f.code, f"只能填写本单位（{unit.short_name}）的数据"))
        if f.forward_only and previous is not None and value is not None:
            before = schema.load_values(previous.data).get(f.code)
            if before in f.choices and f.choices.index(value) < f.choices.index(before):
                errors.append((f.code, f"不能从「{before}」退回到「{value}」"))
    if errors:
        raise RowRefused(errors, {f.code: f.label for f in schema.fields})
    return Prepared(
        outcome=outcome,
        data=schema.dump_values(outcome.values),
        row_key=schema.row_key(unit.pk, outcome.values),
    )


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


def snapshot(record: Record) -> dict:
    return {
        "status": record.status,
        "data": record.data,
        "is_compliant": record.is_compliant,
        "issues": record.issues,
    }


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
    locked = Record.objects.select_for_update().select_related("form", "unit").get(pk=record.pk)
    if version is not None and locked.version != version:
        raise ServiceError(STALE)
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
