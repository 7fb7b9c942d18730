"""Units ranked by completion, with their timeliness, and the early warnings: each unit's
shares judged once against the time elapsed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from dashboards import metrics
from dashboards.selectors.official import current_value
from orgs.models import Unit
from plans.models import Allocation, Indicator, Plan, Programme
from reporting.as_of import cutoff
from reporting.models import Obligation
from reporting.warning_levels import RED, YELLOW


@dataclass
class Timeliness:
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.received - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def completeness(self) -> Decimal | None:
        return Decimal(self.received) / self.expected if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        return Decimal(self.on_time) / self.expected if self.expected else None


def timeliness_by_unit(
    *, plan: Plan, as_of: dt.date, programme: int | None = None
) -> dict[int, Timeliness]:
    """DHIS2-style completeness and timeliness of what fell due by `as_of`: a report counts
    from its first confirmation, a form's obligation from when it was met (its first row of
    the period sent, or 本期无), each on time unless late. Both are kept on the obligation
    (`reported_at`, `met_at`), so no report is read."""
    at = cutoff(as_of)
    reported, met = Q(reported_at__lt=at), Q(met_at__lt=at)
    received = reported | met
    on_time = (reported & Q(reported_late=False)) | (met & Q(met_late=False))
    # Unordered: the obligations' default order joins units and programmes to no purpose.
    queryset = Obligation.objects.filter(plan=plan, due_date__lte=as_of).order_by()
    if programme:
        queryset = queryset.filter(programme__number=programme)
    rows = queryset.values("unit_id").annotate(
        expected=Count("id"),
        received=Count("id", filter=received),
        on_time=Count("id", filter=on_time),
    )
    return {r["unit_id"]: Timeliness(r["expected"], r["received"], r["on_time"]) for r in rows}


@dataclass
class RankRow:
    rank: int
    unit: Unit
    score: Decimal | None
    targets: int
    behind: int
    timeliness: Timeliness
    group: str = ""  # its ranking group's name ("": the plan ranks in one list)
    group_rank: int | None = None  # its rank within that group


@dataclass(slots=True)  # not frozen: 17,000 of them are made per bulletin, 3x faster so
class ShareProgress:
    """A unit's share of one indicator and how much of it is done on the as-of date."""

    unit_id: int
    indicator_id: int
    share: Decimal | None
    completion: Decimal | None  # None without a positive share


def share_progress(
    *,
    plan: Plan,
    as_of: dt.date,
    programme: Programme | None = None,
    department_id: int | None = None,
    official: dict[tuple[int, int], Decimal] | None = None,
) -> list[ShareProgress]:
    """Every unit's share with its completion on `as_of`: what the ranking and the warnings
    judge. `programme` or `department_id` (its programmes) narrow the shares.

    Each share's figure is looked up on the index in the same query (`current_value`), not
    taken from every figure of the plan (`official_values`): a ranking of one programme reads
    only that programme's, and even the whole plan's ran faster so (docs/benchmarks.md). A
    page that has read the plan's figures already (the overview) passes them as `official`,
    and they are not looked up again.
    """
    # Unordered: the table order (row, indicator) joins the rows and sorts 17,000 shares
    # nobody reads in that order.
    allocations = Allocation.objects.filter(indicator__plan=plan, unit__isnull=False).order_by()
    if programme is not None:
        allocations = allocations.filter(indicator__programme=programme)
    if department_id is not None:
        allocations = allocations.filter(indicator__programme__departments=department_id)
    completion = metrics.completion
    if official is not None:
        return [
            ShareProgress(u, i, share, completion(official.get((u, i)), share))
            for u, i, share in allocations.values_list("unit_id", "indicator_id", "value")
        ]
    rows = allocations.annotate(achieved=current_value(as_of)).values_list(
        "unit_id", "indicator_id", "value", "achieved"
    )
    return [ShareProgress(u, i, share, completion(value, share)) for u, i, share, value in rows]


