"""From the scored list to the named one: proposal, 公示, objections, naming, withdrawal.

The department running a campaign (its programme's departments) proposes the list once scoring
has closed, opens the publicity period (公示: `publicity_days` calendar days, 自然日, counted
from its first day), answers every objection raised on the public page, then names the list
by a decision with a date after the publicity ended and a document number. Each named nominee
becomes a `Designation`, which counts 1 toward the campaign's indicator for its unit from its
naming date until withdrawn (撤销命名, with a date and a reason).

The counts are official figures written through `reporting.services.official`: for each unit
of the indicator, one cumulative figure dated each day a designation of that indicator was
named or withdrawn, official from that day's start (Asia/Shanghai), so the dashboards read
them by their as-of rule (docs/dashboards.md) like any other figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.context import client_ip
from audit.models import AuditEntry
from audit.services import audit_record
from campaigns.models import Campaign, Designation, Nomination, Objection
from common import clock
from common.errors import ServiceError
from personal import crypto
from reporting.models import OfficialValue
from reporting.services.official import Figure, official_record, official_withdraw

PROPOSE_SCORING_OPEN = "评分尚未结束，不能提出拟命名名单"
PROPOSE_AFTER_PUBLICITY = "公示已开始，拟命名名单不能再修改"
PROPOSE_EMPTY = "请至少选择一个拟命名对象"
PROPOSE_NOT_ADMITTED = "只能从已入围的推荐对象中选择拟命名对象"
PROPOSE_OVER_QUOTA = "拟命名数量超过本次评选的命名数量（{quota}个）"
PUBLICITY_NOT_PROPOSED = "尚未提出拟命名名单，不能开始公示"
PUBLICITY_ALREADY_OPEN = "公示已经开始，不能重复开始"
PUBLICITY_IN_PAST = "公示开始日期不能早于今天"
OBJECTION_NOT_OPEN = "当前不在公示期内，不能提出异议"
OBJECTION_TOO_MANY = "提交过于频繁，请稍后再试"
OBJECTION_CAMPAIGN_FULL = "本次公示收到的异议已达上限，请直接与评选部门联系"
OBJECTION_ALREADY_ANSWERED = "该异议已经答复"
OBJECTION_AFTER_NAMING = "已经命名，不能再答复异议"
NAME_ALREADY = "本次评选已经命名"
NAME_NO_PUBLICITY = "尚未公示，不能命名"
NAME_PUBLICITY_RUNNING = "公示期尚未结束，不能命名"
NAME_BEFORE_PUBLICITY_END = "命名日期应在公示结束（{until}）之后"
NAME_IN_FUTURE = "命名日期不能晚于今天"
NAME_OBJECTIONS_OPEN = "还有{count}条异议未答复，答复后才能命名"
NAME_NOBODY = "拟命名名单为空，不能命名"
WITHDRAW_ALREADY = "该命名已经撤销"
WITHDRAW_BEFORE_NAMING = "撤销日期不能早于命名日期（{named_on}）"
WITHDRAW_IN_FUTURE = "撤销日期不能晚于今天"

# Objections from one address per hour, and in all per campaign: enough for anyone with a
# reason, few enough that a script cannot bury the department's list.
OBJECTIONS_PER_ADDRESS_HOUR = 5
OBJECTIONS_PER_CAMPAIGN = 500
OBJECTION_RAISED = "campaigns.objection.raised"


def _locked(campaign: Campaign) -> Campaign:
    """The campaign locked for the change, refused unless its plan runs."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",)).select_related("plan").get(pk=campaign.pk)
    )
    campaign.plan.require_open()
    return campaign


def _state(campaign: Campaign) -> dict:
    return {
        "proposed_at": campaign.proposed_at.isoformat() if campaign.proposed_at else None,
        "publicity_from": str(campaign.publicity_from or ""),
        "publicity_until": str(campaign.publicity_until or ""),
        "named_on": str(campaign.named_on or ""),
        "decision_number": campaign.decision_number,
        "decision_title": campaign.decision_title,
    }


def publicity_is_open(campaign: Campaign, *, today: dt.date | None = None) -> bool:
    """Whether the 公示 runs on `today` (default: the clock's)."""
    day = today or clock.today()
    if campaign.publicity_from is None or campaign.publicity_until is None:
        return False
    return campaign.publicity_from <= day <= campaign.publicity_until


