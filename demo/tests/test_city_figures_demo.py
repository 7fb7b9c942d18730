"""The demo's 市总统计: figures at month-ends before the demo date, entered in the past."""

import datetime as dt

from dashboards.selectors import city_overview
from demo.accounts import demo_accounts_create
from demo.reports import demo_city_figures_create
from reporting.models import CityFigure


def test_the_demo_enters_figures_at_month_ends_before_the_demo_date(plan_2022):
    demo_accounts_create(plan=plan_2022)
    today = dt.date(2022, 7, 20)
    assert demo_city_figures_create(plan=plan_2022, today=today) > 20
    households = CityFigure.objects.filter(indicator__code="P06-households")
    assert {f.period_end for f in households} == {
        dt.date(2022, 4, 30),
        dt.date(2022, 5, 31),
        dt.date(2022, 6, 30),
    }
    assert all(f.entered_at.date() <= today and f.note for f in CityFigure.objects.all())
    assert households.filter(withdrawn_at__isnull=False).count() == 1
    assert all(f.official.unit.kind == "federation" for f in households)
    households_row = next(
        r
        for r in city_overview(plan=plan_2022, as_of=today).rows
        if r.indicator.code == "P06-households"
    )
    assert households_row.tracked and households_row.achieved > 0
    assert demo_city_figures_create(plan=plan_2022, today=today) == 0  # never twice
