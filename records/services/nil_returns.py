"""本期无: a unit declares it has no rows of a form for one period, which meets the period's
obligation (统计表报送) as a row sent would, or withdraws that while its plan runs. Both are
audited with the declaration before and after."""

from __future__ import annotations

from django.db import transaction

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from orgs.access import can_edit_record
from orgs.models import User
from records.models import FormDefinition, NilReturn, Record
from records.services.obligations import form_obligations_refresh
from reporting.models import Obligation

REASON_MIN, REASON_MAX = 4, 200
REASON_LENGTH = f"请写明本期无的原因（{REASON_MIN}—{REASON_MAX} 字）。"
NOT_YOURS = "只有本单位的填报人员可以声明或撤回本期无。"
NOT_BEGUN = "该期从 {start} 开始，开始后才能声明本期无。"
ALREADY_DECLARED = "本期已声明本期无。"
ALREADY_SENT = "本期已有报送市总的记录，无需声明本期无。"
NOTHING_TO_WITHDRAW = "本期没有可撤回的本期无声明。"


def _locked(obligation: Obligation, actor: User) -> tuple[Obligation, FormDefinition]:
    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=obligation.pk, kind=Obligation.Kind.FORM)
    )
    # While the plan runs rows can be added, and only so long may 本期无 change.
    obligation.plan.require_open()
    if not can_edit_record(actor, obligation.unit_id):
        raise ServiceError(NOT_YOURS)
    form = FormDefinition.objects.get(plan_id=obligation.plan_id, code=obligation.form_code)
    return obligation, form


def _snapshot(nil: NilReturn) -> dict:
    return {
        "form": nil.obligation.form_code,
        "due_date": nil.obligation.due_date.isoformat(),
        "reason": nil.reason,
        "declared_at": nil.declared_at.isoformat(),
        "withdrawn": nil.withdrawn_at is not None,
    }


@transaction.atomic
def nil_return_declare(*, obligation: Obligation, actor: User, reason: str) -> NilReturn:
    obligation, form = _locked(obligation, actor)
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ServiceError(REASON_LENGTH)
    start = obligation.period_start
    if start is not None and clock.today() < start:
        raise ServiceError(NOT_BEGUN.format(start=clock.chinese_date(start)))
    if NilReturn.objects.filter(obligation=obligation, withdrawn_at__isnull=True).exists():
        raise ServiceError(ALREADY_DECLARED)
    sent = Record.objects.filter(
        form=form, unit_id=obligation.unit_id, due_date=obligation.due_date
    ).exclude(confirmed_at=None)
    if sent.exists():
        raise ServiceError(ALREADY_SENT)
    nil = NilReturn.objects.create(
        obligation=obligation, reason=reason, declared_at=clock.now(), declared_by=actor
    )
    audit_record(actor=actor, event="records.nil_return.declared", target=nil, after=_snapshot(nil))
    form_obligations_refresh(form=form, unit_ids=[obligation.unit_id])
    return nil


@transaction.atomic
def nil_return_withdraw(*, obligation: Obligation, actor: User) -> NilReturn:
    """The period is owed again, unless a row of it was sent meanwhile."""
    obligation, form = _locked(obligation, actor)
    nil = NilReturn.objects.filter(obligation=obligation, withdrawn_at__isnull=True).first()
    if nil is None:
        raise ServiceError(NOTHING_TO_WITHDRAW)
    nil.obligation = obligation
    before = _snapshot(nil)
    nil.withdrawn_at, nil.withdrawn_by = clock.now(), actor
    nil.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        event="records.nil_return.withdrawn",
        target=nil,
        before=before,
        after=_snapshot(nil),
    )
    form_obligations_refresh(form=form, unit_ids=[obligation.unit_id])
    return nil
