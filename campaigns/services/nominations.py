"""推荐: a unit's nominations, their materials and their steps (submit, 推荐, eligibility).

Each write locks what it changes, checks it here (who through orgs.access and the workflow's
table in campaigns/steps.py, what through the campaign's rules: who may nominate, how many,
which form rows, which materials) and is audited with the nomination before and after.
"""

from __future__ import annotations

from django.db import transaction

from audit.services import audit_record
from campaigns.models import Campaign, CampaignQuota, Nomination
from campaigns.steps import NOMINATION, STEPS, window_closed
from common import clock
from common.errors import ServiceError
from evidence import services as evidence_services
from evidence.models import Evidence
from orgs.access import can_edit_report
from orgs.models import User
from plans.selectors import unit_in_scope
from records.models import Record
from reporting import workflow

NOT_NOMINATOR = "本单位不在「{title}」的推荐范围内。"
NOT_UNIT_MEMBER = "只有本单位的填报员或负责人可以推荐。"
NAME_REQUIRED = "请填写推荐对象名称。"
NAME_TOO_LONG = "推荐对象名称不超过 200 字。"
DESCRIPTION_TOO_LONG = "主要事迹/基本情况不超过 3000 字。"
RECORD_REQUIRED = "请选择要推荐的「{form}」记录。"
RECORD_NOT_OWN = "只能推荐本单位已审核通过的「{form}」记录。"
RECORD_NOT_COMPLIANT = "该记录不符合建设标准，不能推荐：{issue}。"
RECORD_TAKEN = "该记录已被推荐，不能重复推荐。"
NOT_EDITABLE = "只有草稿或已退回的推荐可以修改。"
STALE = "该推荐刚刚已被他人修改，请查看最新内容。"
OVER_LIMIT = "本单位在「{title}」中最多推荐 {n} 个，已推荐 {n} 个，不能再推荐。"
MATERIAL_MISSING = "请先上传申报材料「{label}」，再推荐。"
MATERIAL_UNKNOWN = "没有这项申报材料。"
REASON_REQUIRED = "请填写原因。"
REASON_TOO_LONG = "原因不超过 500 字。"

EVENT_CREATED = "campaigns.nomination.created"
EVENT_EDITED = "campaigns.nomination.edited"

# A nomination takes one of its unit's places from the moment its head recommends it until
# it is refused (a returned one keeps its place while the unit corrects it).
HOLDS_A_PLACE = frozenset({Nomination.Status.CONFIRMED, Nomination.Status.APPROVED})


class NominationRefused(ServiceError):
    """A refusal because of one input: `field` names it, so the page shows it beside it."""

    def __init__(self, message: str, *, field: str):
        self.field = field
        super().__init__(message)


def may_nominate(campaign: Campaign, unit) -> bool:
    """Whether `unit` is among the campaign's nominators (empty: every unit of its plan but
    the issuer). `unit` must be one of the plan's units."""
    if unit is None or unit.pk == campaign.plan.issuer_id:
        return False
    scope = campaign.nominators or []
    return not scope or unit_in_scope(unit, scope) or unit.short_name in scope


def unit_limit(campaign: Campaign, unit_id: int) -> int | None:
    """How many the unit may recommend: its own quota, else the campaign's per unit."""
    quota = CampaignQuota.objects.filter(campaign=campaign, unit_id=unit_id).first()
    return quota.count if quota is not None else campaign.per_unit


def required_materials(campaign: Campaign) -> list[dict]:
    return [m for m in campaign.materials or [] if m.get("required", True)]


def snapshot(nomination: Nomination) -> dict:
    return {
        "name": nomination.name,
        "description": nomination.description,
        **({"record": nomination.record_id} if nomination.record_id else {}),
        "status": nomination.status,
    }


def _text(name: str, description: str) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name:
        raise NominationRefused(NAME_REQUIRED, field="name")
    if len(name) > 200:
        raise NominationRefused(NAME_TOO_LONG, field="name")
    if len(description) > 3000:
        raise NominationRefused(DESCRIPTION_TOO_LONG, field="description")
    return name, description


def _eligible_record(
    campaign: Campaign, unit_id: int, record: Record | None, exclude: int | None
) -> Record | None:
    """The form row a nomination names, checked: the unit's own, approved, up to standard
    when the campaign requires it, and not nominated already."""
    if campaign.form_id is None:
        return None
    form = campaign.form.title
    if record is None:
        raise NominationRefused(RECORD_REQUIRED.format(form=form), field="record")
    record = Record.objects.select_for_update().filter(pk=record.pk).first()
    if (
        record is None
        or record.form_id != campaign.form_id
        or record.unit_id != unit_id
        or record.status != Record.Status.APPROVED
    ):
        raise NominationRefused(RECORD_NOT_OWN.format(form=form), field="record")
    if campaign.compliant_only and not record.is_compliant:
        issue = "；".join(record.issues) or "未达到建设标准"
        raise NominationRefused(RECORD_NOT_COMPLIANT.format(issue=issue), field="record")
    taken = Nomination.objects.filter(campaign=campaign, record=record).exclude(pk=exclude)
    if taken.exists():
        raise NominationRefused(RECORD_TAKEN, field="record")
    return record


