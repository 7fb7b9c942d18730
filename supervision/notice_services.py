"""督办单: issuing them (交办) and moving them on (签收, 办理, 办结, 退回) through the one workflow.

Each write locks what it changes, is checked here (access through orgs.access and the workflow's
table in supervision/notices.py) and audited with the notice before and after; notifications
(bell and mail) are written in the same transaction and mailed once it commits.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from evidence import services as evidence_services
from orgs.access import can_issue_notice
from orgs.models import Unit, User
from plans.models import Indicator, Plan, Programme
from reporting import workflow
from reporting.models import Notification, Obligation
from reporting.services.notifications import notifications_send
from supervision.models import SupervisionNotice
from supervision.notices import EVENT_ISSUED, NOTICE, sign_by_date

NOT_ISSUER = "只有本工会的部门工作人员可以下发督办单。"
NO_UNITS = "请至少选择一个督办单位。"
NOT_PLAN_UNIT = "「{name}」不是本方案的单位。"
SUBJECT_REQUIRED = "请填写督办事项。"
SUBJECT_TOO_LONG = "督办事项不超过 200 字。"
REASON_REQUIRED = "请填写督办原因。"
REASON_TOO_LONG = "督办原因不超过 1000 字。"
DUE_PAST = "办理期限不能早于今天。"
DUE_BEFORE_SIGN = "办理期限不能早于签收期限（{day}，下发后第 {n} 个工作日）。"
MEASURES_REQUIRED = "请填写办理情况（采取的措施和结果）。"
MEASURES_TOO_LONG = "办理情况不超过 2000 字。"
RETURN_REASON_REQUIRED = "请填写退回原因。"
RETURN_REASON_TOO_LONG = "退回原因不超过 500 字。"
STALE = "该督办单刚刚已被他人处理，请查看最新状态。"
ISSUE_NOTICE = "{what}：请于{sign_by}前签收，{due}前办理完毕。"


class NoticeRefused(ServiceError):
    """A refusal because of one input: `field` names it (units, subject, reason, due_date,
    measures, files), so the page shows the reason beside it."""

    def __init__(self, message: str, *, field: str):
        self.field = field
        super().__init__(message)


def notice_snapshot(notice: SupervisionNotice) -> dict:
    """A notice as the audit log keeps it when it is issued."""
    return {
        "reference": notice.reference,
        "unit": notice.unit.short_name,
        "department": notice.department.name,
        "source": notice.source,
        "subject": notice.subject,
        "reason": notice.reason,
        "due_date": notice.due_date.isoformat(),
        "sign_by": notice.sign_by.isoformat(),
        "status": notice.status,
        **({"obligation": notice.obligation_id} if notice.obligation_id else {}),
        **({"indicator": notice.indicator_id} if notice.indicator_id else {}),
    }


def _text(value: str, *, required: str, too_long: str, limit: int, field: str) -> str:
    value = value.strip()
    if not value:
        raise NoticeRefused(required, field=field)
    if len(value) > limit:
        raise NoticeRefused(too_long, field=field)
    return value


@transaction.atomic
def notice_issue(
    *,
    plan: Plan,
    actor: User,
    units: list[Unit],
    subject: str,
    reason: str,
    due_date: dt.date,
    source: str = SupervisionNotice.Source.MANUAL,
    programme: Programme | None = None,
    indicator: Indicator | None = None,
    obligations: dict[int, Obligation] | None = None,
) -> list[SupervisionNotice]:
    """One notice per unit, all with the batch's reference number (督办〔year〕N号), each
    audited and told to its unit's heads. `obligations` (unit id → obligation) links each unit's
    notice to the report it has not sent."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)  # one batch number at a time
    plan.require_open()
    if not can_issue_notice(actor, plan.issuer_id):
        raise ServiceError(NOT_ISSUER)
    if not units:
        raise NoticeRefused(NO_UNITS, field="units")
    members = set(plan.units.filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    for unit in units:
        if unit.pk not in members or unit.pk == plan.issuer_id:
            raise NoticeRefused(NOT_PLAN_UNIT.format(name=unit.short_name), field="units")
    subject = _text(
        subject, required=SUBJECT_REQUIRED, too_long=SUBJECT_TOO_LONG, limit=200, field="subject"
    )
    reason = _text(
        reason, required=REASON_REQUIRED, too_long=REASON_TOO_LONG, limit=1000, field="reason"
    )
    today = clock.today()
    if due_date < today:
        raise NoticeRefused(DUE_PAST, field="due_date")
    sign_by = sign_by_date(today, days=plan.sign_days)
    if due_date < sign_by:
        raise NoticeRefused(DUE_BEFORE_SIGN.format(day=sign_by, n=plan.sign_days), field="due_date")
    year = today.year
    last = SupervisionNotice.objects.filter(plan=plan, year=year).aggregate(n=Max("number"))["n"]
    obligations = obligations or {}
    now = clock.now()
    notices = SupervisionNotice.objects.bulk_create(
        SupervisionNotice(
            plan=plan,
            programme=programme or (indicator.programme if indicator else None),
            unit=unit,
            department_id=actor.department_id,
            year=year,
            number=(last or 0) + 1,
            source=source,
            subject=subject,
            reason=reason,
            due_date=due_date,
            sign_by=sign_by,
            obligation=obligations.get(unit.pk),
            indicator=indicator,
            issued_by=actor,
            issued_at=now,
        )
        for unit in sorted(units, key=lambda u: (u.order, u.pk))
    )
    notices = list(
        SupervisionNotice.objects.filter(pk__in=[n.pk for n in notices]).select_related(
            "unit", "department", "plan"
        )
    )
    heads = {}
    for pk, unit_id in User.objects.filter(
        is_active=True, role=User.Role.UNIT_HEAD, unit_id__in=[n.unit_id for n in notices]
    ).values_list("pk", "unit_id"):
        heads.setdefault(unit_id, []).append(pk)
    notes = []
    for notice in notices:
        audit_record(actor=actor, event=EVENT_ISSUED, target=notice, after=notice_snapshot(notice))
        message = ISSUE_NOTICE.format(
            what=NOTICE.title(notice), sign_by=_day(notice.sign_by), due=_day(notice.due_date)
        )[:300]
        url = NOTICE.url(notice)
        notes += [
            Notification(user_id=pk, message=message, url=url)
            for pk in heads.get(notice.unit_id, [])
        ]
    notifications_send(notes)
    return notices


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _locked(notice: SupervisionNotice, version: int | None) -> SupervisionNotice:
    locked = (
        SupervisionNotice.objects.select_for_update(of=("self",))
        .select_related("plan", "unit")
        .get(pk=notice.pk)
    )
    if version is not None and version != locked.version:
        raise ServiceError(STALE)
    return locked


def _refuse(notice: SupervisionNotice, action: str, actor: User) -> None:
    if refused := workflow.refusal(NOTICE, notice, action, actor, today=clock.today()):
        raise ServiceError(refused)


@transaction.atomic
def notice_sign(
    *, notice: SupervisionNotice, actor: User, version: int | None = None
) -> SupervisionNotice:
    """签收: the unit's head takes the notice on."""
    return _move(notice, "sign", actor, version)


@transaction.atomic
def notice_close(
    *, notice: SupervisionNotice, actor: User, version: int | None = None
) -> SupervisionNotice:
    """办结: the issuing department accepts the reply."""
    return _move(notice, "close", actor, version)


@transaction.atomic
def notice_return(
    *, notice: SupervisionNotice, actor: User, reason: str, version: int | None = None
) -> SupervisionNotice:
    """退回重办: the issuing department sends the reply back, with why."""
    notice = _locked(notice, version)
    _refuse(notice, "return", actor)
    reason = _text(
        reason,
        required=RETURN_REASON_REQUIRED,
        too_long=RETURN_REASON_TOO_LONG,
        limit=500,
        field="reason",
    )
    workflow.apply(NOTICE, notice, "return", actor=actor, now=clock.now(), reason=reason)
    workflow.notify(NOTICE, [notice], "return", actor=actor, reason=reason)
    return notice


def _move(notice, action: str, actor: User, version: int | None) -> SupervisionNotice:
    notice = _locked(notice, version)
    _refuse(notice, action, actor)
    workflow.apply(NOTICE, notice, action, actor=actor, now=clock.now())
    workflow.notify(NOTICE, [notice], action, actor=actor)
    return notice


def _files(notice: SupervisionNotice) -> list[dict]:
    return [{"file": e.original_name, "sha256": e.sha256} for e in notice.evidence.all()]


@transaction.atomic
def notice_reply(
    *,
    notice: SupervisionNotice,
    actor: User,
    measures: str,
    files: list | None = None,
    version: int | None = None,
) -> SupervisionNotice:
    """办理: the unit's reporter or head says what was done, with files (photos, scans), checked
    by their content as a report's evidence; a reply after a return replaces the text and adds
    its files to the earlier ones."""
    notice = _locked(notice, version)
    _refuse(notice, "reply", actor)
    measures = _text(
        measures,
        required=MEASURES_REQUIRED,
        too_long=MEASURES_TOO_LONG,
        limit=2000,
        field="measures",
    )
    before = {"measures": notice.measures, "files": _files(notice)}
    stored = []
    try:
        if files:
            try:
                stored = evidence_services.evidence_add(
                    owner=notice, actor=actor, files=files, event_prefix=None
                )
            except ServiceError as exc:
                raise NoticeRefused(exc.message, field="files") from exc
        notice.measures = measures
        after = {"measures": measures, "files": _files(notice)}
        workflow.apply(
            NOTICE, notice, "reply", actor=actor, now=clock.now(), before=before, after=after
        )
        workflow.notify(NOTICE, [notice], "reply", actor=actor)
    except Exception:
        # A refusal after the files were written rolls their rows back; the files must go too.
        for evidence in stored:
            evidence_services.evidence_path(evidence).unlink(missing_ok=True)
        raise
    return notice
