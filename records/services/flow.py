"""A row's way through the federation: the one review workflow (reporting/workflow.py), the
same steps as a report.

reporter submits → unit head confirms (lateness judged now) → department approves or returns
with a reason; an approved row is locked until a reviewer reopens it, on record. Every action
takes several rows at once and is all-or-nothing: one row in the wrong state refuses the lot.
A row already in the state asked for is left as it is, so a double click acts once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common import clock
from common.errors import ServiceError
from orgs.models import User
from records.figures import refresh_figures
from records.models import Record, RecordApproval
from records.services.late_rows import late_approved_keys, row_counts
from records.services.obligations import form_obligations_refresh
from records.services.rows import STALE, file_counts
from reporting import workflow

Status = Record.Status
REASON_REQUIRED = "请填写退回原因。"

RECORD = workflow.Reviewed(
    noun="记录",
    events="records.record",
    unit_id=lambda r: r.unit_id,
    department_ids=lambda r: {d.pk for d in r.form.programme.departments.all()},
    due_date=lambda r: r.due_date,
    title=lambda r: f"{r.unit.short_name}：{r.form.title}第 {r.pk} 条",
    frozen=lambda r: r.form.plan.closed_refusal,
    plan=lambda r: r.form.plan,
    url=lambda r: reverse("records:row", kwargs={"slug": r.form.plan.slug, "pk": r.pk}),
    # Shorter than the table's: they follow "第 N 号记录（状态）：" in a batch's refusal.
    refusals={
        "submit": "已提交，不能重复提交",
        "confirm": "不在待确认状态",
        "send_back": "不在待确认状态",
        "approve": "不在待审核状态",
        "return": "不在待审核状态",
        "reopen": "未通过审核，无需重新打开",
    },
)


def _lock(items: Iterable[tuple[Record, int | None]]) -> list[tuple[Record, int | None]]:
    pairs = list(items)
    if not pairs:
        raise ServiceError("请先选择记录。")
    versions = {r.pk: v for r, v in pairs}
    locked = (
        Record.objects.select_for_update(of=("self",))
        .select_related("form__programme", "form__plan", "unit")
        .prefetch_related("form__programme__departments")
        .filter(pk__in=versions)
        .order_by("pk")
    )
    return [(r, versions[r.pk]) for r in locked]


def _move(
    items, *, actor: User, action: str, reason: str = "", prepare=None, now=None
) -> list[Record]:
    step = workflow.transition(action)
    today = clock.today()
    problems: list[str] = []
    todo: list[Record] = []
    for record, version in _lock(items):
        if record.status == step.target and step.target != Status.RETURNED:
            continue  # done already: a repeated click
        if version is not None and record.version != version:
            problems.append(f"第 {record.pk} 号记录：{STALE}")
            continue
        refused = workflow.refusal(RECORD, record, action, actor, today=today)
        if refused:
            problems.append(f"第 {record.pk} 号记录（{record.get_status_display()}）：{refused}")
        else:
            todo.append(record)
    if prepare is not None:
        problems += prepare(todo)
    if problems:
        raise ServiceError("；".join(problems))
    now = now or clock.now()
    for record in todo:
        workflow.apply(RECORD, record, action, actor=actor, now=now, reason=reason)
    workflow.notify(RECORD, todo, action, actor=actor, reason=reason)
    return todo


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
        return problems

    return _move(items, actor=actor, action="submit", prepare=prepare)


@transaction.atomic
def records_confirm(*, items, actor: User) -> list[Record]:
    """The unit head sends rows to the federation; lateness is judged on this day, and a row
    first sent meets its period's obligation (统计表报送) if nothing met it before."""
    moved = _move(items, actor=actor, action="confirm")
    _refresh_obligations(moved)
    return moved


def _refresh_obligations(records: list[Record]) -> None:
    units: dict[int, set[int]] = {}
    forms = {}
    for record in records:
        forms[record.form_id] = record.form
        units.setdefault(record.form_id, set()).add(record.unit_id)
    for form_id, unit_ids in units.items():
        form_obligations_refresh(form=forms[form_id], unit_ids=unit_ids)


def _with_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(REASON_REQUIRED)
    return reason


@transaction.atomic
def records_send_back(*, items, actor: User, reason: str) -> list[Record]:
    """The unit head returns submitted rows to the reporter."""
    return _move(items, actor=actor, action="send_back", reason=_with_reason(reason))


@transaction.atomic
def records_approve(*, items, reviewer: User) -> list[Record]:
    now = clock.now()
    moved = _move(items, actor=reviewer, action="approve", now=now)
    approved_late = late_approved_keys(moved)
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
                counts=row_counts(r, approved_late),
            )
            for r in moved
        ]
    )
    refresh_figures({(r.form_id, r.unit_id) for r in moved}, at=now)
    return moved


@transaction.atomic
def records_return(*, items, reviewer: User, reason: str) -> list[Record]:
    return _move(items, actor=reviewer, action="return", reason=_with_reason(reason))


@transaction.atomic
def records_reopen(*, items, reviewer: User, reason: str) -> list[Record]:
    """Approved rows are locked; changing them starts with un-approving, on record."""
    moved = _move(items, actor=reviewer, action="reopen", reason=_with_reason(reason))
    now = clock.now()
    RecordApproval.objects.filter(
        record__in=[r.pk for r in moved], withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    refresh_figures({(r.form_id, r.unit_id) for r in moved}, at=now)
    return moved
