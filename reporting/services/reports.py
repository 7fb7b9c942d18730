"""Reports through the review workflow (reporting/workflow.py): draft → submitted → confirmed
→ approved, or returned with a reason.

Every service locks the report row, checks the version the user saw (no lost updates), writes
the change and its audit entry in one transaction. A report is created by its first successful
save, upload or submission: a refused one leaves none behind (the page says 未填报, not 草稿).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse

from audit.services import audit_record
from common import clock, numbers
from common.errors import ServiceError
from evidence.services import evidence_path
from orgs.models import User
from plans.models import Milestone
from plans.selectors import format_number
from reporting import workflow
from reporting.models import Obligation, OfficialValue, ProgressValue, Report
from reporting.services.evidence import evidence_add
from reporting.services.obligations import period_label
from reporting.services.official import Figure, official_record, official_withdraw

Status = Report.Status

STALE = "该填报已被他人修改（可能在另一窗口或由其他人操作），请刷新页面后再提交。"
NOT_EDITABLE = "只有草稿或已退回的填报可以修改。"
NOT_YOURS = "只有本单位的填报人员可以填写该填报。"
REASON_REQUIRED = "请填写原因。"
INCOMPLETE = "以下指标尚未填写：{names}。"
MISSING = "提交前请填写此项。"
NO_FILES = "材料报送须上传至少一个文件。"
NOT_OPEN = "该期（{period}）尚未开始，{start}起可填报。"
# A value more than this many times the unit's allocation is flagged for the reviewer.
FAR_ABOVE_FACTOR = Decimal(2)
NON_INTEGER_MEASURES = {"元", "比例", "万元"}
BELOW_PREVIOUS = "「{name}」累计值 {value} 低于{previous} {last}，请在说明中写明原因。"


def period_not_open(obligation: Obligation, today: dt.date) -> str:
    """Why the obligation's period cannot be reported yet ("" once it has begun): a progress
    period opens on its first day, so a month's figures are never sent before the month."""
    start = obligation.period_start
    if obligation.kind != Obligation.Kind.PROGRESS or start is None or today >= start:
        return ""
    day = f"{start.month}月{start.day}日"
    if start.year != today.year:
        day = f"{start.year}年{day}"
    return NOT_OPEN.format(period=period_label(obligation.period, obligation.period_end), start=day)


def _obligation_reported(report: Report) -> None:
    """Copy the report's first confirmation to its obligation, which the dashboards read."""
    obligation = report.obligation
    obligation.reported_at, obligation.reported_late = report.confirmed_at, report.is_late
    obligation.save(update_fields=["reported_at", "reported_late"])


REPORT = workflow.Reviewed(
    noun="填报",
    events="reporting.report",
    unit_id=lambda r: r.obligation.unit_id,
    department_ids=lambda r: {d.pk for d in r.obligation.programme.departments.all()},
    due_date=lambda r: r.obligation.due_date,
    # "汝州市：专案2「…」2022年7月进度": the unit before a colon, as workflow.Reviewed says.
    title=lambda r: f"{r.obligation.unit.short_name}：{r.obligation.title}",
    url=lambda r: reverse("reporting:report", kwargs={"pk": r.obligation_id}),
    not_open=lambda r, today: period_not_open(r.obligation, today),
    frozen=lambda r: r.obligation.plan.closed_refusal,
    plan=lambda r: r.obligation.plan,
    first_reported=_obligation_reported,
)


@dataclass
class ValueInput:
    indicator_id: int
    raw: str
    explanation: str = ""


class FiguresRefused(ServiceError):
    """Figures refused, each reason under its indicator's id, so a page can show it beside the
    field; `message` joins them for whoever shows one line."""

    def __init__(self, errors: dict[int, str], summary: str = ""):
        self.errors = errors
        self.summary = summary  # what the reasons beside the fields do not say themselves
        super().__init__(summary or "；".join(errors.values()))


class FilesRefused(ServiceError):
    """A chosen file refused (its type, its size, too many): shown beside the file input."""


def report_for(*, obligation: Obligation) -> Report:
    """The obligation's report, created empty on first use."""
    report, _ = Report.objects.get_or_create(obligation=obligation)
    return report


class AlreadyDone(Exception):
    """The report is already where the action would take it (a double-clicked button)."""

    def __init__(self, report: Report):
        self.report = report


def _locked(report: Report, version: int | None, *, target: str | None = None) -> Report:
    if report.pk is None:
        # First written here, inside the caller's transaction: a refusal rolls it back.
        report, _ = Report.objects.get_or_create(obligation=report.obligation)
    # Only the report's row: locking its unit too would queue a unit's reports behind each
    # other on a deadline day.
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("obligation__unit", "obligation__plan")
        .get(pk=report.pk)
    )
    if target is not None and locked.status == target and locked.version == (version or 0) + 1:
        raise AlreadyDone(locked)
    if version is not None and locked.version != version:
        raise ServiceError(STALE)
    return locked


