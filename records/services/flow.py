"""A row's way through the federation: the same steps as a report.

reporter submits → unit head confirms (lateness judged now) → department approves or returns
with a reason; an approved row is locked until a reviewer reopens it, on record. Every action
takes several rows at once and is all-or-nothing: one row in the wrong state refuses the lot.
A row already in the state asked for is left as it is, so a double click acts once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import User
from records.figures import refresh_figures
from records.models import FormDefinition, Record, RecordApproval
from records.services.rows import STALE, file_counts
from reporting import clock

Status = Record.Status
REASON_REQUIRED = "请填写退回原因。"


def _lock(items: Iterable[tuple[Record, int | None]]) -> list[tuple[Record, int | None]]:
    pairs = list(items)
    if not pairs:
        raise ServiceError("请先选择记录。")
    versions = {r.pk: v for r, v in pairs}
    locked = (
        Record.objects.select_for_update()
        .select_related("form", "unit")
        .filter(pk__in=versions)
        .order_by("pk")
    )
    return [(r, versions[r.pk]) for r in locked]


def _move(
    items,
    *,
    actor: User,
    allowed_from: tuple[str, ...],
    to: str,
    event: str,
    wrong_state: str,
    reason: str = "",
    prepare=None,
) -> list[Record]:
    moved: list[Record] = []
    problems: list[str] = []
    todo: list[Record] = []
    for record, version in _lock(items):
        if record.status == to and to != Status.RETURNED:
            continue  # done already: a repeated click
        if version is not None and record.version != version:
            problems.append(f"第 {record.pk} 号记录：{STALE}")
        elif record.status not in allowed_from:
            problems.append(
                f"第 {record.pk} 号记录（{record.get_status_display()}）：{wrong_state}"
            )
        else:
            todo.append(record)
    if prepare is not None:
        problems += prepare(todo)
    if problems:
        raise ServiceError("；".join(problems))
    for record in todo:
        before = {"status": record.status}
        record.status = to
        record.version += 1
        record.save()
        after = {"status": to}
        if to == Status.CONFIRMED:
            after["is_late"] = record.is_late
        audit_record(
            actor=actor, event=event, target=record, before=before, after=after, reason=reason
        )
        moved.append(record)
    return moved


@transaction.atomic
def records_submit(*, items, actor: User) -> list[Record]:
    def prepare(records: list[Record]) -> list[str]:
        problems = []
        for record in records:
            counts = file_counts(record)
            problems.extend(
                f"第 {record.pk} 号记录：请上传{f.label}"
                for f in record.form.schema.file_fields
                if f.required and not counts.get(f.code)
            )
            record.submitted_at = clock.now()
            record.return_reason = ""
        return problems

    return _move(
        items,
        actor=actor,
        allowed_from=(Status.DRAFT, Status.RETURNED),
        to=Status.SUBMITTED,
        event="records.record.submitted",
        wrong_state="已提交，不能重复提交",
        prepare=prepare,
    )


@transaction.atomic
def records_confirm(*, items, actor: User) -> list[Record]:
    """The unit head sends rows to the federation; lateness is judged on this day."""

    def prepare(records: list[Record]) -> list[str]:
        today = clock.today()
        for record in records:
            record.confirmed_at = clock.now()
            record.confirmed_by = actor
            record.is_late = bool(record.due_date and today > record.due_date)
        return []

    return _move(
        items,
        actor=actor,
        allowed_from=(Status.SUBMITTED,),
        to=Status.CONFIRMED,
        event="records.record.confirmed",
        wrong_state="不在待确认状态",
        prepare=prepare,
    )


def _with_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(REASON_REQUIRED)
    return reason


@transaction.atomic
def records_send_back(*, items, actor: User, reason: str) -> list[Record]:
    """The unit head returns submitted rows to the reporter."""
    reason = _with_reason(reason)

    def prepare(records):
        for record in records:
            record.return_reason = reason
        return []

    return _move(
        items,
        actor=actor,
        allowed_from=(Status.SUBMITTED,),
        to=Status.RETURNED,
        event="records.record.sent_back",
        wrong_state="不在待确认状态",
        reason=reason,
        prepare=prepare,
    )


@transaction.atomic
def records_approve(*, items, reviewer: User) -> list[Record]:
    now = clock.now()

    def prepare(records):
        for record in records:
            record.reviewed_at = now
            record.reviewed_by = reviewer
        return []

    moved = _move(
        items,
        actor=reviewer,
        allowed_from=(Status.CONFIRMED,),
        to=Status.APPROVED,
        event="records.record.approved",
        wrong_state="不在待审核状态",
        prepare=prepare,
    )
    RecordApproval.objects.bulk_create(
        [
            RecordApproval(
                record=r,
                form=r.form,
                unit=r.unit,
                data=r.data,
                is_compliant=r.is_compliant,
                reference_date=r.reference_date
                or min(timezone.localdate(r.created_at), clock.today()),
                approved_at=now,
                counts=not (r.is_late and r.form.late_policy == FormDefinition.LatePolicy.EXCLUDE),
            )
            for r in moved
        ]
    )
    refresh_figures({(r.form_id, r.unit_id) for r in moved}, at=now)
    return moved


@transaction.atomic
def records_return(*, items, reviewer: User, reason: str) -> list[Record]:
    reason = _with_reason(reason)
    now = clock.now()

    def prepare(records):
        for record in records:
            record.return_reason = reason
            record.reviewed_at = now
            record.reviewed_by = reviewer
        return []

    return _move(
        items,
        actor=reviewer,
        allowed_from=(Status.CONFIRMED,),
        to=Status.RETURNED,
        event="records.record.returned",
        wrong_state="不在待审核状态",
        reason=reason,
        prepare=prepare,
    )


@transaction.atomic
def records_reopen(*, items, reviewer: User, reason: str) -> list[Record]:
    """Approved rows are locked; changing them starts with un-approving, on record."""
    reason = _with_reason(reason)

    def prepare(records):
        for record in records:
            record.return_reason = reason
        return []

    moved = _move(
        items,
        actor=reviewer,
        allowed_from=(Status.APPROVED,),
        to=Status.RETURNED,
        event="records.record.reopened",
        wrong_state="未通过审核，无需重新打开",
        reason=reason,
        prepare=prepare,
    )
    now = clock.now()
    RecordApproval.objects.filter(
        record__in=[r.pk for r in moved], withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    refresh_figures({(r.form_id, r.unit_id) for r in moved}, at=now)
    return moved
