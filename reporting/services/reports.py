"""The report workflow: draft → submitted → confirmed → approved, or returned with a reason.

Every service locks the report row, checks the version the user saw (no lost updates), writes
the change and its audit entry in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import User
from plans.models import Milestone
from reporting import clock
from reporting.models import Obligation, OfficialValue, ProgressValue, Report

Status = Report.Status

STALE = "该填报已被他人修改（可能在另一窗口或由其他人操作），请刷新页面后再提交。"
NOT_EDITABLE = "只有草稿或已退回的填报可以修改。"
NOT_SUBMITTABLE = "只有草稿或已退回的填报可以提交。"
NOT_CONFIRMABLE = "只有待单位负责人确认的填报可以确认。"
NOT_REVIEWABLE = "只有待部门审核的填报可以审核。"
NOT_APPROVED = "只有已通过的填报可以撤销通过。"
REASON_REQUIRED = "请填写原因。"
INCOMPLETE = "以下指标尚未填写：{names}。"
# A value more than this many times the unit's allocation is flagged for the reviewer.
FAR_ABOVE_FACTOR = Decimal(2)
NON_INTEGER_MEASURES = {"元", "比例", "万元"}


@dataclass
class ValueInput:
    indicator_id: int
    raw: str
    explanation: str = ""


def report_for(*, obligation: Obligation) -> Report:
    """The obligation's report, created empty on first use."""
    report, _ = Report.objects.get_or_create(obligation=obligation)
    return report


class AlreadyDone(Exception):
    """The report is already where the action would take it (a double-clicked button)."""

    def __init__(self, report: Report):
        self.report = report


def _locked(report: Report, version: int | None, *, target: str | None = None) -> Report:
    locked = Report.objects.select_for_update().select_related("obligation").get(pk=report.pk)
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
    text = (raw or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ServiceError(f"「{name}」应填写数字，收到「{raw}」。") from exc
    if not value.is_finite():
        raise ServiceError(f"「{name}」应填写数字，收到「{raw}」。")
    if value < 0:
        raise ServiceError(f"「{name}」不能为负数。")
    if measure not in NON_INTEGER_MEASURES and value != value.to_integral_value():
        raise ServiceError(f"「{name}」以{measure}计，应填写整数。")
    if value.as_tuple().exponent < -2:
        raise ServiceError(f"「{name}」最多保留两位小数。")
    if abs(value) >= Decimal("1e15"):
        raise ServiceError(f"「{name}」数值过大。")
    return value


@transaction.atomic
def report_save(
    *, report: Report, actor: User, version: int, values: list[ValueInput], note: str
) -> Report:
    """Save the reporter's figures; checks each and flags what the reviewer should look at."""
    from reporting.selectors import last_official_values, unit_allocations

    report = _locked(report, version)
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ServiceError(NOT_EDITABLE)
    obligation = report.obligation
    indicators = {i.pk: i for i in obligation.indicators.all()}
    before = _snapshot(report)
    previous = last_official_values(obligation=obligation)
    allocations = unit_allocations(obligation=obligation)
    errors: list[str] = []
    parsed: dict[int, tuple[Decimal | None, str, list[str]]] = {}
    for item in values:
        indicator = indicators.get(item.indicator_id)
        if indicator is None:
            continue  # not this obligation's indicator: ignored, never trusted
        try:
            value = parse_value(item.raw, measure=indicator.measure, name=indicator.name)
        except ServiceError as exc:
            errors.append(exc.message)
            continue
        flags = []
        last = previous.get(indicator.pk)
        if value is not None and last is not None and value < last:
            if not item.explanation.strip():
                errors.append(
                    f"「{indicator.name}」累计值 {value:f} 低于上期已审核的 {last:f}，"
                    "请在说明中写明原因。"
                )
                continue
            flags.append("below_previous")
        share = allocations.get(indicator.pk)
        if value is not None and share and value > share * FAR_ABOVE_FACTOR:
            flags.append("far_above_allocation")
        parsed[indicator.pk] = (value, item.explanation.strip(), flags)
    if errors:
        raise ServiceError("；".join(errors))
    for indicator_id, (value, explanation, flags) in parsed.items():
        ProgressValue.objects.update_or_create(
            report=report,
            indicator_id=indicator_id,
            defaults={"value": value, "explanation": explanation, "flags": flags},
        )
    report.note = note.strip()
    report.version += 1
    report.save(update_fields=["note", "version", "updated_at"])
    audit_record(
        actor=actor,
        event="reporting.report.saved",
        target=report,
        before=before,
        after=_snapshot(report),
    )
    return report


def _transition(
    report: Report, actor: User, event: str, to: str, *, reason: str = "", **fields
) -> Report:
    before = {"status": report.status}
    report.status = to
    report.version += 1
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=["status", "version", "updated_at", *fields])
    audit_record(
        actor=actor,
        event=event,
        target=report,
        before=before,
        after={"status": to, **({"is_late": report.is_late} if "is_late" in fields else {})},
        reason=reason,
    )
    return report


