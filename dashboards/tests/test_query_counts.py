"""Every dashboard selector, and the bulletin, runs as many queries for 200 units as for 10."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors
from dashboards.bulletin import bulletin_docx, bulletin_figures
from demo.bench import bench_data_generate

AS_OF = dt.date(2022, 9, 20)
SELECTORS = {
    "city_overview": lambda plan: selectors.city_overview(plan=plan, as_of=AS_OF),
    "programme_matrix": lambda plan: selectors.programme_matrix(plan=plan, number=3, as_of=AS_OF),
    "unit_ranking": lambda plan: selectors.unit_ranking(plan=plan, as_of=AS_OF),
    "unit_ranking of one programme": lambda plan: selectors.unit_ranking(
        plan=plan, as_of=AS_OF, programme=3
    ),
    "early_warnings": lambda plan: selectors.early_warnings(plan=plan, as_of=AS_OF),
    "timeliness_by_unit": lambda plan: selectors.timeliness_by_unit(plan=plan, as_of=AS_OF),
    "bulletin_figures": lambda plan: bulletin_figures(plan=plan, as_of=AS_OF),
    "bulletin_docx": lambda plan: bulletin_docx(plan=plan, as_of=AS_OF),
}


def queries(plan) -> dict[str, int]:
    counts = {}
    for name, run in SELECTORS.items():
        with CaptureQueriesContext(connection) as captured:
            result = run(plan)
        assert result, f"{name} found nothing to show"
        counts[name] = len(captured)
    return counts


@pytest.mark.django_db
def test_every_selector_runs_as_many_queries_for_200_units_as_for_10():
    small = queries(bench_data_generate(units=10).plans[0])
    large = queries(bench_data_generate(units=200).plans[0])
    assert large == small
