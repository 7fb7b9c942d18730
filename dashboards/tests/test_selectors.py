"""Dashboard figures on a small data set computed by hand: 汝州市 and 郏县, 专案3, 2022."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from dashboards import selectors
from orgs.tests.factories import head_of
from reporting import services
from reporting.models import Obligation
from reporting.services import ValueInput

CRAFTSMEN = "各级工会选树各类工匠人才"


def approve(obligation, values, *, reporter, head, staff, confirm_on, approve_on):
    """Report, confirm on `confirm_on` (business date) and approve at `approve_on` (clock)."""
    report = services.report_for(obligation=obligation)
    indicators = obligation.indicators.order_by("order")
    report = services.report_save(
        report=report,
        actor=reporter,
        version=report.version,
        note="",
        values=[ValueInput(i.pk, str(v)) for i, v in zip(indicators, values, strict=True)],
    )
    report = services.report_submit(report=report, actor=reporter, version=report.version)
    # The business date is the demo/training clock: confirmed on one day, approved on another.
    with override_settings(UNIONPLAN_TODAY=str(confirm_on)):
        report = services.report_confirm(report=report, actor=head, version=report.version)
    with (
        time_machine.travel(
            timezone.make_aware(dt.datetime.combine(approve_on, dt.time(10))), tick=False
        ),
        override_settings(UNIONPLAN_TODAY=str(approve_on)),
    ):
        return services.report_approve(report=report, reviewer=staff, version=report.version)


def obligation(code, month):
    end = {5: "2022-05-31", 6: "2022-06-30"}[month]
    return Obligation.objects.get(
        unit__code=code, programme__number=3, kind="progress", period_end=end
    )


@pytest.fixture
def data(plan_2022, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff):
    jiaxian_head = head_of("jiaxian", username="jiaxian-head-test")
    # 汝州市 shares: 10, 2, 80, 300, 100; 郏县 the same.
    approve(
        obligation("ruzhou", 5),
        (4, 1, 30, 100, 40),
        reporter=ruzhou_reporter,
        head=ruzhou_head,
        staff=labour_staff,
        confirm_on=dt.date(2022, 6, 2),
        approve_on=dt.date(2022, 6, 3),
    )
    approve(
        obligation("ruzhou", 6),
        (6, 1, 50, 150, 60),
        reporter=ruzhou_reporter,
        head=ruzhou_head,
        staff=labour_staff,
        confirm_on=dt.date(2022, 7, 4),
        approve_on=dt.date(2022, 7, 6),
    )
    # 郏县 is late for May (due 6.6, confirmed 6.10) and far ahead on one target only.
    approve(
        obligation("jiaxian", 5),
        (30, 0, 0, 0, 0),
        reporter=jiaxian_reporter,
        head=jiaxian_head,
        staff=labour_staff,
        confirm_on=dt.date(2022, 6, 10),
        approve_on=dt.date(2022, 6, 12),
    )
    return plan_2022


def row(overview, name):
    return next(r for r in overview.rows if r.indicator.name == name)


def test_the_city_total_is_each_units_latest_approved_cumulative_value(data):
    overview = selectors.city_overview(plan=data, as_of=dt.date(2022, 7, 10))
    craftsmen = row(overview, CRAFTSMEN)
    assert craftsmen.achieved == 6 + 30  # 汝州市's June (not May + June), 郏县's May
    assert craftsmen.target == 125
    assert craftsmen.completion == D(36) / D(125)
    assert craftsmen.elapsed == D(101) / D(275)  # 2022-04-01 .. 07-10 of 04-01 .. 12-31
    assert craftsmen.projection == (D(36) / (D(101) / D(275))).quantize(D(1))
    assert craftsmen.status == "on_track"  # 28.8% done against 36.7% of the time: 7.9 points
    assert (
        selectors.city_overview(plan=data, as_of=dt.date(2022, 8, 31))
        .rows[overview.rows.index(craftsmen)]
        .status
        == "behind"
    )  # against 55.3%: 26.5 points


def test_a_value_approved_after_the_as_of_date_is_not_counted(data):
    before_june = selectors.city_overview(plan=data, as_of=dt.date(2022, 7, 5))
    assert row(before_june, CRAFTSMEN).achieved == 4 + 30  # June approved on 7.6
    before_anything = selectors.city_overview(plan=data, as_of=dt.date(2022, 6, 2))
    assert row(before_anything, CRAFTSMEN).achieved == 0


def test_reopening_later_does_not_change_an_earlier_as_of_view(data, labour_staff):
    report = obligation("ruzhou", 6).report
    services.report_reopen(
        report=report, reviewer=labour_staff, version=report.version, reason="口径调整"
    )
    as_at_july = selectors.city_overview(plan=data, as_of=dt.date(2022, 7, 10))
    assert row(as_at_july, CRAFTSMEN).achieved == 6 + 30
    today = selectors.city_overview(plan=data, as_of=timezone.localdate())
    assert row(today, CRAFTSMEN).achieved == 4 + 30


def test_the_matrix_shows_each_units_share_and_achievement(data):
    matrix = selectors.programme_matrix(plan=data, number=3, as_of=dt.date(2022, 7, 10))
    cells = {unit.code: cells for unit, cells in matrix.rows}
    ruzhou_craftsmen = cells["ruzhou"][0]
    assert (ruzhou_craftsmen.allocation, ruzhou_craftsmen.achieved) == (10, 6)
    assert ruzhou_craftsmen.completion == D("0.6")
    assert cells["jiaxian"][0].status == "done"


def test_ranking_caps_over_achievement_and_keeps_timeliness_apart(data):
    ranking = selectors.unit_ranking(plan=data, as_of=dt.date(2022, 7, 10), programme=3)
    by_code = {r.unit.code: r for r in ranking}
    # 汝州市: 6/10, 1/2, 50/80, 150/300, 60/100 → mean 0.565; 郏县: 300% capped to 100% → 0.2
    assert by_code["ruzhou"].score == D("56.5")
    assert by_code["jiaxian"].score == D("20.0")
    assert ranking.index(by_code["ruzhou"]) < ranking.index(by_code["jiaxian"])
    assert (by_code["ruzhou"].timeliness.on_time, by_code["ruzhou"].timeliness.expected) == (2, 3)
    assert (by_code["jiaxian"].timeliness.received, by_code["jiaxian"].timeliness.on_time) == (1, 0)


def test_timeliness_counts_on_time_late_and_missing(data):
    timeliness = selectors.timeliness_by_unit(plan=data, as_of=dt.date(2022, 7, 10), programme=3)
    ruzhou = timeliness[obligation("ruzhou", 5).unit_id]
    # April, May, June progress were due by 7.10; April was never reported.
    assert (ruzhou.expected, ruzhou.received, ruzhou.on_time, ruzhou.missing) == (3, 2, 2, 1)
    assert ruzhou.completeness == D(2) / D(3)
    jiaxian = timeliness[obligation("jiaxian", 5).unit_id]
    assert (jiaxian.late, jiaxian.missing) == (1, 2)


def test_early_warning_lists_units_behind_with_the_indicators_behind(data):
    warnings = selectors.early_warnings(plan=data, as_of=dt.date(2022, 7, 10))
    jiaxian = next(w for w in warnings if w.unit.code == "jiaxian")
    names = [indicator.name for indicator, _done, _elapsed in jiaxian.lagging]
    assert "新建劳模和工匠人才创新工作室" in names and CRAFTSMEN not in names


def test_a_departments_warnings_cover_its_own_programmes_only(
    data, labour_staff, organisation_staff
):
    as_of = dt.date(2022, 7, 10)
    labour = selectors.early_warnings(
        plan=data, as_of=as_of, department_id=labour_staff.department_id
    )
    assert any(w.unit.code == "jiaxian" for w in labour)  # 专案3 is 劳动和经济工作部's
    organisation = selectors.early_warnings(
        plan=data, as_of=as_of, department_id=organisation_staff.department_id
    )
    programmes = {i.programme.number for w in organisation for i, _, _ in w.lagging}
    assert programmes <= {4, 5}