@dataclass(slots=True)
class Judged:
    """Shares judged once on the as-of date, for the ranking and the warnings alike."""

    completions: dict[int, list[Decimal | None]]  # unit id → each share's completion
    behind: dict[int, int]  # unit id → shares 滞后 or 严重滞后
    lagging: dict[int, list[tuple[int, Decimal, Decimal]]]  # by more than the warning margin


def judge_shares(
    *,
    progress: list[ShareProgress],
    elapsed: dict[int, Decimal],
    margin: Decimal | None = None,
    margins: tuple[Decimal, Decimal] | None = None,
) -> Judged:
    """Per unit: its completions, how many shares are behind (`metrics.is_behind` with the
    滞后 margin), and which trail the time `elapsed` (indicator id → its share, computed once
    per indicator, not once per share) by more than `margin` (default: the 滞后 margin).
    `margins` are the plan's (`metrics.thresholds(plan)`; default: the settings')."""
    behind_margin = min(margins or metrics.thresholds())
    margin = behind_margin if margin is None else margin
    is_behind = metrics.is_behind
    completions: dict[int, list[Decimal | None]] = defaultdict(list)
    behind: dict[int, int] = defaultdict(int)
    lagging: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for p in progress:
        done = p.completion
        completions[p.unit_id].append(done)
        if done is None:
            continue
        passed = elapsed[p.indicator_id]
        if is_behind(done, passed, behind_margin):
            behind[p.unit_id] += 1
        if is_behind(done, passed, margin):
            lagging[p.unit_id].append((p.indicator_id, done, passed))
    return Judged(completions, behind, lagging)


def rank_units(
    *, judged: Judged, units: dict[int, Unit], timeliness: dict[int, Timeliness]
) -> list[RankRow]:
    """Units by capped completion score; timeliness is a separate column, not mixed in.
    `units` holds every unit `judged` has shares of."""
    shares, behind = judged.completions, judged.behind
    scored = sorted(
        ((metrics.capped_score(shares[pk]), units[pk]) for pk in shares),
        key=lambda pair: (-(pair[0] or Decimal(-1)), pair[1].order, pair[1].pk),
    )
    return [
        RankRow(
            i,
            unit,
            score,
            len(shares[unit.pk]),
            behind.get(unit.pk, 0),
            timeliness.get(unit.pk, Timeliness()),
        )
        for i, (score, unit) in enumerate(scored, start=1)
    ]


# -- early warning -------------------------------------------------------------------------


@dataclass
class Warning:
    unit: Unit
    lagging: list[tuple[Indicator, Decimal, Decimal]]  # indicator, completion, elapsed
    group: str = ""  # the unit's ranking group's name ("": the plan ranks in one list)
    # Each lagging share's 黄牌 / 红牌 (`metrics.progress_level`), in the order of `lagging`.
    levels: list[str] = field(default_factory=list)

    @property
    def carded(self) -> list[tuple[Indicator, Decimal, Decimal, str]]:
        """`lagging` with each share's card."""
        return [(*item, card) for item, card in zip(self.lagging, self.levels, strict=False)]

    @property
    def yellow(self) -> int:
        return self.levels.count(YELLOW)

    @property
    def red(self) -> int:
        return self.levels.count(RED)


def early_warnings(
    *,
    judged: Judged,
    indicators: dict[int, Indicator],
    units: dict[int, Unit],
    margins: tuple[Decimal, Decimal] | None = None,
) -> list[Warning]:
    """Units whose completion trails the time elapsed by more than the margin `judged` was
    judged with, on some target; `indicators` (with their programmes) and `units` by id; each
    share with its 黄牌 / 红牌 by `margins` (the plan's, `metrics.thresholds(plan)`)."""
    margins = margins or metrics.thresholds()
    warnings = []
    for u, items in judged.lagging.items():
        lagging = sorted(((indicators[i], d, e) for i, d, e in items), key=lambda t: t[1] - t[2])
        levels = [metrics.progress_level(d, e, margins) for _i, d, e in lagging]
        warnings.append(Warning(units[u], lagging, levels=levels))
    return sorted(warnings, key=lambda w: (-len(w.lagging), w.unit.order))
