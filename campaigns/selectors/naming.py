"""Reads of a campaign's part after scoring: the naming page, the public 公示 page, the named
list for the decision and the certificate list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Designation, Nomination, Objection
from campaigns.selectors.scoring import results
from common import clock
from orgs.access import campaign_scope, can_review_programme, designation_scope
from personal import crypto
from personal.masks import mask


@dataclass(frozen=True)
class ObjectionRow:
    objection: Objection
    contact: str  # masked


@dataclass
class NamingPage:
    campaign: Campaign
    can_run: bool
    can_read_all: bool
    admitted: list[Nomination] = field(default_factory=list)
    suggested: list[int] = field(default_factory=list)  # nomination ids, best first
    proposed: list[Nomination] = field(default_factory=list)
    objections: list[ObjectionRow] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return sum(1 for o in self.objections if o.objection.answered_at is None)

    @property
    def publicity_open(self) -> bool:
        return publicity_state(self.campaign) == "open"

    @property
    def publicity_ended(self) -> bool:
        return publicity_state(self.campaign) == "ended"


def publicity_state(campaign: Campaign, *, today: dt.date | None = None) -> str:
    """ "none" (not opened), "coming", "open" or "ended"."""
    day = today or clock.today()
    if campaign.publicity_from is None or campaign.publicity_until is None:
        return "none"
    if day < campaign.publicity_from:
        return "coming"
    return "open" if day <= campaign.publicity_until else "ended"


def naming_campaign_get(*, actor, pk: int) -> Campaign:
    """A campaign `actor` may read the naming of; another federation's → 404. One query."""
    queryset = (
        Campaign.objects.filter(campaign_scope(actor))
        .select_related("plan", "programme", "indicator")
        .distinct()
    )
    return get_object_or_404(queryset, pk=pk)


def campaign_runner_departments(campaign: Campaign) -> set[int]:
    """The departments running `campaign`: its programme's. One query."""
    return set(campaign.programme.departments.values_list("pk", flat=True))


def _suggested(campaign: Campaign) -> list[int]:
    """The default proposal: the top `quota` of the combined scores (all when no quota)."""
    ranked = [r.nomination.pk for r in results(campaign) if r.total is not None]
    return ranked[: campaign.quota] if campaign.quota is not None else ranked


def naming_page(*, campaign: Campaign, actor) -> NamingPage:
    """What the naming page shows `actor`: everything to the federation's staff and leaders
    (with the forms to the campaign's departments), only their own unit's designations to a
    unit's users."""
    runner = can_review_programme(actor, campaign_runner_departments(campaign))
    page = NamingPage(campaign=campaign, can_run=runner, can_read_all=not actor.is_unit_user)
    designations = Designation.objects.filter(designation_scope(actor), campaign=campaign)
    page.designations = list(designations.select_related("unit").distinct())
    if not page.can_read_all:
        return page
    nominations = list(
        Nomination.objects.filter(campaign=campaign, status=Nomination.Status.APPROVED)
        .select_related("unit")
        .order_by("unit__order", "id")
    )
    page.admitted = nominations
    page.proposed = [n for n in nominations if n.proposed]
    page.objections = [
        ObjectionRow(objection=o, contact=_masked(o.contact))
        for o in Objection.objects.filter(campaign=campaign).select_related("nomination")
    ]
    if runner and campaign.scoring_closed_at and not campaign.proposed_at:
        page.suggested = _suggested(campaign)
    return page


def _masked(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return mask(crypto.open(sealed), "phone")
    except crypto.Unreadable:
        return "（无法读取）"


def objection_get(*, actor, campaign: Campaign, pk: int) -> Objection:
    return get_object_or_404(Objection.objects.filter(campaign=campaign), pk=pk)


def designation_get(*, actor, pk: int) -> Designation:
    """A designation `actor` may read; another unit's or federation's → 404. One query."""
    queryset = (
        Designation.objects.filter(designation_scope(actor))
        .select_related("campaign__programme", "unit")
        .distinct()
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class Publicity:
    campaign: Campaign
    state: str  # "open" or "ended"
    proposed: list[Nomination]


def publicity_get(*, slug: str, code: str) -> Publicity:
    """The public 公示 page of a published plan's campaign, from the publicity's first day on
    (404 before, and for a campaign never publicised). Two queries."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("plan__issuer").filter(
            ~Q(plan__status="draft"), publicity_from__isnull=False
        ),
        plan__slug=slug,
        code=code,
    )
    state = publicity_state(campaign)
    if state not in ("open", "ended"):
        raise Http404("没有找到该公示")
    proposed = list(
        Nomination.objects.filter(
            campaign=campaign, proposed=True, status=Nomination.Status.APPROVED
        )
        .select_related("unit")
        .order_by("unit__order", "id")
    )
    return Publicity(campaign=campaign, state=state, proposed=proposed if state == "open" else [])


def named_by_unit(campaign: Campaign) -> list[tuple[str, list[Designation]]]:
    """The named list of the decision, grouped by unit in the units' order (withdrawn ones
    are left out). One query."""
    designations = list(
        Designation.objects.filter(campaign=campaign, withdrawn_on__isnull=True)
        .select_related("unit")
        .order_by("unit__order", "unit_id", "id")
    )
    return [
        (unit_name, list(rows))
        for unit_name, rows in groupby(designations, key=lambda d: d.unit.name)
    ]


def certificate_rows(campaign: Campaign) -> list[Designation]:
    """The certificate list: every designation not withdrawn, by unit. One query."""
    return list(
        Designation.objects.filter(campaign=campaign, withdrawn_on__isnull=True)
        .select_related("unit")
        .order_by("unit__order", "unit_id", "id")
    )
