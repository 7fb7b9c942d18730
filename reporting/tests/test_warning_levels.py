"""黄牌 / 红牌 of what a unit owes, on both sides of the threshold across 国庆 2022.

国庆 2022: 1–7 October are holidays, Saturday 8 and Sunday 9 October make-up working days. An
item due on 8 October is, seen on 30 September, 1 working day away though 8 days off.
"""

import datetime as dt

import pytest

from reporting.calendar import WorkdayCalendar
from reporting.models import Obligation
from reporting.services import report_for
from reporting.warning_levels import NONE, RED, YELLOW, level, obligation_level

D = dt.date
DUE = D(2022, 10, 8)


@pytest.fixture
def calendar(db):
    return WorkdayCalendar([2022])


@pytest.mark.parametrize(
    ("today", "workdays", "card"),
    [
        # Working days after 27 September up to 8 October: 28, 29, 30 September and 8 October.
        (D(2022, 9, 27), 3, NONE),
        (D(2022, 9, 27), 4, YELLOW),
        (D(2022, 9, 28), 3, YELLOW),
        # Across the holiday the 8 days left are 1 working day.
        (D(2022, 9, 30), 1, YELLOW),
        (D(2022, 9, 30), 0, NONE),
        (D(2022, 10, 3), 0, NONE),
        (D(2022, 10, 7), 0, NONE),
        # Due today is yellow whatever the number, the day after red.
        (DUE, 0, YELLOW),
        (D(2022, 10, 9), 3, RED),
        (D(2022, 10, 9), 30, RED),
    ],
)
def test_an_item_with_nothing_sent_is_yellow_within_the_working_days_and_red_after_its_due_date(
    calendar, today, workdays, card
):
    assert (
        level(due_date=DUE, sent=False, today=today, calendar=calendar, workdays=workdays) == card
    )


def test_an_item_sent_has_no_card_even_past_its_due_date(calendar):
    for today in (D(2022, 9, 30), D(2022, 10, 20)):
        assert level(due_date=DUE, sent=True, today=today, calendar=calendar, workdays=3) == NONE


def test_a_plans_own_workdays_decide_an_obligations_yellow_card(plan_2022, calendar):
    obligation = Obligation.objects.filter(
        plan=plan_2022, unit__code="ruzhou", kind=Obligation.Kind.PROGRESS
    ).first()
    obligation.due_date = DUE
    seen = D(2022, 9, 27)  # 4 working days before
    assert obligation_level(obligation, today=seen, calendar=calendar) == NONE  # default 3
    plan_2022.warning_levels = {"due_soon_workdays": 4}
    plan_2022.save(update_fields=["warning_levels"])
    obligation = Obligation.objects.select_related("plan").get(pk=obligation.pk)
    obligation.due_date = DUE
    assert obligation_level(obligation, today=seen, calendar=calendar) == YELLOW


def test_a_report_waiting_for_its_unit_head_keeps_its_card_and_one_sent_on_loses_it(
    plan_2022, calendar
):
    obligation = Obligation.objects.filter(
        plan=plan_2022, unit__code="ruzhou", kind=Obligation.Kind.PROGRESS
    ).first()
    obligation.due_date = DUE
    report = report_for(obligation=obligation)
    late = D(2022, 10, 10)
    for status, card in [
        (report.Status.DRAFT, RED),
        (report.Status.SUBMITTED, RED),
        (report.Status.RETURNED, RED),
        (report.Status.CONFIRMED, NONE),
        (report.Status.APPROVED, NONE),
    ]:
        report.status = status
        assert obligation_level(obligation, today=late, calendar=calendar) == card, status


def test_a_report_returned_after_it_was_sent_has_no_card_as_on_the_dashboards(plan_2022, calendar):
    obligation = Obligation.objects.filter(
        plan=plan_2022, unit__code="ruzhou", kind=Obligation.Kind.PROGRESS
    ).first()
    obligation.due_date = DUE
    report = report_for(obligation=obligation)
    report.status = report.Status.RETURNED
    obligation.reported_at = dt.datetime(2022, 7, 1, 2, tzinfo=dt.UTC)
    assert obligation_level(obligation, today=D(2022, 10, 10), calendar=calendar) == NONE


def test_every_card_of_2022_agrees_with_counting_the_working_days_left_one_by_one(calendar):
    """The card is decided from the n-th working day after today (remembered per day, as a
    page asks it of thousands of items); it must be the card of counting the days left."""
    for offset in range(0, 365, 3):
        today = D(2022, 1, 1) + dt.timedelta(days=offset)
        for ahead in range(0, 20):
            due = today + dt.timedelta(days=ahead)
            left = calendar.working_days(today + dt.timedelta(days=1), due)
            for workdays in (0, 1, 3, 5):
                expected = YELLOW if left <= workdays else NONE
                found = level(
                    due_date=due, sent=False, today=today, calendar=calendar, workdays=workdays
                )
                assert found == expected, (today, due, workdays)