@transaction.atomic
def nomination_create(
    *,
    campaign: Campaign,
    actor: User,
    name: str,
    description: str = "",
    record: Record | None = None,
) -> Nomination:
    """A draft nomination of the actor's unit."""
    campaign = Campaign.objects.select_related("plan", "form").get(pk=campaign.pk)
    campaign.plan.require_open()
    if not (actor.is_unit_user and actor.unit_id):
        raise ServiceError(NOT_UNIT_MEMBER)
    unit = actor.unit
    if not campaign.plan.units.filter(pk=unit.pk).exists() or not may_nominate(campaign, unit):
        raise ServiceError(NOT_NOMINATOR.format(title=campaign.title))
    if closed := window_closed(campaign, clock.today()):
        raise ServiceError(closed)
    name, description = _text(name, description)
    record = _eligible_record(campaign, unit.pk, record, exclude=None)
    nomination = Nomination.objects.create(
        campaign=campaign,
        unit=unit,
        name=name,
        description=description,
        record=record,
        created_by=actor,
        created_at=clock.now(),
    )
    audit_record(actor=actor, event=EVENT_CREATED, target=nomination, after=snapshot(nomination))
    return nomination


def _locked(nomination: Nomination, version: int | None) -> Nomination:
    locked = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("campaign__plan", "campaign__form", "campaign__programme", "unit")
        .get(pk=nomination.pk)
    )
    if version is not None and version != locked.version:
        raise ServiceError(STALE)
    return locked


def _require_editable(nomination: Nomination, actor: User) -> None:
    if not can_edit_report(actor, nomination.unit_id):
        raise ServiceError(NOT_UNIT_MEMBER)
    if frozen := NOMINATION.frozen(nomination):
        raise ServiceError(frozen)
    if nomination.status not in workflow.EDITABLE:
        raise ServiceError(NOT_EDITABLE)
    if closed := window_closed(nomination.campaign, clock.today()):
        raise ServiceError(closed)


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    actor: User,
    name: str,
    description: str = "",
    record: Record | None = None,
    version: int,
) -> Nomination:
    """Change a draft or returned nomination's name, description and form row."""
    nomination = _locked(nomination, version)
    _require_editable(nomination, actor)
    name, description = _text(name, description)
    record = _eligible_record(nomination.campaign, nomination.unit_id, record, nomination.pk)
    before = snapshot(nomination)
    nomination.name, nomination.description, nomination.record = name, description, record
    nomination.version += 1
    nomination.save()
    audit_record(
        actor=actor,
        event=EVENT_EDITED,
        target=nomination,
        before=before,
        after=snapshot(nomination),
    )
    return nomination


def _described(evidence: Evidence) -> dict:
    return {"file": evidence.original_name, "field": evidence.field_code}


@transaction.atomic
def nomination_files_add(
    *, nomination: Nomination, actor: User, material: str, files: list, version: int | None = None
) -> list[Evidence]:
    """申报材料: files for one of the campaign's materials (their `field_code`)."""
    nomination = _locked(nomination, version)
    _require_editable(nomination, actor)
    codes = {m.get("code") for m in nomination.campaign.materials or []}
    if material not in codes:
        raise NominationRefused(MATERIAL_UNKNOWN, field="material")
    try:
        return evidence_services.evidence_add(
            owner=nomination,
            actor=actor,
            files=files,
            event_prefix="campaigns.material",
            field_code=material,
        )
    except NominationRefused:
        raise
    except ServiceError as exc:
        raise NominationRefused(exc.message, field="files") from exc


@transaction.atomic
def nomination_file_remove(*, nomination: Nomination, actor: User, evidence: Evidence) -> None:
    nomination = _locked(nomination, None)
    _require_editable(nomination, actor)
    evidence_services.evidence_remove(
        evidence=evidence, owner=nomination, actor=actor, event_prefix="campaigns.material"
    )


def _refuse(nomination: Nomination, action: str, actor: User) -> None:
    if refused := workflow.refusal(NOMINATION, nomination, action, actor, today=clock.today()):
        raise ServiceError(refused)


def _check_confirm(nomination: Nomination) -> None:
    campaign = nomination.campaign
    have = set(nomination.evidence.values_list("field_code", flat=True))
    for material in required_materials(campaign):
        if material.get("code") not in have:
            label = material.get("label") or material.get("code")
            raise ServiceError(MATERIAL_MISSING.format(label=label))
    limit = unit_limit(campaign, nomination.unit_id)
    if limit is not None:
        # One recommendation of a unit at a time, so two heads cannot both take the last place.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        held = (
            Nomination.objects.filter(
                campaign=campaign, unit_id=nomination.unit_id, status__in=HOLDS_A_PLACE
            )
            .exclude(pk=nomination.pk)
            .count()
        )
        if held >= limit:
            raise ServiceError(OVER_LIMIT.format(title=campaign.title, n=limit))


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise NominationRefused(REASON_REQUIRED, field="reason")
    if len(reason) > 500:
        raise NominationRefused(REASON_TOO_LONG, field="reason")
    return reason


@transaction.atomic
def nomination_step(
    *,
    nomination: Nomination,
    action: str,
    actor: User,
    reason: str = "",
    version: int | None = None,
) -> Nomination:
    """One step of STEPS: submit, 推荐 (confirm), send_back, admit, refuse, return."""
    if action not in STEPS:
        raise ServiceError("没有这一步操作。")
    nomination = _locked(nomination, version)
    _refuse(nomination, action, actor)
    reason = _reason(reason) if STEPS[action].needs_reason else ""
    if action == "confirm":
        _check_confirm(nomination)
    workflow.apply(NOMINATION, nomination, action, actor=actor, now=clock.now(), reason=reason)
    workflow.notify(NOMINATION, [nomination], action, actor=actor, reason=reason)
    return nomination
