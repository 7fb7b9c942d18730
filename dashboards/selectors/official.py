"""The official figures as at a date: what every dashboard counts (docs/dashboards.md).

Every selector runs a fixed number of queries whatever the number of units; the arithmetic
lives in `dashboards.metrics`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Sum

from plans.models import Allocation, AllocationColumn, Indicator, Plan, Programme
from reporting.as_of import valid_on
from reporting.models import Obligation, OfficialValue, ProgressValue, Report

ZERO = Decimal(0)
Official = dict[tuple[int, int], Decimal]  # what `official_values` returns


def official_values(
    plan: Plan,
    as_of: dt.date,
    *,
    programme: Programme | None = None,
    indicator_ids: list[int] | None = None,
) -> dict[tuple[int, int], Decimal]:
    """(unit id, indicator id) → the latest cumulative figure officially valid on `as_of`.

    Both ways below read the covering index `official_current_figure` alone, in its order;
    numbering every figure with ROW_NUMBER() sorted them all (3-4x slower on SQLite at
    200,000 figures).

    - PostgreSQL: DISTINCT ON (indicator, unit), newest period first, is one backward pass
      over the index: 30 ms at 1,000 units, against 85 ms for the grouping below. The plan's
      (or programme's) indicators go in as a list of ids (`indicator_ids` when the caller has
      them, else read first), not as a subquery: from the list PostgreSQL estimates the figures
      with its statistics of indicator_id and walks the index for those indicators alone. Of
      `IN (SELECT …)` it could only guess that the plan's indicators hold their share of the
      table's: with a second plan of 1,000 units loaded it read the figures by approval date
      and sorted them on disk, 290 ms instead of 80 (docs/benchmarks.md, issue 14).
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
        if indicator_ids is None:
            indicator_ids = list(indicators.values_list("pk", flat=True))
        rows = (
            OfficialValue.objects.filter(valid_on(as_of), indicator_id__in=indicator_ids)
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
    # The plan's waiting reports are found from the plan's obligations (their plan index, then
    # each one's report), their values looked up by report: what it costs grows with the plan
    # alone. Found first on the status index instead, they were every plan's waiting reports:
    # 0.5 ms for a database holding one plan of 1,000 units, but 200 ms for a county's plan of
    # 52 units beside a province's 199 plans with 32,000 reports waiting (docs/benchmarks.md).
    waiting = Obligation.objects.filter(plan=plan, report__status=Report.Status.CONFIRMED)
    pending = ProgressValue.objects.filter(report__in=waiting.values("report"), value__isnull=False)
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
