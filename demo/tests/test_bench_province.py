"""The province chain behind `make bench` at province scale (`gen_bench_data --province`):
plans derived level by level, targets cascading down and approved totals reported up."""

import pytest
from django.core.management import call_command
from django.db.models import F

from common.errors import ServiceError
from demo.bench import BENCH_MARK
from demo.bench_province import bench_province_generate
from orgs.models import Unit
from plans.models import Allocation, Indicator, Plan
from reporting.models import Obligation, OfficialValue, ProgressValue, Report
from reporting.selectors import derived_figures

SHAPE = {"cities": 2, "city_units": 4, "counties": 2, "county_units": 5}


@pytest.fixture
def province(db):
    return bench_province_generate(**SHAPE)


def test_a_province_plan_over_its_cities_each_city_over_its_units_and_counties_over_unions(
    province,
):
    top, *below = province.plans
    assert top.slug == "prov-2022" and top.issuer.kind == Unit.Kind.PROVINCE
    cities = Plan.objects.filter(parent=top).order_by("slug")
    assert [p.slug for p in cities] == ["prov-c01-2022", "prov-c02-2022"]
    assert sorted(top.units.exclude(pk=top.issuer_id).values_list("kind", flat=True)) == [
        "city",
        "city",
    ]
    for city in cities:
        members = city.units.exclude(pk=city.issuer_id)
        assert members.count() == 4 and members.filter(kind=Unit.Kind.COUNTY).count() == 2
        counties = Plan.objects.filter(parent=city)
        assert counties.count() == 2
        for county in counties:
            unions = county.units.exclude(pk=county.issuer_id)
            assert unions.count() == 5 and {u.kind for u in unions} == {Unit.Kind.GRASSROOTS}
            assert {u.federation_id for u in unions} == {county.issuer_id}
    assert len(below) == 2 + 2 * 2
    assert province.counts["units"] == 1 + 2 * (1 + 4 + 2 * 5)
    assert all(p.source_sha256 == BENCH_MARK for p in province.plans)


def test_each_level_serves_its_parents_indicators_and_takes_its_share_as_target(province):
    for plan in province.plans[1:]:
        served = Indicator.objects.filter(plan=plan).select_related("serves__plan")
        assert all(i.serves.plan_id == plan.parent_id and i.serves.code == i.code for i in served)
        for indicator in served.filter(target_from_parent=True):
            share = Allocation.objects.get(indicator=indicator.serves, unit=plan.issuer)
            own = Allocation.objects.filter(indicator=indicator, unit__isnull=False)
            assert indicator.target == share.value == sum(a.value for a in own)
        assert served.filter(target_from_parent=True).count() == 17  # the table columns


def test_each_federation_reports_its_own_plans_approved_totals_upward(province):
    upward = Report.objects.filter(
        obligation__plan__in=province.plans,
        obligation__unit__issued_plans__parent_id=F("obligation__plan_id"),
    ).select_related("obligation")
    assert {r.obligation.unit.kind for r in upward} == {Unit.Kind.CITY, Unit.Kind.COUNTY}
    for report in upward:
        derived = derived_figures(obligation=report.obligation)
        for value in ProgressValue.objects.filter(report=report):
            assert value.value == derived[value.indicator_id].value


def test_reports_stray_from_a_clean_year_at_every_level_as_the_flat_benchs_do(province):
    reports = Report.objects.filter(obligation__plan__in=province.plans)
    assert set(reports.values_list("status", flat=True).distinct()) == {
        Report.Status.APPROVED,
        Report.Status.CONFIRMED,
        Report.Status.RETURNED,
    }
    assert reports.filter(obligation__plan=province.plans[0], status="confirmed").exists()
    assert Obligation.objects.filter(plan__in=province.plans, report__isnull=True).exists()
    figures = OfficialValue.objects.filter(indicator__plan__in=province.plans)
    assert figures.filter(counts=False).exists()
    assert figures.filter(withdrawn_at__isnull=False, report__status="approved").exists()


def test_running_it_again_replaces_the_chain_with_the_same_figures(province):
    fields = ("indicator__plan__slug", "unit__code", "indicator__code", "period_end", "value")
    before = sorted(
        OfficialValue.objects.filter(indicator__plan__in=province.plans).values_list(*fields)
    )
    again = bench_province_generate(**SHAPE)
    after = sorted(
        OfficialValue.objects.filter(indicator__plan__in=again.plans).values_list(*fields)
    )
    assert after == before
    assert not Plan.objects.filter(pk__in=[p.pk for p in province.plans]).exists()


def test_it_refuses_to_replace_a_plan_that_is_not_bench_data(plan_2022):
    with pytest.raises(ServiceError, match="pingdingshan-2022"):
        bench_province_generate(
            prefix="pingdingshan", cities=1, city_units=1, counties=1, county_units=1
        )
    assert Plan.objects.filter(slug="pingdingshan-2022").exists()
    assert not Unit.objects.filter(code__startswith="pingdingshan-").exists()


def test_the_command_generates_a_province(db, capsys):
    call_command(
        "gen_bench_data",
        "--province",
        "--cities",
        "1",
        "--city-units",
        "2",
        "--counties",
        "1",
        "--county-units",
        "2",
    )
    out = capsys.readouterr().out
    assert "已生成「prov-2022、prov-c01-2022、prov-c01-u01-2022」" in out and "units 6" in out
