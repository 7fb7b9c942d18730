"""Marking the federation's own steps done, undoing that, and dating a step the plan leaves 适时.

Only the staff of a step's responsible departments act (`orgs.access.can_act_on_step`); each
write locks the step, is checked here and audited with the step's state before and after.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from evidence import services as evidence_services
from orgs.access import can_act_on_step, record_scope
from orgs.models import User
from plans.models import Milestone
from records.models import Record
from supervision import selectors
from supervision.models import StepCompletion, StepSchedule

EVENT_COMPLETED = "supervision.step.completed"
EVENT_UNDONE = "supervision.step.undone"
EVENT_SCHEDULED = "supervision.step.scheduled"

NOT_RESPONSIBLE = "只有该工作节点责任部门的工作人员可以办理。"
NOT_FEDERATION = "该节点由各单位承办，不在本部门工作节点中办理。"
NO_SUCH_DATE = "该工作节点没有截止于 {day} 的一次，请刷新页面后再试。"
UNDATED = "该工作节点还没有日期（原文“适时”）：请先确定日期，再标记完成。"
ALREADY_DONE = "截止 {day} 的一次已于 {done} 标记完成；如需更改，请先撤销。"
DONE_IN_FUTURE = "完成日期不能晚于今天。"
DONE_BEFORE_YEAR = "完成日期应在 {year} 年内或之后。"
NOTE_REQUIRED = "请填写完成情况。"
NOTE_TOO_LONG = "完成情况不超过 500 字。"
NO_DELIVERABLE = "请上传文件、关联一条统计表记录或填写名单（至少一项），作为完成的依据。"
NO_RECORD = "没有找到本方案中您可查看的第 {pk} 条统计表记录。"
NAME_TOO_LONG = "名单每行不超过 100 字：「{line}…」"
TOO_MANY_NAMES = "名单不超过 200 行。"
ALREADY_UNDONE = "该完成标记已撤销。"
REASON_REQUIRED = "请填写撤销原因。"
REASON_TOO_LONG = "撤销原因不超过 200 字。"
HAS_DATE = "该工作节点在方案中已有日期，不需要另定。"
OUTSIDE_YEAR = "日期应在 {year} 年内。"
SCHEDULE_DONE = "截止 {day} 的一次已标记完成，不能改日期；如需更改，请先撤销完成标记。"
SAME_DATE = "日期没有变化。"


class StepRefused(ServiceError):
    """A refusal because of one input: `field` names it (done_on, note, record, names, file,
    due_date, reason), so the page shows the reason beside it."""

    def __init__(self, message: str, *, field: str):
        self.field = field
        super().__init__(message)


def _step_locked(milestone: Milestone, actor: User, as_of: dt.date) -> selectors.StepStatus:
    """The step, its row locked, checked: a running plan, a federation step, the actor one of
    its departments' staff."""
    locked = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("programme__plan")
        .get(pk=milestone.pk)
    )
    plan = locked.programme.plan
    plan.require_open()
    if locked.actor != Milestone.Actor.FEDERATION:
        raise ServiceError(NOT_FEDERATION)
    status = selectors.step_get(plan=plan, pk=locked.pk, as_of=as_of)
    if not can_act_on_step(actor, set(status.department_ids)):
        raise ServiceError(NOT_RESPONSIBLE)
    return status


def completion_snapshot(completion: StepCompletion | None) -> dict | None:
    """A completion as the audit log keeps it."""
    if completion is None:
        return None
    files = [{"file": e.original_name, "sha256": e.sha256} for e in completion.evidence.all()]
    return {
        "step": completion.milestone.title,
        "due_date": completion.due_date.isoformat(),
        "done_on": completion.done_on.isoformat(),
        "note": completion.note,
        **({"record": completion.record_id} if completion.record_id else {}),
        **({"names": completion.name_list} if completion.names else {}),
        **({"files": files} if files else {}),
        "undone": completion.undone_at is not None,
        **({"undo_reason": completion.undo_reason} if completion.undo_reason else {}),
    }