@idempotent
@transaction.atomic
def report_submit(*, report: Report, actor: User, version: int) -> Report:
    report = _locked(report, version, target=Status.SUBMITTED)
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ServiceError(NOT_SUBMITTABLE)
    obligation = report.obligation
    if obligation.kind == Obligation.Kind.PROGRESS:
        filled = {v.indicator_id for v in report.values.all() if v.value is not None}
        missing = [i.name for i in obligation.indicators.all() if i.pk not in filled]
        if missing:
            raise ServiceError(INCOMPLETE.format(names="、".join(missing)))
    elif not report.evidence.exists():
        raise ServiceError("材料报送须上传至少一个文件。")
    return _transition(
        report,
        actor,
        "reporting.report.submitted",
        Status.SUBMITTED,
        submitted_at=clock.now(),
        submitted_by=actor,
        return_reason="",
    )


@idempotent
@transaction.atomic
def report_confirm(*, report: Report, actor: User, version: int) -> Report:
    """The unit head sends the report to the federation; lateness is judged now."""
    report = _locked(report, version, target=Status.CONFIRMED)
    if report.status != Status.SUBMITTED:
        raise ServiceError(NOT_CONFIRMABLE)
    late = clock.today() > report.obligation.due_date
    return _transition(
        report,
        actor,
        "reporting.report.confirmed",
        Status.CONFIRMED,
        confirmed_at=clock.now(),
        confirmed_by=actor,
        is_late=late,
    )


@transaction.atomic
def report_send_back(*, report: Report, actor: User, version: int, reason: str) -> Report:
    """The unit head returns a submitted report to the reporter."""
    report = _locked(report, version)
    if report.status != Status.SUBMITTED:
        raise ServiceError(NOT_CONFIRMABLE)
    if not reason.strip():
        raise ServiceError(REASON_REQUIRED)
    return _transition(
        report,
        actor,
        "reporting.report.sent_back",
        Status.RETURNED,
        reason=reason.strip(),
        return_reason=reason.strip(),
    )


@idempotent
@transaction.atomic
def report_approve(*, report: Report, reviewer: User, version: int) -> Report:
    report = _locked(report, version, target=Status.APPROVED)
    if report.status != Status.CONFIRMED:
        raise ServiceError(NOT_REVIEWABLE)
    now = clock.now()
    report = _transition(
        report,
        reviewer,
        "reporting.report.approved",
        Status.APPROVED,
        reviewed_at=now,
        reviewed_by=reviewer,
    )
    official_values_record(report=report, approved_at=now)
    return report


def official_values_record(*, report: Report, approved_at) -> None:
    """Make the report's figures official from `approved_at` on."""
    obligation = report.obligation
    counts = not (report.is_late and obligation.late_policy == Milestone.LatePolicy.EXCLUDE)
    OfficialValue.objects.bulk_create(
        [
            OfficialValue(
                report=report,
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
        ]
    )


@transaction.atomic
def report_return(*, report: Report, reviewer: User, version: int, reason: str) -> Report:
    report = _locked(report, version)
    if report.status != Status.CONFIRMED:
        raise ServiceError(NOT_REVIEWABLE)
    if not reason.strip():
        raise ServiceError(REASON_REQUIRED)
    return _transition(
        report,
        reviewer,
        "reporting.report.returned",
        Status.RETURNED,
        reason=reason.strip(),
        return_reason=reason.strip(),
        reviewed_at=clock.now(),
        reviewed_by=reviewer,
    )


@transaction.atomic
def report_reopen(*, report: Report, reviewer: User, version: int, reason: str) -> Report:
    """Approved figures are locked; changing them starts with un-approving, on record."""
    report = _locked(report, version)
    if report.status != Status.APPROVED:
        raise ServiceError(NOT_APPROVED)
    if not reason.strip():
        raise ServiceError(REASON_REQUIRED)
    OfficialValue.objects.filter(report=report, withdrawn_at__isnull=True).update(
        withdrawn_at=clock.now()
    )
    return _transition(
        report,
        reviewer,
        "reporting.report.reopened",
        Status.RETURNED,
        reason=reason.strip(),
        return_reason=reason.strip(),
    )
