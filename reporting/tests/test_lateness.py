"""Late (逾期报送) means first reported after the due date, reported being the unit head's first
confirmation: a report confirmed on time stays on time when the department returns it after the
deadline and it is confirmed again, on the review list and on the dashboards; one first
confirmed late stays late (docs/dashboards.md)."""

import datetime as dt
import importlib
import re
from contextlib import contextmanager

import pytest
import time_machine
from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dashboards import selectors as dashboards
from dashboards.selectors.cards import obligation_cards
from reporting import services
from reporting.models import Obligation, OfficialValue, Report
from reporting.tests.test_report_flow import saved, submitted_and_confirmed

Status = Report.Status
DUE = dt.date(2022, 7, 5)  # the June progress
WILL_BE_LATE = "现在报送将标记为逾期"
LATE_BADGE = ">逾期</span>"
MIGRATION = "reporting.migrations.0014_lateness_from_first_confirmation"
COPY_MIGRATION = "reporting.migrations.0019_obligation_reported"


@contextmanager
def on(day: str):
    """The business day and the clock on `day`, 10:00 in Shanghai."""
    moment = timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10)))
    with time_machine.travel(moment, tick=False), override_settings(UNIONPLAN_TODAY=""):
        yield


@pytest.fixture
def june(june_reform):
    assert june_reform.due_date == DUE
    return june_reform


def confirmed_on(obligation, reporter, head, day):
    with on(day):
        return submitted_and_confirmed(obligation, reporter, head)


def returned_on(report, staff, day):
    with on(day):
        return services.report_return(
            report=report, reviewer=staff, version=report.version, reason="请补充培训签到表"
        )


def confirmed_again_on(report, reporter, head, day):
    with on(day):
        report = services.report_submit(report=report, actor=reporter, version=report.version)
        return services.report_confirm(report=report, actor=head, version=report.version)


@pytest.fixture
def returned_after_the_deadline(june, ruzhou_reporter, ruzhou_head, labour_staff):
    """Confirmed by 汝州市's head on 1 July, returned by the department on 20 July."""
    report = confirmed_on(june, ruzhou_reporter, ruzhou_head, "2022-07-01")
    return returned_on(report, labour_staff, "2022-07-20")


def review_row(client, staff, obligation) -> str:
    client.force_login(staff)
    with on("2022-07-22"):
        page = client.get(reverse("reporting:review")).content.decode()
    link = reverse("reporting:report", kwargs={"pk": obligation.pk})
    row = re.search(rf'<tr>(?:(?!</tr>).)*href="{link}"(?:(?!</tr>).)*</tr>', page, re.S)
    assert row, "the report is not on the review list"
    return row[0]


def report_page(client, user, obligation, day="2022-07-20") -> str:
    client.force_login(user)
    with on(day):
        page = client.get(reverse("reporting:report", kwargs={"pk": obligation.pk}))
    return page.content.decode()


def test_a_report_confirmed_on_time_stays_on_time_when_returned_late_and_confirmed_again(
    returned_after_the_deadline, ruzhou_reporter, ruzhou_head
):
    report = confirmed_again_on(
        returned_after_the_deadline, ruzhou_reporter, ruzhou_head, "2022-07-22"
    )
    assert report.status == Status.CONFIRMED and not report.is_late
    assert timezone.localdate(report.confirmed_at) == dt.date(2022, 7, 1)


def approved_after_a_late_return(returned, reporter, head, staff, june):
    """Under 逾期未报送不予统计: confirmed again on 22 July after the late return, and
    approved that day."""
    june.late_policy = "exclude"
    june.save()
    report = confirmed_again_on(returned, reporter, head, "2022-07-22")
    with on("2022-07-22"):
        return services.report_approve(report=report, reviewer=staff, version=report.version)


def test_the_review_list_does_not_call_it_late(
    client, returned_after_the_deadline, ruzhou_reporter, ruzhou_head, labour_staff, june
):
    confirmed_again_on(returned_after_the_deadline, ruzhou_reporter, ruzhou_head, "2022-07-22")
    row = review_row(client, labour_staff, june)
    assert LATE_BADGE not in row and "2022-07-01" in row


def test_its_figures_count_under_not_counting_late_reports(
    returned_after_the_deadline, ruzhou_reporter, ruzhou_head, labour_staff, june
):
    report = approved_after_a_late_return(
        returned_after_the_deadline, ruzhou_reporter, ruzhou_head, labour_staff, june
    )
    assert report.counts_officially
    official = dashboards.official_values(june.plan, dt.date(2022, 7, 22))
    training = report.values.get(indicator__name__contains="职业技能培训")
    assert official[(june.unit_id, training.indicator_id)] == training.value


def test_the_timeliness_counts_it_on_time_from_its_first_confirmation(
    returned_after_the_deadline, ruzhou_reporter, ruzhou_head, june
):
    confirmed_again_on(returned_after_the_deadline, ruzhou_reporter, ruzhou_head, "2022-07-22")
    # As at 10 July (before the return) and 22 July (after the second confirmation) alike.
    for as_of in (dt.date(2022, 7, 10), dt.date(2022, 7, 22)):
        ruzhou = dashboards.timeliness_by_unit(plan=june.plan, as_of=as_of, programme=3)[
            june.unit_id
        ]
        assert (ruzhou.received, ruzhou.on_time, ruzhou.late) == (1, 1, 0)


