"""Figures the federation counts itself (市总统计) on the dashboards, as at any date."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import docx
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import exports, selectors
from dashboards.bulletin import bulletin_docx
from plans.models import Indicator
from reporting import services

CHECKUPS = "P08-checkups"  # 免费健康体检职工, target 10,000, 专案8


def at(day: dt.date):
    return time_machine.travel(
        timezone.make_aware(dt.datetime.combine(day, dt.time(10))), tick=False
    )


def enter(indicator, actor, value, *, on, period_end, version=0):
    with at(on):
        return services.city_figure_enter(
            indicator=indicator,
            actor=actor,
            period_end=period_end,
            raw_value=value,
            note="体检机构汇总",
            version=version,
        )


def row(plan, as_of, code=CHECKUPS):
    overview = selectors.city_overview(plan=plan, as_of=as_of)
    return next(r for r in overview.rows if r.indicator.code == code)


@pytest.fixture
def checkups(plan_2022):
    return Indicator.objects.get(plan=plan_2022, code=CHECKUPS)


def test_without_figures_the_indicator_is_shown_as_counted_by_the_federation(checkups):
    untracked = row(checkups.plan, dt.date(2022, 6, 10))
    assert not untracked.tracked and untracked.city_counted
    assert untracked.completion is None


def test_an_entered_figure_gives_achieved_completion_status_and_projection(checkups, labour_staff):
    enter(checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31))
    judged = row(checkups.plan, dt.date(2022, 6, 10))
    assert judged.tracked and judged.city_counted
    assert judged.achieved == D(3000)
    assert judged.completion == D("0.3")
    assert judged.status in {"on_track", "behind", "far_behind", "done"}
    assert judged.projection is not None
    assert judged.trend == [("05-31", 3000.0)]


def test_a_figure_entered_after_the_as_of_date_does_not_count_then(checkups, labour_staff):
    enter(checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31))
    before = row(checkups.plan, dt.date(2022, 6, 4))
    assert before.achieved == 0 and before.trend == []
    assert row(checkups.plan, dt.date(2022, 6, 5)).achieved == D(3000)


def test_a_correction_keeps_the_old_value_for_an_earlier_as_of(checkups, labour_staff):
    first = enter(
        checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31)
    )
    enter(
        checkups,
        labour_staff,
        "3500",
        on=dt.date(2022, 7, 5),
        period_end=dt.date(2022, 5, 31),
        version=first.version,
    )
    assert row(checkups.plan, dt.date(2022, 6, 30)).achieved == D(3000)
    assert row(checkups.plan, dt.date(2022, 7, 5)).achieved == D(3500)


def test_the_latest_date_counts_not_the_sum(checkups, labour_staff):
    enter(checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31))
    enter(checkups, labour_staff, "4200", on=dt.date(2022, 7, 5), period_end=dt.date(2022, 6, 30))
    assert row(checkups.plan, dt.date(2022, 7, 10)).achieved == D(4200)


def test_a_withdrawn_figure_stops_counting_from_its_withdrawal(checkups, labour_staff):
    figure = enter(
        checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31)
    )
    with at(dt.date(2022, 7, 5)):
        services.city_figure_withdraw(figure=figure, actor=labour_staff, version=figure.version)
    assert row(checkups.plan, dt.date(2022, 6, 30)).achieved == D(3000)
    assert row(checkups.plan, dt.date(2022, 7, 10)).achieved == 0


def test_the_ranking_and_the_matrix_do_not_list_the_federation(checkups, labour_staff):
    plan, as_of = checkups.plan, dt.date(2022, 7, 10)
    ranking_before = [r.unit.pk for r in selectors.unit_ranking(plan=plan, as_of=as_of)]
    matrix_before = selectors.programme_matrix(plan=plan, number=8, as_of=as_of)
    enter(checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31))
    ranking = selectors.unit_ranking(plan=plan, as_of=as_of)
    assert [r.unit.pk for r in ranking] == ranking_before
    assert plan.issuer_id not in {
        r.unit.pk for r in selectors.unit_ranking(plan=plan, as_of=as_of, programme=8)
    }
    matrix = selectors.programme_matrix(plan=plan, number=8, as_of=as_of)
    assert [u.pk for u, _ in matrix.rows] == [u.pk for u, _ in matrix_before.rows]
    assert plan.issuer_id not in {u.pk for u, _ in matrix.rows}


def test_city_figures_add_no_query_to_the_overview(plan_2022, labour_staff):
    as_of = dt.date(2022, 7, 10)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.city_overview(plan=plan_2022, as_of=as_of)
        return len(captured)

    without = count()
    for code in ("P08-checkups", "P08-psych-lectures"):
        indicator = Indicator.objects.get(plan=plan_2022, code=code)
        for month in (4, 5, 6):
            end = dt.date(2022, month + 1, 1) - dt.timedelta(days=1)
            enter(indicator, labour_staff, str(month), on=end, period_end=end)
    assert count() == without


def test_the_overview_links_the_responsible_department_to_the_entry_page(
    client, checkups, labour_staff, leader
):
    history = reverse(
        "reporting:city_figure_history", kwargs={"slug": checkups.plan.slug, "code": CHECKUPS}
    )
    overview = reverse("dashboards:overview", kwargs={"slug": checkups.plan.slug})
    client.force_login(labour_staff)
    assert history in client.get(overview, {"as_of": "2022-07-10"}).content.decode()
    client.force_login(leader)
    page = client.get(overview, {"as_of": "2022-07-10"}).content.decode()
    assert history not in page and "市总统计" in page


def test_the_excel_export_and_the_bulletin_say_a_status_rests_on_a_city_figure(
    checkups, labour_staff
):
    enter(checkups, labour_staff, "3000", on=dt.date(2022, 6, 5), period_end=dt.date(2022, 5, 31))
    as_of = dt.date(2022, 6, 10)
    judged = f"{row(checkups.plan, as_of).status_label}（市总统计）"
    overview = selectors.city_overview(plan=checkups.plan, as_of=as_of)
    sheet = load_workbook(BytesIO(exports.overview_xlsx(overview))).active
    cells = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "免费健康体检职工")
    assert judged in cells
    lectures = next(r for r in sheet.iter_rows(values_only=True) if r[1] and "心理健康讲座" in r[1])
    assert "市总统计" in lectures  # nothing entered yet: no status at all

    bulletin = docx.Document(BytesIO(bulletin_docx(plan=checkups.plan, as_of=as_of)))
    table_rows = [[c.text for c in r.cells] for t in bulletin.tables for r in t.rows]
    assert ["免费健康体检职工", judged] in [[r[0], r[-1]] for r in table_rows]
