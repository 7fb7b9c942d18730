"""One `PlanFigures` for a plan and date gives the overview, ranking and warnings the pages
show one by one, judging each share and reading each figure once for all of them (as the
bulletin does)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors
from dashboards.selectors import PlanFigures
from dashboards.tests.test_exports import AS_OF, two_units_reported


@pytest.fixture
def plan(plan_2022, settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff):
    two_units_reported(settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff)
    return plan_2022


def overview_figures(overview):
    return [
        (r.indicator.pk, r.target, r.achieved, r.pending, r.completion, r.status, r.projection)
        for r in overview.rows
    ]


def ranking_figures(rows):
    return [(r.rank, r.unit.pk, r.score, r.targets, r.behind, r.timeliness) for r in rows]


def warning_figures(warnings):
    return [(w.unit.pk, [(i.pk, d, e) for i, d, e in w.lagging]) for w in warnings]


def test_one_set_of_figures_gives_what_each_page_shows_on_its_own(plan):
    figures = PlanFigures(plan, AS_OF)

    own = selectors.city_overview(plan=plan, as_of=AS_OF)
    assert overview_figures(figures.overview) == overview_figures(own)
    assert [r.trend for r in figures.overview.rows] == [r.trend for r in own.rows]

    ranking = selectors.unit_ranking(plan=plan, as_of=AS_OF)
    assert ranking_figures(figures.ranking) == ranking_figures(ranking)
    assert any(r.behind for r in ranking)

    warnings = selectors.early_warnings(plan=plan, as_of=AS_OF)
    assert warnings
    assert warning_figures(figures.warnings) == warning_figures(warnings)


def sql_of(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured]


def test_figures_already_read_are_not_read_again(plan):
    figures = PlanFigures(plan, AS_OF)
    ranking = sql_of(lambda: figures.ranking)
    assert sum("plans_allocation" in q for q in ranking) == 1  # the shares, judged once

    # The warnings judge the same shares, of the same units and indicators: nothing to read.
    assert sql_of(lambda: figures.warnings) == []
    assert figures.overview.rows
    assert sql_of(lambda: (figures.overview, figures.ranking, figures.timeliness)) == []


def test_the_overview_without_its_trend_skips_that_read_and_nothing_else(plan):
    with_trend = PlanFigures(plan, AS_OF).overview
    assert any(r.trend for r in with_trend.rows)
    queries = len(sql_of(lambda: PlanFigures(plan, AS_OF).overview))
    without = sql_of(lambda: PlanFigures(plan, AS_OF, trend=False).overview)
    assert len(without) == queries - 1
    bare = PlanFigures(plan, AS_OF, trend=False).overview
    assert all(r.trend == [] for r in bare.rows)
    assert overview_figures(bare) == overview_figures(with_trend)