def idempotent(service):
    """A repeated click on the same button returns the result of the first one."""

    def wrapper(**kwargs) -> Report:
        try:
            return service(**kwargs)
        except AlreadyDone as done:
            return done.report

    wrapper.__name__ = service.__name__
    wrapper.__doc__ = service.__doc__
    return wrapper


def _snapshot(report: Report) -> dict:
    return {
        "status": report.status,
        "note": report.note,
        "figures": {
            str(v.indicator_id): (str(v.value) if v.value is not None else None)
            for v in report.values.all()
        },
    }


def parse_value(raw: str, *, measure: str, name: str) -> Decimal | None:
    """The figure typed for indicator `name` (common.numbers reads it), None when blank."""
    try:
        return numbers.read_number(
            raw, negative=False, whole=measure not in NON_INTEGER_MEASURES, places=2
        )
    except numbers.NumberInvalid as exc:
        message = {
            numbers.NEGATIVE: f"「{name}」不能为负数。",
            numbers.NOT_WHOLE: f"「{name}」以{measure}计，应填写整数。",
            numbers.TOO_PRECISE: f"「{name}」最多保留两位小数。",
            numbers.TOO_LARGE: f"「{name}」数值过大。",
        }.get(exc.reason, f"「{name}」应填写数字，收到「{raw}」。")
        raise ServiceError(message) from None


def falls_below(value: Decimal | None, last: Decimal | None) -> bool:
    """A cumulative figure below the last one counted: it should never fall, so a fall needs a
    written reason (and the reviewer sees it flagged)."""
    return value is not None and last is not None and value < last


def unexplained_fall(
    *, name: str, value: Decimal | None, last: Decimal | None, explanation: str, previous: str
) -> str:
    """Why a figure that falls below `last` without a reason is refused ("" when it is not):
    one rule for unit reports and city figures. `previous` says what `last` was
    ("上期已审核的"); both numbers are written as the pages print them (4,156, not 4156.00)."""
    if not falls_below(value, last) or explanation.strip():
        return ""
    return BELOW_PREVIOUS.format(
        name=name, value=format_number(value), previous=previous, last=format_number(last)
    )


def _write_figures(report: Report, actor: User, values: list[ValueInput], note: str | None) -> bool:
    """Check and write the reporter's figures (and note); False when nothing changed, which
    writes nothing. Flags what the reviewer should look at."""
    from reporting.selectors import last_official_values, unit_allocations

    obligation = report.obligation
    indicators = {i.pk: i for i in obligation.indicators.all()}
    previous = last_official_values(obligation=obligation)
    allocations = unit_allocations(obligation=obligation)
    stored = {v.indicator_id: v for v in report.values.all()}
    errors: dict[int, str] = {}
    parsed: dict[int, tuple[Decimal | None, str, list[str]]] = {}
    for item in values:
        indicator = indicators.get(item.indicator_id)
        if indicator is None:
            continue  # not this obligation's indicator: ignored, never trusted
        try:
            value = parse_value(item.raw, measure=indicator.measure, name=indicator.name)
        except ServiceError as exc:
            errors[indicator.pk] = exc.message
            continue
        flags = []
        last = previous.get(indicator.pk)
        refusal = unexplained_fall(
            name=indicator.name,
            value=value,
            last=last,
            explanation=item.explanation,
            previous="上期已审核的",
        )
        if refusal:
            errors[indicator.pk] = refusal
            continue
        if falls_below(value, last):
            flags.append("below_previous")
        share = allocations.get(indicator.pk)
        if value is not None and share and value > share * FAR_ABOVE_FACTOR:
            flags.append("far_above_allocation")
        parsed[indicator.pk] = (value, item.explanation.strip(), flags)
    if errors:
        raise FiguresRefused(errors)
    note = report.note if note is None else note.strip()
    changed = [
        (pk, entry)
        for pk, entry in parsed.items()
        if pk not in stored or (stored[pk].value, stored[pk].explanation) != entry[:2]
    ]
    if not changed and note == report.note:
        return False
    before = _snapshot(report)
    for indicator_id, (value, explanation, flags) in changed:
        ProgressValue.objects.update_or_create(
            report=report,
            indicator_id=indicator_id,
            defaults={"value": value, "explanation": explanation, "flags": flags},
        )
    report.note = note
    audit_record(
        actor=actor,
        event="reporting.report.saved",
        target=report,
        before=before,
        after=_snapshot(report),
    )
    return True


def _check_editable(report: Report, actor: User) -> None:
    if frozen := REPORT.frozen(report):
        raise ServiceError(frozen)
    if report.status not in workflow.EDITABLE:
        raise ServiceError(NOT_EDITABLE)
    if not REPORT.includes(workflow.Party.UNIT_MEMBER, actor, report):
        raise ServiceError(NOT_YOURS)
    not_open = REPORT.not_open(report, clock.today())
    if not_open:
        raise ServiceError(not_open)


def _attach(report: Report, actor: User, files: list) -> list:
    """Files chosen on the page go with whatever button was pressed; the caller removes them
    from disk if its transaction is then refused."""
    if not files:
        return []
    try:
        return evidence_add(report=report, actor=actor, files=files)
    except ServiceError as exc:
        raise FilesRefused(exc.message) from exc


