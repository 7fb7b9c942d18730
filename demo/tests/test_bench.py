"""The synthetic data behind `make bench`, and the floor statements it is timed against."""

import datetime as dt
import math
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.floors import Floors
from common.errors import ServiceError
from dashboards import selectors
from demo.bench import bench_data_generate
from orgs.models import Unit
from plans.models import Allocation, AllocationRow, AllocationTable, Indicator, Plan
from reporting.models import Obligation, OfficialValue, ProgressValue, Report

MID_YEAR, YEAR_END = dt.date(2022, 7, 20), dt.date(2023, 1, 31)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture
def bench(db):
    return bench_data_generate(units=12).plans[0]


def test_the_generator_writes_every_unit_a_share_and_a_year_of_approved_reports(plan_2022):
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
    assert Indicator.objects.filter(plan=plan).count() == 46
    assert AllocationTable.objects.filter(plan=plan).count() == 7
    assert AllocationRow.objects.filter(table__plan=plan).count() == 7 * 3
    assert Allocation.objects.filter(indicator__plan=plan).count() == 17 * 3
    assert Obligation.objects.filter(plan=plan).count() == 7 * 12 * 3  # 7 programmes with tables
    reports = Report.objects.filter(obligation__plan=plan)
    assert reports.count() == reports.filter(status=Report.Status.APPROVED).count() == 252
    assert ProgressValue.objects.filter(report__obligation__plan=plan).count() == 17 * 12 * 3
    assert OfficialValue.objects.filter(indicator__plan=plan).count() == 17 * 12 * 3
    assert Obligation.indicators.through.objects.filter(obligation__plan=plan).count() == 612


def test_figures_grow_month_by_month_and_are_official_from_their_approval(bench):
    series = defaultdict(list)
    official = OfficialValue.objects.filter(indicator__plan=bench)
    for v in official.select_related("report__obligation"):
        report = v.report
        assert v.approved_at == report.reviewed_at > report.confirmed_at > report.submitted_at
        late = timezone.localdate(report.confirmed_at) > report.obligation.due_date
        assert v.is_late == report.is_late == late
        series[(v.unit_id, v.indicator_id)].append((v.period_end, v.value))
    assert len(series) == 12 * 17
    for figures in series.values():
        values = [value for _, value in sorted(figures)]
        assert values == sorted(values) and len(values) == 12
    pv = ProgressValue.objects.filter(report__obligation__plan=bench).first()
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
    before = sorted(
        OfficialValue.objects.filter(indicator__plan=bench).values_list(
            "unit__code", "indicator__code", "period_end", "value", "approved_at"
        )
    )
    again = bench_data_generate(units=12).plans[0]
    after = sorted(
        OfficialValue.objects.filter(indicator__plan=again).values_list(
            "unit__code", "indicator__code", "period_end", "value", "approved_at"
        )
    )
    assert not Plan.objects.filter(pk=bench.pk).exists()
    assert after == before
    assert Report.objects.filter(obligation__plan=again).count() == 12 * 7 * 12


def test_it_refuses_to_replace_a_plan_that_is_not_bench_data(plan_2022):
    with pytest.raises(ServiceError, match="pingdingshan-2022"):
        bench_data_generate(units=2, slug_prefix="pingdingshan")
    assert Plan.objects.filter(slug="pingdingshan-2022").exists()
    assert not Unit.objects.filter(code__startswith="pingdingshan-").exists()


def test_the_command_generates_several_years(db, capsys):
    call_command("gen_bench_data", "--units", "2", "--years", "2", "--slug-prefix", "perf")
    assert "已生成「perf-2022、perf-2023」" in capsys.readouterr().out
    assert Obligation.objects.filter(plan__slug="perf-2023").count() == 2 * 7 * 12


# -- the floors compute what the selectors compute ----------------------------------------


