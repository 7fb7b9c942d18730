"""A form's monthly figures follow the dashboards' as-of rule (docs/dashboards.md): official
from the approval, never before their month begins."""

import datetime as dt
import importlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from dashboards.selectors import city_overview, official_values
from orgs.tests.factories import head_of, reporter_of, staff_of
from plans.models import Indicator
from records.tests.test_flow_and_figures import culture_row, through
from reporting.models import Obligation, OfficialValue
from reporting.services import report_for

D = dt.date
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou"),
        "head": head_of("ruzhou"),
        "culture_staff": staff_of("宣传教育部"),
    }


def test_a_row_counts_from_the_day_it_is_approved_and_no_month_counts_before_it_begins(
    plan_2022, people, settings
):
    deliveries = Indicator.objects.get(plan=plan_2022, code="P13-five-deliveries")
    ruzhou = people["reporter"].unit
    rows = [culture_row(plan_2022, people["reporter"], "七月活动", "2022-07-08")]
    through(rows, people, settings=settings, confirm_on="2022-07-10", approve_on="2022-07-15")

    def figure(as_of):
        return official_values(plan_2022, as_of).get((ruzhou.pk, deliveries.pk))

    assert (figure(D(2022, 7, 14)), figure(D(2022, 7, 15))) == (None, Decimal(1))
    # August to December are written ahead with the same total: none shows before it begins.
    trend = next(
        r.trend
        for r in city_overview(plan=plan_2022, as_of=D(2022, 7, 20)).rows
        if r.indicator == deliveries
    )
    assert [day for day, _ in trend] == ["07-01"]
    assert figure(D(2022, 12, 31)) == Decimal(1)


def test_figures_written_under_the_old_rule_become_official_when_their_period_begins(
    plan_2022, people
):
    deliveries = Indicator.objects.get(plan=plan_2022, code="P13-five-deliveries")
    ruzhou = people["reporter"].unit
    july_15 = dt.datetime(2022, 7, 15, 10, tzinfo=SH)
    for month in (7, 8):  # a form's figures, August's written ahead
        OfficialValue.objects.create(
            unit=ruzhou,
            indicator=deliveries,
            period_end=D(2022, month, 1),
            value=1,
            approved_at=july_15,
        )
    august = Obligation.objects.get(
        unit=ruzhou, programme__number=3, kind="progress", period_end=D(2022, 8, 31)
    )
    early = OfficialValue.objects.create(  # a report approved before its month
        report=report_for(obligation=august),
        unit=ruzhou,
        indicator=august.indicators.first(),
        period_end=august.period_end,
        value=1,
        approved_at=july_15,
    )
    migration = importlib.import_module("reporting.migrations.0009_official_from_period_start")

    migration.official_from_period_start(apps, None)

    moved = dict(
        OfficialValue.objects.filter(unit=ruzhou, indicator=deliveries).values_list(
            "period_end__month", "approved_at"
        )
    )
    august_1 = dt.datetime(2022, 8, 1, tzinfo=SH)
    assert moved == {7: july_15, 8: august_1}
    early.refresh_from_db()
    assert early.approved_at == august_1
    assert official_values(plan_2022, D(2022, 7, 31))[(ruzhou.pk, deliveries.pk)] == 1
