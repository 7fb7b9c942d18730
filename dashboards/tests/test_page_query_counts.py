"""Every dashboard page, as a browser gets it (middleware, view and template), runs as many
queries for 40 units as for 10, and the province's pages as many for a larger province as
for a smaller one (the bench data of demo/bench.py and demo/bench_province.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.bench import bench_data_generate, bench_leader
from demo.bench_province import bench_province_generate
from orgs.tests.personas import force_login_verified
from plans.models import Plan

AS_OF = "?as_of=2022-09-30"


def queries_of(plan: Plan, paths: dict[str, str], reader=None) -> dict[str, int]:
    client = Client()
    force_login_verified(client, reader or bench_leader(federation=plan.issuer))
    counts = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, name
        counts[name] = len(captured)
    return counts


def plan_pages(plan: Plan) -> dict[str, str]:
    return {
        "overview": f"/dashboards/{plan.slug}/{AS_OF}",
        "matrix": f"/dashboards/{plan.slug}/programmes/3/{AS_OF}",
        "ranking": f"/dashboards/{plan.slug}/ranking/{AS_OF}",
    }


@pytest.mark.django_db
def test_the_overview_matrix_and_ranking_run_as_many_queries_for_40_units_as_for_10():
    small = bench_data_generate(units=10).plans[0]
    small_counts = queries_of(small, plan_pages(small))
    large = bench_data_generate(units=40).plans[0]
    assert queries_of(large, plan_pages(large)) == small_counts


def province_pages(**shape) -> dict[str, int]:
    """The province's overview and matrix, a city's overview and matrix, and the drill-down
    from province to county, all read by the province's leader."""
    data = bench_province_generate(**shape)
    province = data.plans[0]
    city = Plan.objects.filter(parent=province).order_by("slug").first()
    county = Plan.objects.filter(parent=city).order_by("slug").first()
    leader = bench_leader(federation=province.issuer)
    return queries_of(
        province,
        {
            "province overview": f"/dashboards/{province.slug}/{AS_OF}",
            "province matrix": f"/dashboards/{province.slug}/programmes/3/{AS_OF}",
            "city overview": f"/dashboards/{city.slug}/{AS_OF}",
            "city matrix": f"/dashboards/{city.slug}/programmes/3/{AS_OF}",
            "county overview (drill-down)": f"/dashboards/{county.slug}/{AS_OF}",
        },
        leader,
    )


@pytest.mark.django_db
def test_the_province_pages_and_the_drill_down_run_as_many_queries_for_more_cities_and_units():
    small = province_pages(cities=2, city_units=3, counties=1, county_units=3)
    large = province_pages(cities=4, city_units=8, counties=3, county_units=10)
    assert large == small
