"""Combining scorers' points into one result per admitted nominee (评选结果).

A scorer's total for a nominee is the sum of their points over the rubric's items. The
nominee's combined score is the mean of the scorers' totals or, when the campaign says so, the
trimmed mean: one highest and one lowest total dropped, only with 3 scorers or more (with
fewer, the plain mean, and `trimmed` is False so the page can say so). Exact Decimal
arithmetic, rounded to 2 decimals half up. Ranks are shared by equal totals (1, 1, 3); a
nominee nobody has scored has no total and no rank, after the others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from campaigns.models import Campaign, Nomination, Score

CENT = Decimal("0.01")
TRIM_FROM = 3  # scorers needed before the highest and the lowest totals are dropped


@dataclass
class Result:
    nomination: Nomination
    total: Decimal | None
    scorer_count: int
    rank: int | None = None
    tied: bool = False
    trimmed: bool = False  # the highest and lowest totals were dropped


def combine(totals: list[Decimal], method: str) -> tuple[Decimal | None, bool]:
    """The combined score of scorers' `totals` and whether it was trimmed."""
    if not totals:
        return None, False
    trimmed = method == Campaign.Combine.TRIMMED_MEAN and len(totals) >= TRIM_FROM
    kept = sorted(totals)[1:-1] if trimmed else totals
    mean = sum(kept, Decimal(0)) / Decimal(len(kept))
    return mean.quantize(CENT, rounding=ROUND_HALF_UP), trimmed


def rank(results: list[Result]) -> list[Result]:
    """Best first; equal totals share a rank and are marked tied."""
    scored = sorted(
        (r for r in results if r.total is not None),
        key=lambda r: (-r.total, r.nomination.unit.order, r.nomination.pk),
    )
    counts: dict[Decimal, int] = defaultdict(int)
    for r in scored:
        counts[r.total] += 1
    previous, previous_rank = None, 0
    for position, r in enumerate(scored, start=1):
        r.rank = previous_rank if r.total == previous else position
        previous, previous_rank = r.total, r.rank
        r.tied = counts[r.total] > 1
    unscored = [r for r in results if r.total is None]
    return scored + unscored


def scorer_totals(campaign: Campaign) -> dict[int, list[Decimal]]:
    """Nomination id → each scorer's total. One query."""
    totals: dict[int, list[Decimal]] = defaultdict(list)
    rows = (
        Score.objects.filter(nomination__campaign=campaign)
        .values("nomination_id", "scorer_id")
        .annotate(total=Sum("points"))
        .order_by("nomination_id", "scorer_id")
    )
    for row in rows:
        totals[row["nomination_id"]].append(Decimal(row["total"]))
    return totals


def results(campaign: Campaign) -> list[Result]:
    """Each admitted nominee's combined score and rank, best first. Two queries."""
    nominees = list(
        Nomination.objects.filter(campaign=campaign, status=Nomination.Status.APPROVED)
        .select_related("unit")
        .order_by("unit__order", "pk")
    )
    totals = scorer_totals(campaign)
    rows = []
    for nomination in nominees:
        given = totals.get(nomination.pk, [])
        total, trimmed = combine(given, campaign.combine)
        rows.append(Result(nomination, total, len(given), trimmed=trimmed))
    return rank(rows)
