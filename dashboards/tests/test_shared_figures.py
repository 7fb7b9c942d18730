"""The overview, ranking and warnings given figures a caller already read (as the bulletin
does) show the same as when they read them themselves, with fewer queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors
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


def test_figures_passed_in_give_the_same_overview_ranking_and_warnings(plan):
    official = selectors.official_values(plan, AS_OF)
    timeliness = selectors.timeliness_by_unit(plan=plan, as_of=AS_OF)
    assert official and timeliness

    own = selectors.city_overview(plan=plan, as_of=AS_OF)
    given = selectors.city_overview(plan=plan, as_of=AS_OF, official=official)
    assert overview_figures(given) == overview_figures(own)
    assert [r.trend for r in given.rows] == [r.trend for r in own.rows]

    ranking = selectors.unit_ranking(plan=plan, as_of=AS_OF)
    assert ranking_figures(
        selectors.unit_ranking(plan=plan, as_of=AS_OF, official=official, timeliness=timeliness)
    ) == ranking_figures(ranking)
    assert any(r.behind for r in ranking)

    warnings = selectors.early_warnings(plan=plan, as_of=AS_OF)
    assert warnings
    assert warning_figures(
        selectors.early_warnings(plan=plan, as_of=AS_OF, official=official)
    ) == warning_figures(warnings)


def sql_of(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured]


def test_figures_passed_in_are_not_read_again(plan):
    official = selectors.official_values(plan, AS_OF)
    timeliness = selectors.timeliness_by_unit(plan=plan, as_of=AS_OF)

    own = sql_of(lambda: selectors.unit_ranking(plan=plan, as_of=AS_OF))
    given = sql_of(
        lambda: selectors.unit_ranking(
            plan=plan, as_of=AS_OF, official=official, timeliness=timeliness
        )
    )
    assert len(given) == len(own) - 1  # no timeliness query
    assert any("reporting_officialvalue" in q for q in own)
    assert not any("reporting_officialvalue" in q for q in given)
    assert not any("reporting_obligation" in q for q in given)

    warnings = sql_of(lambda: selectors.early_warnings(plan=plan, as_of=AS_OF, official=official))
    assert not any("reporting_officialvalue" in q for q in warnings)

    overview = sql_of(lambda: selectors.city_overview(plan=plan, as_of=AS_OF, official=official))
    assert len(overview) == len(sql_of(lambda: selectors.city_overview(plan=plan, as_of=AS_OF))) - 1


def test_the_overview_without_its_trend_skips_that_read_and_nothing_else(plan):
    with_trend = selectors.city_overview(plan=plan, as_of=AS_OF)
    assert any(r.trend for r in with_trend.rows)
    queries = len(sql_of(lambda: selectors.city_overview(plan=plan, as_of=AS_OF)))
    without = sql_of(lambda: selectors.city_overview(plan=plan, as_of=AS_OF, with_trend=False))
    assert len(without) == queries - 1
    bare = selectors.city_overview(plan=plan, as_of=AS_OF, with_trend=False)
    assert all(r.trend == [] for r in bare.rows)
    assert overview_figures(bare) == overview_figures(with_trend)
