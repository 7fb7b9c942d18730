"""Where the plan stands on a date, from the official figures valid on that date.

Every selector runs a fixed number of queries whatever the number of units; the arithmetic
lives in `dashboards.metrics`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.shortcuts import get_object_or_404

from common import clock
from dashboards import metrics
from orgs.models import Unit
from plans.models import Allocation, AllocationColumn, Indicator, Milestone, Plan, Programme
from reporting.models import CityFigure, Obligation, OfficialValue, ProgressValue, Report

ZERO = Decimal(0)


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after `as_of` in Asia/Shanghai."""
    return clock.start_of(as_of + dt.timedelta(days=1))


def plan_window(plan: Plan, indicator: Indicator) -> tuple[dt.date, dt.date]:
    start = plan.progress_from or plan.issued_on
    return start, indicator.due_date or dt.date(plan.year, 12, 31)


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
            figures.filter(_valid_on(as_of))
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


def _official_on(as_of: dt.date) -> Q:
    """Official at the end of `as_of` (docs/dashboards.md, the as-of rule): official from
    before that day's end and not withdrawn by then, whatever the period it reports on. The
    period only orders a unit's figures; no figure is official before its period begins (a
    report cannot be filled in earlier; records.figures makes a month official from its
    first day)."""
    at = cutoff(as_of)
    return Q(approved_at__lt=at) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=at))


def _valid_on(as_of: dt.date) -> Q:
    """Counted as at `as_of`: official then, and not a late figure left out (不予统计)."""
    return Q(counts=True) & _official_on(as_of)