def test_a_report_first_confirmed_after_the_deadline_stays_late(
    client, june, ruzhou_reporter, ruzhou_head, labour_staff
):
    report = confirmed_on(june, ruzhou_reporter, ruzhou_head, "2022-07-08")
    report = returned_on(report, labour_staff, "2022-07-20")
    report = confirmed_again_on(report, ruzhou_reporter, ruzhou_head, "2022-07-22")
    assert report.is_late
    assert LATE_BADGE in review_row(client, labour_staff, june)
    ruzhou = dashboards.timeliness_by_unit(plan=june.plan, as_of=dt.date(2022, 7, 22), programme=3)
    assert ruzhou[june.unit_id].late == 1


def test_the_obligation_keeps_its_reports_first_confirmation_for_the_dashboards(
    returned_after_the_deadline, ruzhou_reporter, ruzhou_head, june
):
    first = returned_after_the_deadline.confirmed_at
    confirmed_again_on(returned_after_the_deadline, ruzhou_reporter, ruzhou_head, "2022-07-22")
    june.refresh_from_db()
    assert june.reported_at == first and not june.reported_late


def test_the_obligation_of_a_report_first_confirmed_late_is_late(
    june, ruzhou_reporter, ruzhou_head
):
    report = confirmed_on(june, ruzhou_reporter, ruzhou_head, "2022-07-08")
    june.refresh_from_db()
    assert june.reported_at == report.confirmed_at and june.reported_late


def test_a_report_sent_stops_being_owed_on_the_cards_from_the_day_it_was_sent(
    june, ruzhou_reporter, ruzhou_head
):
    def cards(day):  # 汝州市's (黄牌, 红牌) of what it owes, as of `day`
        return obligation_cards(plan=june.plan, as_of=dt.date.fromisoformat(day)).get(
            june.unit_id, (0, 0)
        )

    before = {day: cards(day) for day in ("2022-07-03", "2022-07-06")}
    assert before["2022-07-06"][1] >= 1  # the June progress is overdue: a red card

    confirmed_on(june, ruzhou_reporter, ruzhou_head, "2022-07-04")

    assert cards("2022-07-03") == before["2022-07-03"]  # not sent yet as of then
    yellow, red = before["2022-07-06"]
    assert cards("2022-07-06") == (yellow, red - 1)


def test_the_migration_copies_each_reports_first_confirmation_to_its_obligation(
    june, ruzhou_reporter, ruzhou_head
):
    report = confirmed_on(june, ruzhou_reporter, ruzhou_head, "2022-07-08")
    Obligation.objects.filter(pk=june.pk).update(reported_at=None, reported_late=False)
    assert (
        dashboards.timeliness_by_unit(plan=june.plan, as_of=dt.date(2022, 7, 22), programme=3)[
            june.unit_id
        ].received
        == 0
    )

    importlib.import_module(COPY_MIGRATION).copy_first_confirmations(apps, None)

    june.refresh_from_db()
    assert june.reported_at == report.confirmed_at and june.reported_late
    ruzhou = dashboards.timeliness_by_unit(plan=june.plan, as_of=dt.date(2022, 7, 22), programme=3)
    assert (ruzhou[june.unit_id].received, ruzhou[june.unit_id].late) == (1, 1)


def test_a_report_submitted_on_time_but_confirmed_after_the_deadline_is_late(
    june, ruzhou_reporter, ruzhou_head
):
    # The reporter's 提交 stays inside the unit; the head's confirmation reports it.
    with on("2022-07-01"):
        report = saved(june, ruzhou_reporter, (4, 1, 30, 120, 40))
        report = services.report_submit(
            report=report, actor=ruzhou_reporter, version=report.version
        )
    with on("2022-07-08"):
        report = services.report_confirm(report=report, actor=ruzhou_head, version=report.version)
    assert report.is_late


def test_the_unit_is_warned_that_reporting_now_will_be_late(client, june, ruzhou_reporter):
    assert WILL_BE_LATE in report_page(client, ruzhou_reporter, june)


def test_department_staff_are_told_the_unit_has_not_reported_not_warned(client, june, labour_staff):
    page = report_page(client, labour_staff, june)
    assert WILL_BE_LATE not in page and "该单位尚未报送" in page


def test_a_unit_whose_report_was_on_time_is_not_warned_after_a_late_return(
    client, returned_after_the_deadline, ruzhou_reporter, june
):
    page = report_page(client, ruzhou_reporter, june)
    assert WILL_BE_LATE not in page and 'id="late-notice"' not in page
    assert "逾期报送" not in page


def test_the_migration_gives_a_report_confirmed_again_its_first_confirmations_standing(
    returned_after_the_deadline, ruzhou_reporter, ruzhou_head, labour_staff, june
):
    report = approved_after_a_late_return(
        returned_after_the_deadline, ruzhou_reporter, ruzhou_head, labour_staff, june
    )
    first = report.confirmed_at
    # As the code before it left such a report: stamped and judged by its last confirmation.
    Report.objects.filter(pk=report.pk).update(
        is_late=True, confirmed_at=first + dt.timedelta(days=21)
    )
    OfficialValue.objects.filter(report=report).update(is_late=True, counts=False)

    importlib.import_module(MIGRATION).settle(apps, None)

    report.refresh_from_db()
    assert not report.is_late and report.confirmed_at == first
    assert report.counts_officially
    assert not OfficialValue.objects.filter(report=report, counts=False).exists()
