"""The dashboards' heavy statements keep the plans that make them fast at 1,000 units
(docs/benchmarks.md): each is read from SQLite's EXPLAIN QUERY PLAN, which depends on the
statement and the indexes, not on the amount of data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors
from dashboards.selectors.cards import obligation_cards
from demo.bench import bench_data_generate

AS_OF = dt.date(2022, 9, 20)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans; PostgreSQL costs"),
]


@pytest.fixture
def bench():
    return bench_data_generate(units=10).plans[0]


def plans(run) -> list[str]:
    """The query plan of each statement `run` issues, as one text per statement."""
    with CaptureQueriesContext(connection) as captured:
        run()
    texts = []
    with connection.cursor() as cursor:
        for query in captured:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            texts.append("\n".join(row[-1] for row in cursor.fetchall()))
    return texts


def test_the_current_figures_are_read_from_the_covering_index_without_sorting(bench):
    [plan] = plans(lambda: selectors.official_values(bench, AS_OF))
    assert "COVERING INDEX official_current_figure" in plan  # no table row per lookup
    assert "TEMP B-TREE" not in plan  # grouped in the index's order


def test_pending_figures_start_from_the_plans_own_obligations(bench):
    """Not from every plan's reports waiting for review (issue 14: a province's 199 plans)."""
    [plan] = plans(lambda: selectors.pending_values(bench))
    assert "COVERING INDEX obligation_plan" in plan  # the ids alone, no table row each
    assert "reporting_report_status" not in plan
    assert "SCAN reporting_progressvalue" not in plan


def test_timeliness_reads_the_obligations_alone(bench):
    """Not their reports: joining them made the cost grow with every plan's reports."""
    [plan] = plans(lambda: selectors.timeliness_by_unit(plan=bench, as_of=AS_OF))
    assert "reporting_obligation" in plan
    assert "reporting_report" not in plan
    assert "orgs_unit" not in plan and "plans_programme" not in plan


def test_the_cards_count_unsent_items_from_the_obligations_alone(bench):
    counting = plans(lambda: obligation_cards(plan=bench, as_of=AS_OF))
    [grouped] = [p for p in counting if "reporting_obligation" in p]
    assert "reporting_report" not in grouped


def test_milestones_find_their_obligations_on_the_milestone_index(bench):
    counting = plans(lambda: selectors.milestone_states(plan=bench, as_of=AS_OF))[0]
    assert "reporting_obligation_milestone_id" in counting


def test_shares_are_read_unsorted(bench):
    [plan] = plans(lambda: selectors.share_progress(plan=bench, as_of=AS_OF))
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "plans_allocationrow" not in plan


def test_the_indicators_units_report_are_probed_on_the_links_index(bench):
    asked = next(
        p
        for p in plans(lambda: selectors.city_overview(plan=bench, as_of=AS_OF))
        if "reporting_obligation_indicators" in p
    )
    assert "SEARCH U0 USING COVERING INDEX reporting_obligation_indicators_indicator_id" in asked
    assert "SCAN" not in asked