def current_value(as_of: dt.date) -> Subquery:
    """For a row with `unit_id` and `indicator_id`: its figure officially valid on `as_of`.

    One lookup on the index (indicator, unit, period_end) per row, newest period first.
    """
    return Subquery(
        OfficialValue.objects.filter(
            _valid_on(as_of), unit=OuterRef("unit_id"), indicator=OuterRef("indicator_id")
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


def _targets(plan: Plan) -> dict[int, Decimal | None]:
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


# -- city overview -------------------------------------------------------------------------


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


Official = dict[tuple[int, int], Decimal]  # what `official_values` returns


def city_overview(
    *, plan: Plan, as_of: dt.date, official: Official | None = None, with_trend: bool = True
) -> Overview:
    """Per programme and indicator, where the city stands.

    `official` is `official_values(plan, as_of)` when the caller already has it (the bulletin
    reads it once for the overview, the ranking and the warnings); without `with_trend` the
    rows carry no trend (one pass over every valid figure that the bulletin does not show).
    """
    if official is None:
        official = official_values(plan, as_of)
    achieved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    reporting: dict[int, int] = defaultdict(int)
    for (_unit, indicator_id), value in official.items():
        achieved[indicator_id] += value
        reporting[indicator_id] += 1
    pending = pending_values(plan)
    targets = _targets(plan)
    trend = _trend(plan, as_of) if with_trend else {}
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
    for programme in Programme.objects.filter(plan=plan).prefetch_related("indicators"):
        rows = []
        for indicator in programme.indicators.all():
            start, end = plan_window(plan, indicator)
            elapsed = metrics.time_elapsed(start, end, as_of)
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
                    status=metrics.status(done, elapsed),
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


def _trend(plan: Plan, as_of: dt.date) -> dict[int, list[tuple[str, float]]]:
    """Per indicator, the city total reported for each period (official on `as_of`)."""
    rows = (
        OfficialValue.objects.filter(_valid_on(as_of), indicator__plan=plan)
        .values_list("indicator_id", "period_end")
        .annotate(total=Sum("value"))
        .order_by("indicator_id", "period_end")
    )
    series: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for indicator_id, period_end, total in rows:
        series[indicator_id].append((period_end.strftime("%m-%d"), float(total)))
    return series


# -- programme matrix ----------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    allocation: Decimal | None
    achieved: Decimal | None
    completion: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return metrics.STATUS_LABELS[self.status]


class UnitRef(NamedTuple):
    """What a matrix row shows of its unit: a thousand of them are read in half the time
    a thousand model instances take."""

    pk: int
    code: str
    short_name: str


@dataclass
class Matrix:
    programme: Programme
    indicators: list[Indicator]
    rows: list[tuple[UnitRef, list[Cell]]]
    elapsed: list[Decimal]


def programme_matrix(*, plan: Plan, number: int, as_of: dt.date) -> Matrix:
    programme = get_object_or_404(Programme, plan=plan, number=number)
    indicators = list(programme.indicators.order_by("order"))
    shares = {
        (u, i): v
        for u, i, v in Allocation.objects.filter(indicator__programme=programme, unit__isnull=False)
        .order_by()  # the table order joins rows and sorts: the dictionary needs none
        .values_list("unit_id", "indicator_id", "value")
    }
    achieved = official_values(plan, as_of, programme=programme)
    # The federation's own figures (市总统计) are city totals, not a unit's share: the matrix
    # lists them only where the federation holds a share itself.
    unit_ids = {u for u, _ in shares} | {u for u, _ in achieved if u != plan.issuer_id}
    units = [
        UnitRef._make(row)
        for row in Unit.objects.filter(pk__in=unit_ids)
        .order_by("order", "pk")
        .values_list("pk", "code", "short_name")
    ]
    elapsed = [metrics.time_elapsed(*plan_window(plan, i), as_of) for i in indicators]
    columns = [(i.pk, passed) for i, passed in zip(indicators, elapsed, strict=True)]
    margins, completion, status = metrics.thresholds(), metrics.completion, metrics.status
    rows = []
    for unit in units:  # 1,000 units × their indicators: nothing looked up twice per cell
        unit_id, cells = unit.pk, []
        for indicator_id, passed in columns:
            share = shares.get((unit_id, indicator_id))
            value = achieved.get((unit_id, indicator_id))
            done = completion(value, share)
            cells.append(Cell(share, value, done, status(done, passed, margins)))
        rows.append((unit, cells))
    return Matrix(programme=programme, indicators=indicators, rows=rows, elapsed=elapsed)


# -- a unit's reports behind a matrix row -------------------------------------------------


@dataclass
class PeriodReport:
    """One period a unit reports on for a programme, as the dashboards see it on `as_of`.

    `state`: "current" (its figures are the unit's latest counted ones: the matrix shows
    them), "earlier" (counted figures of an earlier period), "excluded" (approved late under
    逾期未报送不予统计), "waiting" (not official then: still to be approved, or approved after).
    `figures` are the official ones as at `as_of`, else what the report holds now.
    """

    obligation: Obligation
    state: str
    figures: list[tuple[str, Decimal | None]]

    @property
    def report(self) -> Report | None:
        return getattr(self.obligation, "report", None)


def unit_programme_reports(
    *, plan: Plan, number: int, unit: Unit, as_of: dt.date
) -> list[PeriodReport]:
    """A unit's progress reports on one programme, each with what counted as at `as_of`."""
    obligations = list(
        Obligation.objects.filter(
            plan=plan, unit=unit, programme__number=number, kind=Obligation.Kind.PROGRESS
        )
        .select_related("report")
        .prefetch_related("report__values__indicator")
        .order_by("period_end")
    )
    reports = [o.report.pk for o in obligations if hasattr(o, "report")]
    official: dict[int, list[tuple[str, Decimal, bool, int]]] = defaultdict(list)
    latest: dict[int, dt.date] = {}  # indicator id → its latest counted period
    valid = OfficialValue.objects.filter(_official_on(as_of), report__in=reports)
    for report_id, indicator_id, name, value, counts, period_end in valid.order_by(
        "indicator__order"
    ).values_list("report_id", "indicator_id", "indicator__name", "value", "counts", "period_end"):
        official[report_id].append((name, value, counts, indicator_id))
        if counts:
            latest[indicator_id] = max(latest.get(indicator_id, period_end), period_end)
    rows = []
    for o in obligations:
        report = getattr(o, "report", None)
        figures = official.get(report.pk, []) if report else []
        if not figures:
            values = report.values.all() if report else []
            rows.append(PeriodReport(o, "waiting", [(v.indicator.name, v.value) for v in values]))
            continue
        if not any(counts for _, _, counts, _ in figures):
            state = "excluded"
        elif any(latest.get(i) == o.period_end for _, _, counts, i in figures if counts):
            state = "current"
        else:
            state = "earlier"
        rows.append(PeriodReport(o, state, [(name, value) for name, value, _, _ in figures]))
    return rows


# -- ranking and timeliness ----------------------------------------------------------------


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
    """DHIS2-style completeness and timeliness of what fell due by `as_of`."""
    at = cutoff(as_of)
    received = Q(report__confirmed_at__lt=at)
    # Unordered: the obligations' default order joins units and programmes to no purpose.
    queryset = Obligation.objects.filter(plan=plan, due_date__lte=as_of).order_by()
    if programme:
        queryset = queryset.filter(programme__number=programme)
    rows = queryset.values("unit_id").annotate(
        expected=Count("id"),
        received=Count("id", filter=received),
        on_time=Count("id", filter=received & Q(report__is_late=False)),
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
    official: Official | None = None,
) -> list[ShareProgress]:
    """Every unit's share with its completion: what the ranking and the warnings judge.

    The current figures are looked up in `official` (`official_values(plan, as_of)`) when
    given, else on the index in the same query. The bulletin computes this once for both.
    """
    # Unordered: the table order (row, indicator) joins the rows and sorts 17,000 shares
    # nobody reads in that order.
    allocations = Allocation.objects.filter(indicator__plan=plan, unit__isnull=False).order_by()
    if programme is not None:
        allocations = allocations.filter(indicator__programme=programme)
    if department_id is not None:
        allocations = allocations.filter(indicator__programme__departments=department_id)
    if official is None:
        rows = allocations.annotate(achieved=current_value(as_of)).values_list(
            "unit_id", "indicator_id", "value", "achieved"
        )
    else:
        rows = (
            (u, i, share, official.get((u, i)))
            for u, i, share in allocations.values_list("unit_id", "indicator_id", "value")
        )
    completion = metrics.completion
    return [ShareProgress(u, i, share, completion(value, share)) for u, i, share, value in rows]


def _elapsed_by_indicator(plan: Plan, as_of: dt.date, indicators) -> dict[int, Decimal]:
    """Once per indicator, not once per share: 46 windows, not 17,000."""
    return {i.pk: metrics.time_elapsed(*plan_window(plan, i), as_of) for i in indicators}


@dataclass(slots=True)
class Judged:
    """Shares judged once on the as-of date, for the ranking and the warnings alike."""

    completions: dict[int, list[Decimal | None]]  # unit id → each share's completion
    behind: dict[int, int]  # unit id → shares 滞后 or 严重滞后
    lagging: dict[int, list[tuple[int, Decimal, Decimal]]]  # by more than the warning margin


def judge_shares(
    *, plan: Plan, as_of: dt.date, progress: list[ShareProgress], margin: Decimal | None = None
) -> Judged:
    """Per unit: its completions, how many shares are behind, and which trail the time
    elapsed by more than `margin` (default: the 滞后 margin), each share looked at once."""
    margins = metrics.thresholds()
    margin = margins[0] if margin is None else margin
    # `metrics.status` says 滞后 or 严重滞后 exactly when completion is below 1 and trails
    # the elapsed time by more than the smaller margin: judged inline, not in 17,000 calls.
    low = min(margins)
    elapsed = _elapsed_by_indicator(plan, as_of, Indicator.objects.filter(plan=plan))
    completions: dict[int, list[Decimal | None]] = defaultdict(list)
    behind: dict[int, int] = defaultdict(int)
    lagging: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for p in progress:
        done = p.completion
        completions[p.unit_id].append(done)
        if done is None:
            continue
        passed = elapsed[p.indicator_id]
        gap = passed - done
        if gap > low and done < 1:
            behind[p.unit_id] += 1
        if gap > margin:
            lagging[p.unit_id].append((p.indicator_id, done, passed))
    return Judged(completions, behind, lagging)


def unit_ranking(
    *,
    plan: Plan,
    as_of: dt.date,
    programme: int | None = None,
    official: Official | None = None,
    timeliness: dict[int, Timeliness] | None = None,
    progress: list[ShareProgress] | None = None,
    judged: Judged | None = None,
) -> list[RankRow]:
    """Units by capped completion score; timeliness is a separate column, not mixed in.

    `official` (`official_values(plan, as_of)`), `timeliness` (`timeliness_by_unit`),
    `progress` (`share_progress`) and `judged` (`judge_shares`), each for the same plan, date
    and programme, save their work when the caller already has them.
    """
    if judged is None:
        if progress is None:
            scope = None
            if programme:
                scope = get_object_or_404(Programme, plan=plan, number=programme)
            progress = share_progress(plan=plan, as_of=as_of, programme=scope, official=official)
        judged = judge_shares(plan=plan, as_of=as_of, progress=progress)
    elif programme:
        get_object_or_404(Programme, plan=plan, number=programme)
    shares, behind = judged.completions, judged.behind
    if timeliness is None:
        timeliness = timeliness_by_unit(plan=plan, as_of=as_of, programme=programme)
    units = Unit.objects.filter(pk__in=shares).order_by("order")
    scored = sorted(
        ((metrics.capped_score(shares[u.pk]), u) for u in units),
        key=lambda pair: (-(pair[0] or Decimal(-1)), pair[1].order),
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


def early_warnings(
    *,
    plan: Plan,
    as_of: dt.date,
    margin: Decimal | None = None,
    department_id: int | None = None,
    official: Official | None = None,
    progress: list[ShareProgress] | None = None,
    judged: Judged | None = None,
    units: dict[int, Unit] | None = None,
) -> list[Warning]:
    """Units whose completion trails the time elapsed by more than `margin` on some target.

    With `department_id`, only targets of programmes that department is responsible for.
    `official` (`official_values(plan, as_of)`), `progress` (`share_progress`) or `judged`
    (`judge_shares` with the same margin), each for the same plan, date and department, save
    their work when the caller has them, and `units` (id → unit, e.g. the ranking's) the
    units' query.
    """
    if judged is None:
        if progress is None:
            progress = share_progress(
                plan=plan, as_of=as_of, department_id=department_id, official=official
            )
        judged = judge_shares(plan=plan, as_of=as_of, progress=progress, margin=margin)
    lagging = judged.lagging
    indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan).select_related("programme")}
    if units is None or not units.keys() >= lagging.keys():
        units = {u.pk: u for u in Unit.objects.filter(pk__in=lagging)}
    warnings = [
        Warning(
            units[u],
            sorted(((indicators[i], d, e) for i, d, e in items), key=lambda t: t[1] - t[2]),
        )
        for u, items in lagging.items()
    ]
    return sorted(warnings, key=lambda w: (-len(w.lagging), w.unit.order))


# -- milestones ----------------------------------------------------------------------------


@dataclass
class MilestoneState:
    milestone: Milestone
    state: str  # upcoming | running | done | due | overdue
    approved: int = 0
    expected: int = 0

    @property
    def state_label(self) -> str:
        return {
            "upcoming": "未开始",
            "running": "进行中",
            "done": "已完成",
            "due": "已到期",
            "overdue": "逾期未完成",
        }[self.state]


def milestone_states(*, plan: Plan, as_of: dt.date) -> list[MilestoneState]:
    """Each step's state on `as_of`; for documents units deliver, how many were approved."""
    at = cutoff(as_of)
    approved = Q(report__status=Report.Status.APPROVED, report__reviewed_at__lt=at)
    delivered, expected = {}, {}
    # The plan's steps first, their obligations found on the milestone index: filtered on
    # `milestone IS NOT NULL` instead, SQLite walked every obligation of the plan.
    steps = Milestone.objects.filter(programme__plan=plan).values("pk")
    for milestone_id, n, done in (
        Obligation.objects.filter(milestone__in=steps, due_date__lte=as_of)
        .order_by()
        .values("milestone_id")
        .annotate(n=Count("id"), done=Count("id", filter=approved))
        .values_list("milestone_id", "n", "done")
    ):
        expected[milestone_id], delivered[milestone_id] = n, done
    states = []
    for m in Milestone.objects.filter(programme__plan=plan).select_related("programme"):
        start, end = m.start_date or m.end_date, m.end_date
        if end is None:
            state = "running"
        elif start and as_of < start:
            state = "upcoming"
        elif as_of <= end:
            state = "running"
        elif m.pk in expected:
            state = "done" if delivered.get(m.pk, 0) >= expected[m.pk] else "overdue"
        else:
            state = "due"
        states.append(MilestoneState(m, state, delivered.get(m.pk, 0), expected.get(m.pk, 0)))
    return states
