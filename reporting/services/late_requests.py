"""补报申请 (LateSubmissionRequest): a unit asks that a late item count despite 逾期未报送不予统计.

A request joins the one workflow (reporting/workflow.py) as its own reviewed kind: made by the
unit's reporter or head, it starts 待部门审核 (CONFIRMED) and the obligation's reviewing
department approves it (approve), rejects it with a reason (return: 已驳回) or revokes an
approval with a reason (reopen). It may be made while the item is overdue (not yet reported)
or after it was reported late.

An approval sets `Obligation.late_approved`: the obligation's late figures count as if on time
from that moment (a report approved later is recorded counting; one already approved has its
current official figures recorded again, counting, through reporting/services/official.py). The
item stays late (`is_late`, `met_late`): timeliness still counts it late. A revocation turns
both back. On a form's obligation (统计表报送) the unit's late rows of that period count the
same way, and the figures the form computes are computed again (records/services/late_rows.py,
reached through reporting.extensions).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from evidence import services as evidence_services
from orgs.models import User
from plans.models import Milestone
from reporting import workflow
from reporting.extensions import obligation_recount
from reporting.models import LateSubmissionRequest, Notification, Obligation, OfficialValue
from reporting.services.notifications import notifications_send
from reporting.services.official import official_recount

Status = workflow.Status

REASON_LENGTH = "补报理由请写 4 至 500 个字。"
NOT_EXCLUDED = "该事项逾期报送仍计入统计（未规定逾期未报送不予统计），无需申请补报。"
NOT_DUE = "该事项截止日期（{due}）未到，无需申请补报。"
ON_TIME = "该事项已按时报送，无需申请补报。"
ALREADY_OPEN = "该事项已有待审核或已批准的补报申请，不能重复申请。"
NOT_YOURS = "只有本单位的填报人员或负责人可以申请补报。"
STALE = "该补报申请已被他人处理，请刷新页面后再操作。"
REJECT_REFUSED = "只有待审核的补报申请可以驳回。"
REVOKE_REFUSED = "只有已批准的补报申请可以撤销批准。"
APPROVE_REFUSED = "只有待审核的补报申请可以批准。"


def _title(r: LateSubmissionRequest) -> str:
    return f"{r.obligation.unit.short_name}：补报申请（{r.obligation.title}）"


LATE_REQUEST = workflow.Reviewed(
    noun="补报申请",
    events="reporting.late_request",
    unit_id=lambda r: r.obligation.unit_id,
    department_ids=lambda r: {d.pk for d in r.obligation.programme.departments.all()},
    due_date=lambda r: r.obligation.due_date,
    title=_title,
    url=lambda r: reverse("reporting:late_request", kwargs={"pk": r.pk}),
    frozen=lambda r: r.obligation.plan.closed_refusal,
    refusals={"approve": APPROVE_REFUSED, "return": REJECT_REFUSED, "reopen": REVOKE_REFUSED},
    plan=lambda r: r.obligation.plan,
)


def lateness(obligation: Obligation, today: dt.date) -> str:
    """Why the obligation needs no 补报申请 now ("" when it may have one): it must be under
    逾期未报送不予统计, past its due date, and not reported on time."""
    if obligation.late_policy != Milestone.LatePolicy.EXCLUDE:
        return NOT_EXCLUDED
    if obligation.kind == Obligation.Kind.FORM:
        reported, late = obligation.met_at is not None, obligation.met_late
    else:
        report = getattr(obligation, "report", None)
        saved = report is not None and report.pk is not None
        reported = saved and workflow.reported(report)
        late = saved and report.is_late
    if reported:
        return "" if late else ON_TIME
    if obligation.due_date >= today:
        return NOT_DUE.format(due=f"{obligation.due_date:%Y-%m-%d}")
    return ""


def late_request_refusal(*, obligation: Obligation, actor: User, today: dt.date) -> str:
    """Why `actor` cannot ask now for the obligation's late item to count ("" when they can):
    the 申请补报 button is shown only when this is empty."""
    probe = LateSubmissionRequest(obligation=obligation)
    if not LATE_REQUEST.includes(workflow.Party.UNIT_MEMBER, actor, probe):
        return NOT_YOURS
    if frozen := LATE_REQUEST.frozen(probe):
        return frozen
    if refused := lateness(obligation, today):
        return refused
    if any(r.is_open for r in obligation.late_requests.all()):
        return ALREADY_OPEN
    return ""


def _reviewers(obligation: Obligation) -> list[int]:
    return list(
        User.objects.filter(
            is_active=True,
            role=User.Role.DEPARTMENT_STAFF,
            department__in=obligation.programme.departments.all(),
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def late_request_create(
    *, obligation: Obligation, actor: User, reason: str, files: list | tuple = ()
) -> LateSubmissionRequest:
    """A unit's 补报申请 for the obligation, with its reason and files (checked like every
    upload); the reviewing department is told."""
    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("unit", "plan", "programme", "report")
        .get(pk=obligation.pk)
    )
    reason = (reason or "").strip()
    if not 4 <= len(reason) <= 500:
        raise ServiceError(REASON_LENGTH)
    if refused := late_request_refusal(obligation=obligation, actor=actor, today=clock.today()):
        raise ServiceError(refused)
    now = clock.now()
    try:
        with transaction.atomic():
            request = LateSubmissionRequest.objects.create(
                obligation=obligation,
                reason=reason,
                requested_by=actor,
                status=Status.CONFIRMED,
                submitted_at=now,
                confirmed_at=now,
                confirmed_by=actor,
                is_late=True,
            )
    except IntegrityError:
        raise ServiceError(ALREADY_OPEN) from None
    added = []
    if files:
        added = evidence_services.evidence_add(
            owner=request, actor=actor, files=list(files), event_prefix=None
        )
    audit_record(
        actor=actor,
        event="reporting.late_request.requested",
        target=request,
        before={},
        after={
            "status": request.status,
            "obligation": obligation.title,
            "reason": reason,
            "files": [e.original_name for e in added],
        },
    )
    message = f"{_title(request)}待审核。"[:300]
    url = reverse("reporting:late_request", kwargs={"pk": request.pk})
    notifications_send(
        [Notification(user_id=pk, message=message, url=url) for pk in _reviewers(obligation)]
    )
    return request


def _locked(request: LateSubmissionRequest, version: int) -> LateSubmissionRequest:
    locked = (
        LateSubmissionRequest.objects.select_for_update(of=("self",))
        .select_related("obligation__unit", "obligation__plan", "obligation__programme")
        .get(pk=request.pk)
    )
    if locked.version != version:
        raise ServiceError(STALE)
    return locked


def _move(
    request: LateSubmissionRequest, action: str, actor: User, *, version: int, reason: str = ""
) -> LateSubmissionRequest:
    request = _locked(request, version)
    reason = (reason or "").strip()
    if refused := workflow.refusal(LATE_REQUEST, request, action, actor, today=clock.today()):
        raise ServiceError(refused)
    if workflow.transition(action).needs_reason and not reason:
        raise ServiceError("请填写原因。")
    workflow.apply(LATE_REQUEST, request, action, actor=actor, now=clock.now(), reason=reason)
    workflow.notify(LATE_REQUEST, [request], action, actor=actor, reason=reason)
    return request


def _count(request: LateSubmissionRequest, actor: User, *, counts: bool) -> int:
    """Make the obligation's late figures count (or stop counting) from now, on record."""
    obligation = Obligation.objects.select_for_update(of=("self",)).get(pk=request.obligation_id)
    before = obligation.late_approved
    obligation.late_approved = counts
    obligation.save(update_fields=["late_approved"])
    now = clock.now()
    changed = official_recount(
        OfficialValue.objects.filter(report__obligation=obligation, is_late=True),
        counts=counts,
        at=now,
    )
    rows = obligation_recount(obligation, counts=counts, at=now)
    audit_record(
        actor=actor,
        event="reporting.late_request.counted" if counts else "reporting.late_request.uncounted",
        target=request,
        before={"late_approved": before},
        after={"late_approved": counts, "figures": changed, **({"rows": rows} if rows else {})},
    )
    return changed + rows


@transaction.atomic
def late_request_approve(
    *, request: LateSubmissionRequest, reviewer: User, version: int
) -> LateSubmissionRequest:
    """Approve: the obligation's late figures count from now, still marked late."""
    request = _move(request, "approve", reviewer, version=version)
    _count(request, reviewer, counts=True)
    return request


@transaction.atomic
def late_request_reject(
    *, request: LateSubmissionRequest, reviewer: User, version: int, reason: str
) -> LateSubmissionRequest:
    """Reject with a reason (已驳回): nothing counts; the unit may ask again."""
    return _move(request, "return", reviewer, version=version, reason=reason)


@transaction.atomic
def late_request_revoke(
    *, request: LateSubmissionRequest, reviewer: User, version: int, reason: str
) -> LateSubmissionRequest:
    """Revoke an approval with a reason: the late figures stop counting from now."""
    request = _move(request, "reopen", reviewer, version=version, reason=reason)
    _count(request, reviewer, counts=False)
    return request