@pytest.mark.parametrize("as_of", [MID_YEAR, YEAR_END])
def test_the_overview_floor_agrees_with_city_overview(bench, as_of):
    overview = selectors.city_overview(plan=bench, as_of=as_of)
    rows = Floors(plan=bench, as_of=as_of).overview()
    trend, achieved, target = defaultdict(list), {}, {}
    for part, _pos, _unit, indicator, day, x1, x2, *_ in rows:
        if part == "period":
            day = dt.date.fromisoformat(day) if isinstance(day, str) else day  # SQLite: text
            trend[indicator].append((day.strftime("%m-%d"), round(float(x1), 6)))
        elif part == "achieved":
            achieved[indicator] = (x1, x2)
        elif part == "target":
            target[indicator] = (x1, x2)
    assert {part for part, *_ in rows} <= {"period", "achieved", "target", "pending"}
    for row in overview.rows:
        pk = row.indicator.pk
        total, units = achieved.get(pk, (0, 0))
        assert close(row.achieved, total) and row.units_reporting == units
        assert close(row.target, target[pk][0]) and row.tracked == bool(target[pk][1])
        assert [(d, round(v, 6)) for d, v in row.trend] == trend.get(pk, [])


@pytest.mark.parametrize("as_of", [MID_YEAR, YEAR_END])
def test_the_ranking_floor_agrees_with_unit_ranking(bench, as_of):
    ranking = selectors.unit_ranking(plan=bench, as_of=as_of)
    rows = Floors(plan=bench, as_of=as_of).ranking()
    assert [(r[1], r[2]) for r in rows] == [(r.rank, r.unit.pk) for r in ranking]
    for floor, row in zip(rows, ranking, strict=True):
        score, targets, behind, expected, received, on_time = floor[5:]
        assert close(row.score, score)
        assert (targets, behind) == (row.targets, row.behind)
        t = row.timeliness
        assert (expected, received, on_time) == (t.expected, t.received, t.on_time)


@pytest.mark.parametrize("as_of", [MID_YEAR, YEAR_END])
def test_the_matrix_floor_agrees_with_programme_matrix(bench, as_of):
    matrix = selectors.programme_matrix(plan=bench, number=3, as_of=as_of)
    expected = [
        (unit.pk, indicator.pk, cell.allocation, cell.achieved, cell.completion, cell.status)
        for unit, cells in matrix.rows
        for indicator, cell in zip(matrix.indicators, cells, strict=True)
        if cell.allocation is not None or cell.achieved is not None
    ]
    rows = Floors(plan=bench, as_of=as_of).matrix(3)
    assert [(r[0], r[1], r[5]) for r in rows] == [(e[0], e[1], e[5]) for e in expected]
    for floor, row in zip(rows, expected, strict=True):
        assert all(close(a, b) for a, b in zip(floor[2:5], row[2:5], strict=True))


def test_the_bulletin_floor_holds_the_overview_the_ranking_and_the_warnings(bench):
    rows = Floors(plan=bench, as_of=MID_YEAR).bulletin()
    warnings = selectors.early_warnings(plan=bench, as_of=MID_YEAR)
    assert warnings
    lagging = sorted((r[2], r[3]) for r in rows if r[0] == "warning")
    assert lagging == sorted((w.unit.pk, i.pk) for w in warnings for i, _done, _el in w.lagging)
    assert [r[2] for r in rows if r[0] == "warning" and r[1] == 1] == [warnings[0].unit.pk]
    ranks = [r for r in rows if r[0] == "rank"]
    assert len(ranks) == len(selectors.unit_ranking(plan=bench, as_of=MID_YEAR)) == 12
    # The overview's totals, not its trend: the bulletin shows none.
    assert {r[0] for r in rows} == {"achieved", "target", "rank", "warning"}
    achieved = {r[3]: r[5] for r in rows if r[0] == "achieved"}
    overview = selectors.PlanFigures(bench, MID_YEAR, trend=False).overview
    for row in overview.rows:
        assert close(row.achieved, achieved.get(row.indicator.pk, 0))
