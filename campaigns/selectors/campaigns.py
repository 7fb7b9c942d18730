"""Reading campaigns and nominations: a plan's campaigns with their counts, one campaign, its
nominations as its reader may see them, a nomination with its materials, a scorer's sheet.
Each runs a fixed number of queries, whatever the number of nominations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from audit.models import AuditEntry
from campaigns.describe import nominators_text
from campaigns.models import Campaign, CampaignQuota, CampaignScorer, Nomination, Score
from campaigns.services.nominations import may_nominate
from campaigns.steps import scoring_refusal, window_closed
from evidence.models import Evidence
from orgs.access import (
    BUSINESS_ROLES,
    campaign_scope,
    nomination_scope,
    scorer_conflicts,
)
from orgs.models import Unit, User
from plans.models import Criterion, Plan
from records.models import Record

Status = Nomination.Status


def _campaigns(actor: User):
    return (
        Campaign.objects.filter(campaign_scope(actor))
        .select_related("plan", "programme", "form", "rubric")
        .prefetch_related("programme__departments")
    )


def campaign_list(*, actor: User, plan: Plan, today: dt.date) -> list[Campaign]:
    """The plan's campaigns, each with `counts` (nominations by state: every unit's for the
    federation, the unit's own for a unit user), `open` (still nominating), `nominators_text`
    (who may nominate, in words) and, for a unit
    user, `may_nominate` and `limit`. Four queries."""
    unit_only = actor.is_unit_user
    nominations = Q(nominations__unit_id=actor.unit_id) if unit_only else Q()
    campaigns = list(
        _campaigns(actor)
        .filter(plan=plan)
        .annotate(
            n_all=Count("nominations", filter=nominations & ~Q(nominations__status=Status.DRAFT)),
            n_draft=Count("nominations", filter=nominations & Q(nominations__status=Status.DRAFT)),
            n_admitted=Count(
                "nominations", filter=nominations & Q(nominations__status=Status.APPROVED)
            ),
        )
    )
    quotas = {}
    if unit_only:
        quotas = dict(
            CampaignQuota.objects.filter(campaign__plan=plan, unit_id=actor.unit_id).values_list(
                "campaign_id", "count"
            )
        )
    for campaign in campaigns:
        campaign.open = not window_closed(campaign, today)
        campaign.nominators_text = nominators_text(campaign.nominators, campaign.plan)
        if unit_only:
            campaign.may_nominate = may_nominate(campaign, actor.unit)
            campaign.limit = quotas.get(campaign.pk, campaign.per_unit)
    return campaigns


def campaign_get(*, actor: User, pk: int) -> Campaign:
    """One campaign `actor` may open (another federation's → 404)."""
    return get_object_or_404(_campaigns(actor), pk=pk)


def department_ids(campaign: Campaign) -> set[int]:
    return {d.pk for d in campaign.programme.departments.all()}


def nomination_list(*, actor: User, campaign: Campaign) -> list[Nomination]:
    """The campaign's nominations `actor` may see (a unit user: their own unit's; the
    federation: every unit's recommended ones), each with `files` (how many). One query."""
    nominations = (
        Nomination.objects.filter(nomination_scope(actor), campaign=campaign)
        .select_related("unit", "record")
        .annotate(files=Count("evidence"))
        .order_by("unit__order", "pk")
    )
    return list(nominations)


def _nominations(actor: User):
    return Nomination.objects.filter(nomination_scope(actor)).select_related(
        "campaign__plan", "campaign__programme", "campaign__form", "unit", "record"
    )


def nomination_get(*, actor: User, pk: int) -> Nomination:
    """One nomination `actor` may open, with its files (another unit's → 404)."""
    return get_object_or_404(
        _nominations(actor).prefetch_related("evidence", "campaign__programme__departments"),
        pk=pk,
    )


def nomination_file_get(*, actor: User, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.of_kind(Nomination), pk=pk)
    get_object_or_404(Nomination.objects.filter(nomination_scope(actor)), pk=evidence.owner_id)
    return evidence


def eligible_records(*, campaign: Campaign, unit_id: int, keep: int | None = None) -> list[Record]:
    """The unit's approved rows of the campaign's form not nominated yet (`keep`: the row the
    nomination being edited already names). Non-compliant rows are listed too, so that the
    refusal says why. One query."""
    if campaign.form_id is None:
        return []
    taken = Nomination.objects.filter(campaign=campaign, record__isnull=False)
    if keep is not None:
        taken = taken.exclude(record_id=keep)
    return list(
        Record.objects.filter(
            form_id=campaign.form_id, unit_id=unit_id, status=Record.Status.APPROVED
        )
        .exclude(pk__in=taken.values("record_id"))
        .order_by("created_at", "pk")
    )


def record_label(record: Record) -> str:
    data = record.data or {}
    name = data.get("name") or data.get("title") or f"记录 {record.pk}"
    return str(name) if record.is_compliant else f"{name}（未达标）"


def scorer_seats(*, campaign: Campaign) -> list[CampaignScorer]:
    """The campaign's scorers, each with `scored` (how many nominees they have scored). Two
    queries."""
    seats = list(
        CampaignScorer.objects.filter(campaign=campaign)
        .select_related("user__unit", "user__department")
        .order_by("assigned_at", "pk")
    )
    scored = dict(
        Score.objects.filter(nomination__campaign=campaign)
        .values("scorer_id")
        .annotate(n=Count("nomination_id", distinct=True))
        .values_list("scorer_id", "n")
    )
    for seat in seats:
        seat.scored = scored.get(seat.user_id, 0)
    return seats


def scorer_candidates(*, campaign: Campaign) -> list[User]:
    """Who may be made a scorer: the federation's active business users not yet scorers."""
    seated = CampaignScorer.objects.filter(campaign=campaign).values("user_id")
    return list(
        User.objects.filter(
            is_active=True, role__in=BUSINESS_ROLES, federation_id=campaign.plan.issuer_id
        )
        .exclude(pk__in=seated)
        .select_related("unit", "department")
        .order_by("role", "unit__order", "department__name", "username")
    )


def is_scorer(*, campaign: Campaign, user: User) -> bool:
    return CampaignScorer.objects.filter(campaign=campaign, user=user).exists()


@dataclass
class SheetRow:
    nomination: Nomination
    scores: dict[int, Score] = field(default_factory=dict)  # criterion id → own score
    conflict: bool = False  # of the scorer's own unit: never scored by them

    @property
    def total(self):
        if not self.scores:
            return None
        return sum((s.points for s in self.scores.values()), Decimal(0))


@dataclass
class Sheet:
    campaign: Campaign
    items: list[Criterion]
    sections: dict[int, Criterion]  # item id → its section
    rows: list[SheetRow]
    refusal: str  # why scoring is not open ("" while it is)


def scoring_sheet(*, campaign: Campaign, scorer: User, today: dt.date) -> Sheet:
    """A scorer's nominees (the admitted ones, those of their own unit marked as conflicts)
    with their own scores only. Three queries."""
    criteria = list(campaign.rubric.criteria.all()) if campaign.rubric_id else []
    items = rubric_items_of(criteria)
    sections = {}
    current = None
    for c in criteria:
        if c.is_section:
            current = c
        elif current is not None:
            sections[c.pk] = current
    for item in items:
        item.section = sections.get(item.pk)
    nominees = list(
        Nomination.objects.filter(campaign=campaign, status=Status.APPROVED)
        .select_related("unit", "record")
        .order_by("unit__order", "pk")
    )
    own = Score.objects.filter(nomination__campaign=campaign, scorer=scorer)
    by_nominee: dict[int, dict[int, Score]] = {}
    for score in own:
        by_nominee.setdefault(score.nomination_id, {})[score.criterion_id] = score
    rows = [
        SheetRow(
            nomination=n,
            scores=by_nominee.get(n.pk, {}),
            conflict=scorer_conflicts(scorer, n.unit_id),
        )
        for n in nominees
    ]
    return Sheet(campaign, items, sections, rows, scoring_refusal(campaign, today))


def rubric_items_of(criteria: list[Criterion]) -> list[Criterion]:
    return [c for c in criteria if not c.is_section]


def units_of(plan: Plan) -> list[Unit]:
    return list(plan.units.exclude(pk=plan.issuer_id).order_by("order", "pk"))


def nomination_history(*, nomination: Nomination) -> list[AuditEntry]:
    """The nomination's audit entries, oldest first (scores are not among them: a unit never
    reads who scored what). One query."""
    return list(
        AuditEntry.objects.filter(object_type="campaigns.nomination", object_id=str(nomination.pk))
        .exclude(event__startswith="campaigns.score.")
        .order_by("at", "id")
    )
