"""A programme's campaigns in words, for the programme page (plans.extensions' panels)."""

from __future__ import annotations

from django.db.models import Prefetch

from campaigns.models import Campaign, CampaignQuota
from orgs.models import Unit

KINDS = dict(Unit.Kind.choices)
# Kinds the notices name together, by the word they use (plans.planfile.data.SCOPE_WORDS).
KIND_GROUPS = (("县（市、区）", ("county_city", "county", "district")),)


def nominators_text(nominators: list[str], plan=None) -> str:
    """`[county_city, county, district, 汝州市]` → 「县（市、区）、汝州市」: kinds the plan's
    ranking groups (or the notices' usual words) name together under that name, other kinds
    by their labels, units as written; empty: every unit of the plan."""
    if not nominators:
        return "本方案各单位"
    groups = [
        (g["name"], tuple(g.get("kinds") or ()))
        for g in (getattr(plan, "ranking_groups", None) or [])
        if g.get("kinds") and not g.get("units")
    ] + list(KIND_GROUPS)
    words, left = [], list(nominators)
    for name, kinds in groups:
        if kinds and set(kinds) <= set(left):
            words.append((min(nominators.index(k) for k in kinds), name))
            left = [n for n in left if n not in kinds]
    words += [(nominators.index(n), KINDS.get(n, n)) for n in left]
    return "、".join(word for _position, word in sorted(words))


def programme_campaigns(*, programme) -> list[dict]:
    """One panel listing the programme's campaigns (none without campaigns); two queries."""
    campaigns = list(
        Campaign.objects.filter(programme=programme)
        .select_related("plan", "indicator", "form", "rubric")
        .prefetch_related(Prefetch("quotas", queryset=CampaignQuota.objects.select_related("unit")))
    )
    if not campaigns:
        return []
    return [
        {
            "template": "campaigns/_programme_campaigns.html",
            "campaigns": [
                {
                    "campaign": c,
                    "nominators": nominators_text(c.nominators, c.plan),
                    "quotas": "、".join(f"{q.unit.short_name} {q.count}" for q in c.quotas.all()),
                }
                for c in campaigns
            ],
        }
    ]
