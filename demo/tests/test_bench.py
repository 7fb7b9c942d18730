"""The synthetic data behind `make bench`, and the floor statements it is timed against."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.floors import Floors
from common.errors import ServiceError
from dashboards import selectors
from demo.bench import bench_data_generate
from orgs.models import Unit
from plans.models import Allocation, AllocationRow, AllocationTable, Indicator, Plan
from reporting.as_of import cutoff
from reporting.models import Obligation, OfficialValue, ProgressValue, Report

MID_YEAR, AS_OF, YEAR_END = dt.date(2022, 7, 20), dt.date(2022, 9, 30), dt.date(2023, 1, 31)


@pytest.fixture
def bench(db):
    return bench_data_generate(units=12).plans[0]


def test_the_generator_writes_every_unit_a_share_and_a_year_of_obligations(plan_2022):
    demo_units = Unit.objects.count()
    plan = bench_data_generate(units=3).plans[0]

    assert plan.slug == "bench-2022"
    assert Unit.objects.count() == demo_units + 4  # bench-0000 (the issuer) and three units
    assert sorted(plan.units.values_list("code", flat=True)) == [
        "bench-0000",
        "bench-0001",
        "bench-0002",
        "bench-0003",
    ]
    assert plan.programmes.count() == 14
    assert Indicator.objects.filter(plan=plan).count() == 45
    assert AllocationTable.objects.filter(plan=plan).count() == 7
    assert AllocationRow.objects.filter(table__plan=plan).count() == 7 * 3
    assert Allocation.objects.filter(indicator__plan=plan).count() == 17 * 3
    assert Obligation.objects.filter(plan=plan).count() == 7 * 12 * 3  # 7 programmes with tables
    assert Obligation.indicators.through.objects.filter(obligation__plan=plan).count() == 612
    reports = Report.objects.filter(obligation__plan=plan)
    assert 0 < reports.count() <= 252
    values = ProgressValue.objects.filter(report__obligation__plan=plan)
    assert values.count() == sum(r.obligation.indicators.count() for r in reports)


@pytest.fixture
def perturbed(db):
    """30 units: enough for every way a report strays from a clean year to occur."""
    return bench_data_generate(units=30).plans[0]


def official(plan):
    return OfficialValue.objects.filter(indicator__plan=plan).select_related("report")


def test_late_figures_are_kept_but_not_counted_under_the_plans_late_policy(perturbed):
    assert perturbed.progress_late_policy == "exclude"
    late = official(perturbed).filter(is_late=True)
    assert late.exists() and not late.filter(counts=True).exists()
    assert not official(perturbed).filter(is_late=False, counts=False).exists()
    for figure in late.select_related("report__obligation")[:20]:
        report = figure.report
        assert timezone.localdate(report.confirmed_at) > report.obligation.due_date


def test_each_obligation_carries_its_reports_first_confirmation_as_the_workflow_writes_it(
    perturbed,
):
    reports = Report.objects.filter(obligation__plan=perturbed).select_related("obligation")
    assert reports.filter(is_late=True).exists()
    for report in reports:
        obligation = report.obligation
        assert (obligation.reported_at, obligation.reported_late) == (
            report.confirmed_at,
            report.is_late,
        )
    unreported = Obligation.objects.filter(plan=perturbed, report__isnull=True)
    assert unreported.exists() and not unreported.exclude(reported_at=None).exists()


def test_some_figures_were_withdrawn_and_approved_again_corrected(perturbed):
    withdrawn = official(perturbed).filter(withdrawn_at__isnull=False)
    again = withdrawn.filter(report__status=Report.Status.APPROVED)
    assert again.exists()
    for old in again[:20]:
        new = official(perturbed).get(
            report=old.report, indicator=old.indicator, withdrawn_at__isnull=True
        )
        assert old.approved_at < old.withdrawn_at < new.approved_at == new.report.reviewed_at
        assert new.value < old.value
        entered = ProgressValue.objects.get(report=old.report, indicator=old.indicator)
        assert entered.value == new.value
    back_with_the_unit = withdrawn.filter(report__status=Report.Status.RETURNED)
    assert back_with_the_unit.exists()
    assert (
        not official(perturbed)
        .filter(report__status=Report.Status.RETURNED, withdrawn_at__isnull=True)
        .exists()
    )


def test_reports_of_the_last_months_wait_for_review_with_their_values_pending(perturbed):
    waiting = Report.objects.filter(obligation__plan=perturbed, status=Report.Status.CONFIRMED)
    assert waiting.exists() and not OfficialValue.objects.filter(report__in=waiting).exists()
    assert ProgressValue.objects.filter(report__in=waiting, value__isnull=False).exists()
    assert {r.obligation.period_end.month for r in waiting} <= {11, 12}
    assert selectors.pending_values(perturbed)


def test_some_obligations_were_never_reported(perturbed):
    unanswered = Obligation.objects.filter(plan=perturbed, report__isnull=True)
    assert unanswered.exists()


def test_as_of_30_september_approvals_after_it_and_excluded_figures_are_left_out(perturbed):
    at = cutoff(AS_OF)
    after = official(perturbed).filter(period_end__lte=AS_OF, approved_at__gte=at)
    assert after.exists()  # September's, and some earlier months' approved slowly
    assert after.filter(period_end__lte=dt.date(2022, 8, 31)).exists()
    current = selectors.official_values(perturbed, AS_OF)
    valid = official(perturbed).filter(approved_at__lt=at, counts=True).exclude(withdrawn_at__lt=at)
    assert len(current) == valid.values("unit", "indicator").distinct().count()
    # Ignoring the as-of rule (each pair's figure of its latest period up to 30 September)
    # would show another figure for many pairs.
    ignoring = {}
    for v in official(perturbed).filter(period_end__lte=AS_OF).order_by("period_end", "pk"):
        ignoring[(v.unit_id, v.indicator_id)] = v.value
    changed = [pair for pair, value in ignoring.items() if current.get(pair) != value]
    assert len(changed) > len(ignoring) // 10


def test_figures_are_official_from_their_last_approval(perturbed):
    series = defaultdict(list)
    current = (
        official(perturbed).filter(withdrawn_at__isnull=True).select_related("report__obligation")
    )
    for v in current:
        report = v.report
        assert report.status == Report.Status.APPROVED
        assert v.approved_at == report.reviewed_at > report.confirmed_at > report.submitted_at
        series[(v.unit_id, v.indicator_id)].append((v.period_end, v.value))
    assert len(series) == 30 * 17
    for figures in series.values():
        values = [value for _, value in sorted(figures)]
        assert values == sorted(values)
    pv = ProgressValue.objects.filter(report__obligation__plan=perturbed).first()
    assert pv.flags == [] and pv.explanation == ""


def test_units_come_in_the_kinds_of_the_real_units_and_never_take_a_demo_code(plan_2022):
    bench_data_generate(units=56)
    kinds = Counter(Unit.objects.filter(code__startswith="bench-").values_list("kind", flat=True))
    assert kinds == {
        "federation": 1,
        "enterprise_union": 20,
        "industry_union": 10,
        "county": 8,
        "district": 8,
        "county_city": 4,
        "zone": 4,
        "organ_union": 2,
    }
    assert plan_2022.units.filter(code__startswith="bench-").count() == 0


def test_running_it_again_replaces_the_bench_plan_with_the_same_figures(bench):
    fields = ("unit__code", "indicator__code", "period_end", "value", "approved_at")
    fields += ("withdrawn_at", "counts")
    before = sorted(OfficialValue.objects.filter(indicator__plan=bench).values_list(*fields))
    states = sorted(
        Report.objects.filter(obligation__plan=bench).values_list(
            "obligation__unit__code", "obligation__period_end", "status", "reviewed_at"
        )
    )
    again = bench_data_generate(units=12).plans[0]
    after = sorted(OfficialValue.objects.filter(indicator__plan=again).values_list(*fields))
    assert not Plan.objects.filter(pk=bench.pk).exists()
    assert after == before
    assert states == sorted(
        Report.objects.filter(obligation__plan=again).values_list(
            "obligation__unit__code", "obligation__period_end", "status", "reviewed_at"
        )
    )


def test_it_refuses_to_replace_a_plan_that_is_not_bench_data(plan_2022):
    with pytest.raises(ServiceError, match="pingdingshan-2022"):
        bench_data_generate(units=2, slug_prefix="pingdingshan")
    assert Plan.objects.filter(slug="pingdingshan-2022").exists()
    assert not Unit.objects.filter(code__startswith="pingdingshan-").exists()


def test_the_command_generates_several_years(db, capsys):
    call_command("gen_bench_data", "--units", "2", "--years", "2", "--slug-prefix", "perf")
    assert "已生成「perf-2022、perf-2023」" in capsys.readouterr().out
    assert Obligation.objects.filter(plan__slug="perf-2023").count() == 2 * 7 * 12


# -- the floors return the page's own numbers, exactly, on the perturbed data -------------

DATES = [MID_YEAR, AS_OF, YEAR_END]


def exact(value) -> Decimal | None:
    """A floor's number as a Decimal: PostgreSQL returns numerics as Decimals and SQLite whole
    numbers as ints; a float (SQLite's stored non-integral value) is taken as printed."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@pytest.mark.parametrize("as_of", DATES)
def test_the_overview_floor_returns_the_overviews_totals(perturbed, as_of):
    overview = selectors.city_overview(plan=perturbed, as_of=as_of)
    rows = Floors(plan=perturbed, as_of=as_of).overview()
    trend, achieved, pending, target = defaultdict(list), {}, {}, {}
    for part, _pos, _unit, indicator, day, x1, x2, x3, *_ in rows:
        if part == "period":
            day = dt.date.fromisoformat(day) if isinstance(day, str) else day  # SQLite: text
            trend[indicator].append((day.strftime("%m-%d"), float(exact(x1))))
        elif part == "achieved":
            achieved[indicator] = (exact(x1), x2)
        elif part == "pending":
            pending[indicator] = exact(x1)
        elif part == "target":
            target[indicator] = (exact(x1), exact(x3), bool(x2))
    assert pending, "figures waiting for review"
    for row in overview.rows:
        pk = row.indicator.pk
        assert (row.achieved, row.units_reporting) == achieved.get(pk, (0, 0))
        assert row.pending == pending.get(pk, 0)
        value, denominator, tracked = target[pk]
        assert row.target == (value / denominator if value is not None else None)
        assert row.tracked == tracked
        assert row.trend == trend.get(pk, [])


@pytest.mark.parametrize("as_of", DATES)
def test_the_overview_pages_floor_adds_the_early_warnings_it_lists(perturbed, as_of):
    floors = Floors(plan=perturbed, as_of=as_of)
    rows = floors.overview_page()
    assert [r for r in rows if r[0] != "warning"] == floors.overview()
    warnings = selectors.PlanFigures(perturbed, as_of).warnings
    lagging = [r for r in rows if r[0] == "warning"]
    assert sorted((r[2], r[3]) for r in lagging) == sorted(
        (w.unit.pk, i.pk) for w in warnings for i, _done, _elapsed in w.lagging
    )
    assert {r[2]: r[7] for r in lagging} == {w.unit.pk: len(w.lagging) for w in warnings}
    if as_of != MID_YEAR:
        assert warnings


@pytest.mark.parametrize("as_of", DATES)
def test_the_overview_judges_its_shares_on_the_figures_it_read_as_a_ranking_looks_them_up(
    perturbed, as_of
):
    page = selectors.PlanFigures(perturbed, as_of)
    # The overview page reads the plan's figures first, then judges the shares on them.
    assert page.overview.rows
    assert "official" in page.__dict__
    alone = selectors.PlanFigures(perturbed, as_of)

    def share(s):
        return s.unit_id, s.indicator_id

    assert sorted(page.progress, key=share) == sorted(alone.progress, key=share)
    assert [(w.unit.pk, w.lagging) for w in page.warnings] == [
        (w.unit.pk, w.lagging) for w in alone.warnings
    ]


@pytest.mark.parametrize("as_of", DATES)
def test_the_ranking_floor_returns_the_rankings_rows(perturbed, as_of):
    ranking = selectors.unit_ranking(plan=perturbed, as_of=as_of)
    rows = Floors(plan=perturbed, as_of=as_of).ranking()
    assert [
        (
            pos,
            unit,
            exact(score) / 10 if score is not None else None,
            targets,
            behind,
            expected,
            received,
            on_time,
        )
        for _part, pos, unit, _i, _day, score, targets, behind, expected, received, on_time in rows
    ] == [
        (
            r.rank,
            r.unit.pk,
            r.score,
            r.targets,
            r.behind,
            r.timeliness.expected,
            r.timeliness.received,
            r.timeliness.on_time,
        )
        for r in ranking
    ]
    assert any(r.behind for r in ranking)
    assert any(r.timeliness.received < r.timeliness.expected for r in ranking)


@pytest.mark.parametrize("as_of", DATES)
def test_the_matrix_floor_returns_every_cell_of_the_matrix(perturbed, as_of):
    matrix = selectors.programme_matrix(plan=perturbed, number=3, as_of=as_of)
    expected = [
        (unit.pk, indicator.pk, cell.allocation, cell.achieved, cell.status)
        for unit, cells in matrix.rows
        for indicator, cell in zip(matrix.indicators, cells, strict=True)
        if cell.allocation is not None or cell.achieved is not None
    ]
    rows = Floors(plan=perturbed, as_of=as_of).matrix(3)
    assert [(u, i, exact(s), exact(a), status) for u, i, s, a, _done, status in rows] == expected
    for _unit, cells in matrix.rows:
        for cell in cells:
            if cell.allocation:  # the page's completion is the two numbers the floor returns
                assert cell.completion == (cell.achieved or 0) / cell.allocation
    if as_of != MID_YEAR:
        assert {status for *_, status in rows} >= {"on_track", "behind", "far_behind"}


def test_the_matrix_floor_judges_a_completion_on_the_margin_as_the_page_does(perturbed):
    """1.0 − 0.7 > 0.30 in floating point: a share 70% done when the whole year has passed
    trails by exactly the 严重滞后 margin, which is 滞后, not 严重滞后."""
    unit = perturbed.units.get(code="bench-0001")
    indicator = selectors.programme_matrix(plan=perturbed, number=3, as_of=YEAR_END).indicators[0]
    share = Allocation.objects.get(indicator=indicator, unit=unit)
    share.value = Decimal(10)
    share.save(update_fields=["value"])
    OfficialValue.objects.filter(indicator=indicator, unit=unit).update(
        value=Decimal(7), counts=True, withdrawn_at=None
    )
    matrix = selectors.programme_matrix(plan=perturbed, number=3, as_of=YEAR_END)
    [cell] = [cells[0] for u, cells in matrix.rows if u.pk == unit.pk]
    assert (cell.completion, cell.status) == (Decimal("0.7"), "behind")
    [row] = [
        r
        for r in Floors(plan=perturbed, as_of=YEAR_END).matrix(3)
        if (r[0], r[1]) == (unit.pk, indicator.pk)
    ]
    assert row[5] == "behind"


def test_the_bulletin_floor_holds_the_overview_the_ranking_and_the_warnings(perturbed):
    rows = Floors(plan=perturbed, as_of=AS_OF).bulletin()
    warnings = selectors.early_warnings(plan=perturbed, as_of=AS_OF)
    assert warnings
    lagging = sorted((r[2], r[3]) for r in rows if r[0] == "warning")
    assert lagging == sorted((w.unit.pk, i.pk) for w in warnings for i, _done, _el in w.lagging)
    assert [r[2] for r in rows if r[0] == "warning" and r[1] == 1] == [warnings[0].unit.pk]
    ranks = [r for r in rows if r[0] == "rank"]
    assert len(ranks) == len(selectors.unit_ranking(plan=perturbed, as_of=AS_OF)) == 30
    # The overview's totals, not its trend: the bulletin shows none.
    assert {r[0] for r in rows} == {"achieved", "pending", "target", "rank", "warning"}
    achieved = {r[3]: exact(r[5]) for r in rows if r[0] == "achieved"}
    overview = selectors.PlanFigures(perturbed, AS_OF, trend=False).overview
    for row in overview.rows:
        assert row.achieved == achieved.get(row.indicator.pk, 0)
