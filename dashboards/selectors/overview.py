"""The city overview: per programme and indicator, where the city stands on a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Sum

from dashboards import metrics
from dashboards.selectors.official import (
    ZERO,
    Official,
    city_targets,
    pending_values,
)
from plans.models import Indicator, Plan, Programme
from reporting.as_of import valid_on
from reporting.models import CityFigure, Obligation, OfficialValue


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    achieved: Decimal
    pending: Decimal
    completion: Decimal | None
    elapsed: Decimal
    status: str
    projection: Decimal | None
    trend: list[tuple[str, float]] = field(default_factory=list)
    units_reporting: int = 0
    # False when no unit reports on it and the federation has entered no figure of its own
    # (市总统计) yet: no status is judged.
    tracked: bool = True
    # True when no unit reports on it: the federation counts it (its figures: 市总统计).
    city_counted: bool = False

    @property
    def status_label(self) -> str:
        return metrics.STATUS_LABELS[self.status]


@dataclass
class Overview:
    plan: Plan
    as_of: dt.date
    programmes: list[tuple[Programme, list[IndicatorRow]]]

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for _, rows in self.programmes for row in rows]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def overview_of(
    *,
    plan: Plan,
    as_of: dt.date,
    official: Official,
    trend: dict[int, list[tuple[str, float]]],
) -> Overview:
    """Per programme and indicator, where the city stands: `official` is `official_values`,
    `trend` each indicator's series (`trend_of`; the bulletin shows none)."""
    achieved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    reporting: dict[int, int] = defaultdict(int)
    for (_unit, indicator_id), value in official.items():
        achieved[indicator_id] += value
        reporting[indicator_id] += 1
    pending = pending_values(plan)
    targets = city_targets(plan)
    # Units report an indicator either as progress figures or as rows of a form it is
    # counted from (records.figures); the federation counts the others itself and its
    # department enters them (市总统计, reporting.CityFigure). Any of these: completion judged.
    # The indicators some obligation asks for: EXISTS in WHERE is one probe of the links'
    # indicator index per indicator on both databases. In the select list PostgreSQL hashed
    # all 200,000 links (20 ms at 1,000 units); as IN (SELECT …), SQLite scanned them.
    links = Obligation.indicators.through.objects.filter(indicator_id=OuterRef("pk"))
    asked = Indicator.objects.filter(Exists(links), plan=plan).values_list("pk", flat=True)
    by_units = Q(pk__in=list(asked)) | Q(record_source__isnull=False)
    by_city = Q(pk__in=CityFigure.objects.values("indicator_id"))
    sources = {
        pk: (units, city)
        for pk, units, city in Indicator.objects.filter(plan=plan)
        .annotate(
            by_units=ExpressionWrapper(by_units, output_field=BooleanField()),
            by_city=ExpressionWrapper(by_city, output_field=BooleanField()),
        )
        .values_list("pk", "by_units", "by_city")
    }
    programmes = []
    margins = metrics.thresholds(plan)  # the plan file's `warnings` margins, else the settings'
    for programme in Programme.objects.filter(plan=plan).prefetch_related("indicators"):
        rows = []
        for indicator in programme.indicators.all():
            elapsed = metrics.elapsed(plan, as_of, indicator)
            units, city = sources.get(indicator.pk, (False, False))
            is_tracked = units or city
            done = (
                metrics.completion(achieved[indicator.pk], targets[indicator.pk])
                if is_tracked
                else None
            )
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    target=targets[indicator.pk],
                    achieved=achieved[indicator.pk],
                    pending=pending.get(indicator.pk, ZERO),
                    completion=done,
                    elapsed=elapsed,
                    status=metrics.status(done, elapsed, margins),
                    projection=metrics.projection(achieved[indicator.pk], elapsed)
                    if reporting[indicator.pk]
                    else None,
                    trend=trend.get(indicator.pk, []),
                    units_reporting=reporting[indicator.pk],
                    tracked=is_tracked,
                    city_counted=not units,
                )
            )
        programmes.append((programme, rows))
    return Overview(plan=plan, as_of=as_of, programmes=programmes)


def trend_of(plan: Plan, as_of: dt.date) -> dict[int, list[tuple[str, float]]]:
    """Per indicator, the city total reported for each period (official on `as_of`)."""
    # Unordered, sorted here: the totals are a few hundred, but ordered by the database they
    # were the plan's 120,000 figures sorted (on disk, on PostgreSQL) before being added up.
    rows = (
        OfficialValue.objects.filter(valid_on(as_of), indicator__plan=plan)
        .values_list("indicator_id", "period_end")
        .annotate(total=Sum("value"))
        .order_by()
    )
    series: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for indicator_id, period_end, total in sorted(rows):
        series[indicator_id].append((period_end.strftime("%m-%d"), float(total)))
    return series