@transaction.atomic
def campaign_propose(*, campaign: Campaign, actor, nominations: list[Nomination]) -> Campaign:
    """拟命名名单: the admitted nominees chosen, at most `quota` when the campaign has one."""
    campaign = _locked(campaign)
    if campaign.scoring_closed_at is None:
        raise ServiceError(PROPOSE_SCORING_OPEN)
    if campaign.publicity_from is not None:
        raise ServiceError(PROPOSE_AFTER_PUBLICITY)
    chosen = {n.pk for n in nominations}
    if not chosen:
        raise ServiceError(PROPOSE_EMPTY)
    admitted = Nomination.objects.filter(campaign=campaign, status=Nomination.Status.APPROVED)
    if admitted.filter(pk__in=chosen).count() != len(chosen):
        raise ServiceError(PROPOSE_NOT_ADMITTED)
    if campaign.quota is not None and len(chosen) > campaign.quota:
        raise ServiceError(PROPOSE_OVER_QUOTA.format(quota=campaign.quota))
    before = sorted(
        Nomination.objects.filter(campaign=campaign, proposed=True).values_list("pk", flat=True)
    )
    Nomination.objects.filter(campaign=campaign).exclude(pk__in=chosen).update(proposed=False)
    Nomination.objects.filter(pk__in=chosen).update(proposed=True)
    campaign.proposed_at = clock.now()
    campaign.version += 1
    campaign.save(update_fields=["proposed_at", "version"])
    audit_record(
        actor=actor,
        event="campaigns.campaign.proposed",
        target=campaign,
        before={"proposed": before},
        after={"proposed": sorted(chosen)},
    )
    return campaign


@transaction.atomic
def campaign_publicity_open(*, campaign: Campaign, actor, starts_on: dt.date) -> Campaign:
    """公示 from `starts_on` for `publicity_days` calendar days (自然日), both ends included."""
    campaign = _locked(campaign)
    if campaign.proposed_at is None:
        raise ServiceError(PUBLICITY_NOT_PROPOSED)
    if campaign.publicity_from is not None:
        raise ServiceError(PUBLICITY_ALREADY_OPEN)
    if starts_on < clock.today():
        raise ServiceError(PUBLICITY_IN_PAST)
    before = _state(campaign)
    campaign.publicity_from = starts_on
    campaign.publicity_until = starts_on + dt.timedelta(days=max(campaign.publicity_days, 1) - 1)
    campaign.version += 1
    campaign.save(update_fields=["publicity_from", "publicity_until", "version"])
    audit_record(
        actor=actor,
        event="campaigns.publicity.opened",
        target=campaign,
        before=before,
        after=_state(campaign),
    )
    return campaign


