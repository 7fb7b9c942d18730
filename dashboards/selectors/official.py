"""The official figures as at a date: what every dashboard counts (docs/dashboards.md).

Every selector runs a fixed number of queries whatever the number of units; the arithmetic
lives in `dashboards.metrics`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum

from common import clock
from plans.models import Allocation, AllocationColumn, Indicator, Plan, Programme
from reporting.models import OfficialValue, ProgressValue, Report

ZERO = Decimal(0)
Official = dict[tuple[int, int], Decimal]  # what `official_values` returns


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after `as_of` in Asia/Shanghai."""
    return clock.start_of(as_of + dt.timedelta(days=1))


def official_values(
    plan: Plan, as_of: dt.date, *, programme: Programme | None = None
) -> dict[tuple[int, int], Decimal]:
    """(unit id, indicator id) → the latest cumulative figure officially valid on `as_of`.

    Both ways below read the covering index `official_current_figure` alone, in its order;
    numbering every figure with ROW_NUMBER() sorted them all (3-4x slower on SQLite at
    200,000 figures).

    - PostgreSQL: DISTINCT ON (indicator, unit), newest period first, is one backward pass
      over the index: 30 ms at 1,000 units, against 85 ms for the grouping below.
    - SQLite (no DISTINCT ON): one row per unit × indicator with any figure, grouped in the
      index's order, each with its current figure looked up on the index (37 ms; SQLite's
      MAX() with bare columns, its one-pass equivalent, took 50 ms).
    """
    indicators = Indicator.objects.filter(plan=plan)
    if programme is not None:
        indicators = indicators.filter(programme=programme)
    # IN (the plan's indicators) rather than a join: the index is walked in (indicator, unit)
    # order, with no sort of 200,000 entries first.
    figures = OfficialValue.objects.filter(indicator__in=indicators.values("pk"))
    if connection.vendor == "postgresql":
        rows = (
            figures.filter(valid_on(as_of))
            .order_by("-indicator_id", "-unit_id", "-period_end")
            .distinct("indicator_id", "unit_id")
            .values_list("unit_id", "indicator_id", "value")
        )
    else:
        rows = (
            figures.values("unit_id", "indicator_id")
            .annotate(figures=Count("pk"))
            .annotate(value=current_value(as_of))
            .values_list("unit_id", "indicator_id", "value")
        )
    return {(u, i): v for u, i, v in rows if v is not None}


def official_on(as_of: dt.date) -> Q:
    """Official at the end of `as_of` (docs/dashboards.md, the as-of rule): official from
    before that day's end and not withdrawn by then, whatever the period it reports on. The
    period only orders a unit's figures; no figure is official before its period begins (a
    report cannot be filled in earlier; records.figures makes a month official from its
    first day)."""
    at = cutoff(as_of)
    return Q(approved_at__lt=at) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=at))


def valid_on(as_of: dt.date) -> Q:
    """Counted as at `as_of`: official then, and not a late figure left out (不予统计)."""
    return Q(counts=True) & official_on(as_of)


def current_value(as_of: dt.date) -> Subquery:
    """For a row with `unit_id` and `indicator_id`: its figure officially valid on `as_of`.

    One lookup on the index (indicator, unit, period_end) per row, newest period first.
    """
    return Subquery(
        OfficialValue.objects.filter(
            valid_on(as_of), unit=OuterRef("unit_id"), indicator=OuterRef("indicator_id")
        )
        .order_by("-period_end")
        .values("value")[:1]
    )


def pending_values(plan: Plan, *, programme: Programme | None = None) -> dict[int, Decimal]:
    """Indicator id → sum of figures waiting for review (shown beside, never mixed in)."""
    # Reports waiting for review are few: found first on the status index, their values
    # looked up by report. Joined the other way round, SQLite walked every obligation.
    waiting = Report.objects.filter(status=Report.Status.CONFIRMED, obligation__plan=plan)
    pending = ProgressValue.objects.filter(report__in=waiting.values("pk"), value__isnull=False)
    if programme is not None:
        pending = pending.filter(indicator__programme=programme)
    return dict(
        pending.values_list("indicator_id")
        .annotate(total=Sum("value"))
        .values_list("indicator_id", "total")
    )


def city_targets(plan: Plan) -> dict[int, Decimal | None]:
    """The city target per indicator: the text's, else the table's printed total, else its sum."""
    declared = dict(
        AllocationColumn.objects.filter(table__plan=plan).values_list(
            "indicator_id", "declared_total"
        )
    )
    sums = dict(
        Allocation.objects.filter(indicator__plan=plan)
        .values_list("indicator_id")
        .annotate(total=Sum("value"))
        .values_list("indicator_id", "total")
    )
    result = {}
    for indicator in Indicator.objects.filter(plan=plan).only("pk", "target", "target_denominator"):
        result[indicator.pk] = (
            indicator.target_value
            if indicator.target is not None
            else declared.get(indicator.pk) or sums.get(indicator.pk)
        )
    return result