def _names(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 200:
        raise StepRefused(TOO_MANY_NAMES, field="names")
    for line in lines:
        if len(line) > 100:
            raise StepRefused(NAME_TOO_LONG.format(line=line[:20]), field="names")
    return "\n".join(lines)


def _record(plan, actor: User, pk: int | None) -> Record | None:
    if pk is None:
        return None
    found = Record.objects.filter(record_scope(actor), form__plan=plan, pk=pk).first()
    if found is None:
        raise StepRefused(NO_RECORD.format(pk=pk), field="record")
    return found


@transaction.atomic
def step_complete(
    *,
    milestone: Milestone,
    actor: User,
    due_date: dt.date,
    done_on: dt.date,
    note: str,
    record_pk: int | None = None,
    names: str = "",
    file=None,
) -> StepCompletion:
    """Mark the step's occurrence due on `due_date` done on `done_on`, with what was delivered:
    `file` (checked by its content, as a report's evidence), the form row `record_pk` of the
    plan and/or `names`, one a line; at least one of them."""
    today = clock.today()
    status = _step_locked(milestone, actor, today)
    milestone, plan = status.milestone, status.milestone.programme.plan
    occurrence = status.occurrence(due_date)
    if occurrence is None:
        raise ServiceError(UNDATED if not status.occurrences else NO_SUCH_DATE.format(day=due_date))
    if occurrence.completion is not None:
        done = occurrence.completion.done_on
        raise ServiceError(ALREADY_DONE.format(day=due_date, done=done))
    if done_on > today:
        raise StepRefused(DONE_IN_FUTURE, field="done_on")
    if done_on.year < plan.year:
        raise StepRefused(DONE_BEFORE_YEAR.format(year=plan.year), field="done_on")
    note = note.strip()
    if not note:
        raise StepRefused(NOTE_REQUIRED, field="note")
    if len(note) > StepCompletion._meta.get_field("note").max_length:
        raise StepRefused(NOTE_TOO_LONG, field="note")
    names = _names(names)
    record = _record(plan, actor, record_pk)
    if file is None and record is None and not names:
        raise StepRefused(NO_DELIVERABLE, field="file")
    stored = []
    try:
        completion = _complete(milestone, actor, due_date, done_on, note, record, names, file)
        stored = list(completion.evidence.all())
        audit_record(
            actor=actor,
            event=EVENT_COMPLETED,
            target=completion,
            before={"state": occurrence.label},
            after=completion_snapshot(completion),
        )
    except Exception:
        # A refusal after the file was written rolls its row back; the file must go too.
        for evidence in stored:
            evidence_services.evidence_path(evidence).unlink(missing_ok=True)
        raise
    return completion


def _complete(milestone, actor, due_date, done_on, note, record, names, file) -> StepCompletion:
    try:
        with transaction.atomic():
            completion = StepCompletion.objects.create(
                milestone=milestone,
                due_date=due_date,
                done_on=done_on,
                note=note,
                record=record,
                names=names,
                done_by=actor,
                done_at=clock.now(),
            )
    except IntegrityError:  # marked a moment ago in another window
        raise ServiceError(ALREADY_DONE.format(day=due_date, done="刚才")) from None
    if file is not None:
        # The completion's entry names the file: evidence writes no entry of its own.
        try:
            evidence_services.evidence_add(
                owner=completion, actor=actor, files=[file], event_prefix=None
            )
        except ServiceError as exc:
            raise StepRefused(exc.message, field="file") from exc
    return completion


@transaction.atomic
def step_undo(*, completion: StepCompletion, actor: User, reason: str) -> StepCompletion:
    """The completion no longer counts, on any date; it is kept, with who undid it and why."""
    completion = StepCompletion.objects.select_related("milestone").get(pk=completion.pk)
    _step_locked(completion.milestone, actor, clock.today())
    completion = (
        StepCompletion.objects.select_for_update(of=("self",))
        .select_related("milestone")
        .get(pk=completion.pk)
    )
    if completion.undone_at is not None:
        raise ServiceError(ALREADY_UNDONE)
    reason = reason.strip()
    if not reason:
        raise StepRefused(REASON_REQUIRED, field="reason")
    if len(reason) > StepCompletion._meta.get_field("undo_reason").max_length:
        raise StepRefused(REASON_TOO_LONG, field="reason")
    before = completion_snapshot(completion)
    completion.undone_at, completion.undone_by, completion.undo_reason = clock.now(), actor, reason
    completion.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit_record(
        actor=actor,
        event=EVENT_UNDONE,
        target=completion,
        before=before,
        after=completion_snapshot(completion),
        reason=reason,
    )
    return completion


@transaction.atomic
def step_schedule(*, milestone: Milestone, actor: User, due_date: dt.date) -> StepSchedule:
    """Give a step the plan leaves without a date (适时) its date, or move that date while the
    step is not marked done for it."""
    status = _step_locked(milestone, actor, clock.today())
    milestone, plan = status.milestone, status.milestone.programme.plan
    if not status.undated:
        raise ServiceError(HAS_DATE)
    if due_date.year != plan.year:
        raise StepRefused(OUTSIDE_YEAR.format(year=plan.year), field="due_date")
    schedule = status.schedule
    if schedule is not None:
        if schedule.due_date == due_date:
            raise StepRefused(SAME_DATE, field="due_date")
        if any(o.completion for o in status.occurrences):
            raise ServiceError(SCHEDULE_DONE.format(day=schedule.due_date))
    before = {"due_date": schedule.due_date.isoformat()} if schedule else None
    schedule, _ = StepSchedule.objects.update_or_create(
        milestone=milestone,
        defaults={"due_date": due_date, "set_by": actor, "set_at": clock.now()},
    )
    audit_record(
        actor=actor,
        event=EVENT_SCHEDULED,
        target=schedule,
        before=before,
        after={"step": milestone.title, "due_date": due_date.isoformat()},
    )
    return schedule