@transaction.atomic
def objection_raise(
    *, campaign: Campaign, text: str, contact: str = "", nomination: Nomination | None = None
) -> Objection:
    """An objection from the public 公示 page (nobody signed in); the contact is sealed."""
    campaign = _locked(campaign)
    if not publicity_is_open(campaign):
        raise ServiceError(OBJECTION_NOT_OPEN)
    address = client_ip.get()
    if address:
        recent = AuditEntry.objects.filter(
            event=OBJECTION_RAISED, ip=address, at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= OBJECTIONS_PER_ADDRESS_HOUR:
            raise ServiceError(OBJECTION_TOO_MANY)
    if Objection.objects.filter(campaign=campaign).count() >= OBJECTIONS_PER_CAMPAIGN:
        raise ServiceError(OBJECTION_CAMPAIGN_FULL)
    if nomination is not None and not (
        Nomination.objects.filter(pk=nomination.pk, campaign=campaign, proposed=True).exists()
    ):
        nomination = None  # only a proposed nominee of this campaign can be objected to
    objection = Objection.objects.create(
        campaign=campaign,
        nomination=nomination,
        text=text,
        contact=crypto.seal(contact) if contact else "",
        raised_at=clock.now(),
    )
    audit_record(
        actor=None,
        event=OBJECTION_RAISED,
        target=objection,
        after={"nomination": nomination.pk if nomination else None, "has_contact": bool(contact)},
        username="公示页面访客",
        federation=campaign.plan.issuer,
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    """The department's answer to an objection (every one is answered before naming)."""
    campaign = _locked(objection.campaign)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if campaign.named_on is not None:
        raise ServiceError(OBJECTION_AFTER_NAMING)
    if objection.answered_at is not None:
        raise ServiceError(OBJECTION_ALREADY_ANSWERED)
    objection.answer = answer
    objection.answered_at = clock.now()
    objection.answered_by = actor
    objection.save(update_fields=["answer", "answered_at", "answered_by"])
    audit_record(
        actor=actor,
        event="campaigns.objection.answered",
        target=objection,
        before={"answer": ""},
        after={"answer": answer},
    )
    return objection


@transaction.atomic
def campaign_name(
    *, campaign: Campaign, actor, named_on: dt.date, decision_number: str, decision_title: str
) -> list[Designation]:
    """命名: the proposed list named by a decision; a `Designation` for each, counted toward
    the campaign's indicator from `named_on`."""
    campaign = _locked(campaign)
    if campaign.named_on is not None:
        raise ServiceError(NAME_ALREADY)
    if campaign.publicity_until is None:
        raise ServiceError(NAME_NO_PUBLICITY)
    today = clock.today()
    if today <= campaign.publicity_until:
        raise ServiceError(NAME_PUBLICITY_RUNNING)
    if named_on <= campaign.publicity_until:
        raise ServiceError(NAME_BEFORE_PUBLICITY_END.format(until=campaign.publicity_until))
    if named_on > today:
        raise ServiceError(NAME_IN_FUTURE)
    unanswered = Objection.objects.filter(campaign=campaign, answered_at__isnull=True).count()
    if unanswered:
        raise ServiceError(NAME_OBJECTIONS_OPEN.format(count=unanswered))
    proposed = list(
        Nomination.objects.filter(
            campaign=campaign, proposed=True, status=Nomination.Status.APPROVED
        ).select_related("unit")
    )
    if not proposed:
        raise ServiceError(NAME_NOBODY)
    before = _state(campaign)
    campaign.named_on = named_on
    campaign.decision_number = decision_number
    campaign.decision_title = decision_title
    campaign.version += 1
    campaign.save(update_fields=["named_on", "decision_number", "decision_title", "version"])
    designations = Designation.objects.bulk_create(
        [
            Designation(
                campaign=campaign,
                nomination=n,
                unit=n.unit,
                name=n.name,
                named_on=named_on,
                decision_number=decision_number,
                named_by=actor,
            )
            for n in proposed
        ]
    )
    audit_record(
        actor=actor,
        event="campaigns.campaign.named",
        target=campaign,
        before=before,
        after={**_state(campaign), "named": [n.name for n in proposed]},
    )
    if campaign.indicator_id:
        designation_figures_refresh(
            indicator_id=campaign.indicator_id, unit_ids={n.unit_id for n in proposed}
        )
    return designations


@transaction.atomic
def designation_withdraw(
    *, designation: Designation, actor, withdrawn_on: dt.date, reason: str
) -> Designation:
    """撤销命名: stops counting toward the indicator from `withdrawn_on`."""
    designation = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("campaign__plan")
        .get(pk=designation.pk)
    )
    designation.campaign.plan.require_open()
    if designation.withdrawn_on is not None:
        raise ServiceError(WITHDRAW_ALREADY)
    if withdrawn_on < designation.named_on:
        raise ServiceError(WITHDRAW_BEFORE_NAMING.format(named_on=designation.named_on))
    if withdrawn_on > clock.today():
        raise ServiceError(WITHDRAW_IN_FUTURE)
    designation.withdrawn_on = withdrawn_on
    designation.withdraw_reason = reason
    designation.withdrawn_by = actor
    designation.save(update_fields=["withdrawn_on", "withdraw_reason", "withdrawn_by"])
    audit_record(
        actor=actor,
        event="campaigns.designation.withdrawn",
        target=designation,
        before={"withdrawn_on": None},
        after={"withdrawn_on": str(withdrawn_on), "reason": reason},
        reason=reason,
    )
    if designation.campaign.indicator_id:
        designation_figures_refresh(
            indicator_id=designation.campaign.indicator_id, unit_ids={designation.unit_id}
        )
    return designation


def designation_series(designations: list[Designation]) -> dict[dt.date, Decimal]:
    """Each day a designation was named or withdrawn → how many counted at that day's end."""
    days = sorted(
        {d.named_on for d in designations} | {d.withdrawn_on for d in designations} - {None}
    )
    return {
        day: Decimal(
            sum(
                1
                for d in designations
                if d.named_on <= day and (d.withdrawn_on is None or d.withdrawn_on > day)
            )
        )
        for day in days
    }


def designation_figures_refresh(*, indicator_id: int, unit_ids: set[int]) -> int:
    """Bring the units' official figures of `indicator_id` in line with their designations
    (of every campaign counting toward it); returns the number of figures written.

    A figure dated D is official from D's start; one already official for D with another value
    (a second naming the same day) is withdrawn from that moment and replaced."""
    by_unit: dict[int, list[Designation]] = defaultdict(list)
    for d in Designation.objects.filter(campaign__indicator_id=indicator_id, unit_id__in=unit_ids):
        by_unit[d.unit_id].append(d)
    current = {
        (v.unit_id, v.period_end): v
        for v in OfficialValue.objects.filter(
            report__isnull=True,
            indicator_id=indicator_id,
            unit_id__in=unit_ids,
            withdrawn_at__isnull=True,
        )
    }
    create: list[Figure] = []
    for unit_id in unit_ids:
        for day, value in designation_series(by_unit[unit_id]).items():
            old = current.get((unit_id, day))
            if old is not None and old.value == value:
                continue
            at = clock.start_of(day)
            if old is not None:
                official_withdraw(
                    OfficialValue.objects.filter(pk=old.pk), at=max(at, old.approved_at)
                )
            create.append(
                Figure(
                    unit_id=unit_id,
                    indicator_id=indicator_id,
                    period_end=day,
                    value=value,
                    approved_at=at,
                )
            )
    official_record(create)
    return len(create)
