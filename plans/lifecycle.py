"""A plan's life: draft → published → closed (plans.models.Plan.Status), on record.

A closed plan is read-only for everyone (every reported-data write asks `Plan.require_open`,
the workflow its `frozen`), reminds no one and owes nothing new; what it holds stays. A plan
can be published again after closing, with a reason, to correct what was missed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from plans.models import Plan

EVENT_STATUS_CHANGED = "plans.plan.status_changed"
SAME_STATUS = "「{title}」已是「{status}」。"
REASON_NEEDED = "重新开放已结束的方案须写明原因。"
COMMAND_ACTOR = "manage.py"


@transaction.atomic
def plan_status_set(*, plan: Plan, status: str, actor=None, reason: str = "") -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    wanted = Plan.Status(status)
    if plan.status == wanted:
        raise ServiceError(SAME_STATUS.format(title=plan.title, status=wanted.label))
    if plan.is_closed and not reason.strip():
        raise ServiceError(REASON_NEEDED)
    before = {"status": plan.status}
    plan.status = wanted
    plan.closed_at = timezone.now() if wanted == Plan.Status.CLOSED else None
    plan.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        username="" if actor else COMMAND_ACTOR,
        event=EVENT_STATUS_CHANGED,
        target=plan,
        before=before,
        after={"status": plan.status},
        reason=reason.strip(),
        federation=plan.issuer,
    )
    return plan