@transaction.atomic
def report_save(
    *,
    report: Report,
    actor: User,
    version: int,
    values: list[ValueInput],
    note: str | None,
    files: list | tuple = (),
) -> Report:
    """Save the reporter's figures and note as a draft, and attach the files chosen with them.

    `values` holds the indicators whose fields were sent; the others are left as they are.
    Saving what is already stored changes nothing and records nothing.
    """
    report = _locked(report, version)
    _check_editable(report, actor)
    if _write_figures(report, actor, values, note):
        report.version += 1
        report.save(update_fields=["note", "version", "updated_at"])
    _attach(report, actor, list(files))
    return report


def _check(report: Report, action: str, actor: User, reason: str = "") -> None:
    refused = workflow.refusal(REPORT, report, action, actor, today=clock.today())
    if refused:
        raise ServiceError(refused)
    if workflow.transition(action).needs_reason and not reason.strip():
        raise ServiceError(REASON_REQUIRED)


def _move(report: Report, action: str, actor: User, *, now=None, reason: str = "") -> Report:
    reason = reason.strip()
    workflow.apply(REPORT, report, action, actor=actor, now=now or clock.now(), reason=reason)
    workflow.notify(REPORT, [report], action, actor=actor, reason=reason)
    return report


def _check_complete(report: Report) -> None:
    obligation = report.obligation
    if obligation.kind == Obligation.Kind.PROGRESS:
        filled = {v.indicator_id for v in report.values.all() if v.value is not None}
        missing = [i for i in obligation.indicators.all() if i.pk not in filled]
        if missing:
            raise FiguresRefused(
                {i.pk: MISSING for i in missing},
                INCOMPLETE.format(names="、".join(i.name for i in missing)),
            )
    elif not report.evidence.exists():
        raise ServiceError(NO_FILES)


@idempotent
@transaction.atomic
def report_submit(
    *,
    report: Report,
    actor: User,
    version: int,
    values: list[ValueInput] | None = None,
    note: str | None = None,
    files: list | tuple = (),
) -> Report:
    """Send the report to the unit head. Figures, note and files sent with the button are
    saved first, in the same step: a refused submission saves none of them."""
    report = _locked(report, version, target=Status.SUBMITTED)
    _check(report, "submit", actor)
    _write_figures(report, actor, values or [], note)
    added = _attach(report, actor, list(files))
    try:
        _check_complete(report)
    except ServiceError:
        for evidence in added:
            evidence_path(evidence).unlink(missing_ok=True)
        raise
    return _move(report, "submit", actor)


@idempotent
@transaction.atomic
def report_confirm(*, report: Report, actor: User, version: int) -> Report:
    """The unit head sends the report to the federation. The first time, lateness is judged
    now; confirmed again after a return, it keeps that standing (workflow.apply)."""
    report = _locked(report, version, target=Status.CONFIRMED)
    _check(report, "confirm", actor)
    return _move(report, "confirm", actor)


@transaction.atomic
def report_send_back(*, report: Report, actor: User, version: int, reason: str) -> Report:
    """The unit head returns a submitted report to the reporter."""
    report = _locked(report, version)
    _check(report, "send_back", actor, reason)
    return _move(report, "send_back", actor, reason=reason)


@idempotent
@transaction.atomic
def report_approve(*, report: Report, reviewer: User, version: int) -> Report:
    report = _locked(report, version, target=Status.APPROVED)
    _check(report, "approve", reviewer)
    now = clock.now()
    report = _move(report, "approve", reviewer, now=now)
    official_values_record(report=report, approved_at=now)
    return report


def official_values_record(*, report: Report, approved_at) -> None:
    """Make the report's figures official from `approved_at` on; a late report under
    逾期未报送不予统计 is kept and shown but does not count."""
    obligation = report.obligation
    # An approved 补报申请 (obligation.late_approved) makes a late report's figures count.
    counts = not (
        report.is_late
        and obligation.late_policy == Milestone.LatePolicy.EXCLUDE
        and not obligation.late_approved
    )
    official_record(
        Figure(
            report_id=report.pk,
            unit_id=obligation.unit_id,
            indicator_id=v.indicator_id,
            period_end=obligation.period_end,
            value=v.value,
            approved_at=approved_at,
            is_late=report.is_late,
            counts=counts,
        )
        for v in report.values.all()
        if v.value is not None
    )


@transaction.atomic
def report_return(*, report: Report, reviewer: User, version: int, reason: str) -> Report:
    report = _locked(report, version)
    _check(report, "return", reviewer, reason)
    return _move(report, "return", reviewer, reason=reason)


@transaction.atomic
def report_reopen(*, report: Report, reviewer: User, version: int, reason: str) -> Report:
    """Approved figures are locked; changing them starts with un-approving, on record."""
    report = _locked(report, version)
    _check(report, "reopen", reviewer, reason)
    official_withdraw(OfficialValue.objects.filter(report=report), at=clock.now())
    return _move(report, "reopen", reviewer, reason=reason)
