"""黄牌 / 红牌 (warning level) of what a unit owes, as of a date: the one place that decides.

An item is 红牌 (`red`) once its due date has passed with nothing sent (the overdue of
`workflow.overdue`, or a form's obligation not met); 黄牌 (`yellow`) while it is due within
the plan's `due_soon_workdays` working days with nothing sent, counted on the working-day
calendar: seen on 30 September 2022, a due date of 8 October (a make-up working day after
国庆) is 1 working day away, not 8 days. Progress is judged by the dashboards
(`dashboards.metrics.progress_level`: 滞后 → yellow, 严重滞后 → red).
"""

from __future__ import annotations

import datetime as dt

from reporting import workflow
from reporting.calendar import WorkdayCalendar

YELLOW, RED, NONE = "yellow", "red", ""
LABELS = {YELLOW: "黄牌", RED: "红牌"}
DEFAULT_DUE_SOON_WORKDAYS = 3
# A due date further than this from today is never within 30 working days: the calendar of
# today's year and the next covers every yellow card.
HORIZON = dt.timedelta(days=75)


def due_soon_workdays(plan) -> int:
    """How many working days before its due date an item with nothing sent is 黄牌."""
    return int((plan.warning_levels or {}).get("due_soon_workdays", DEFAULT_DUE_SOON_WORKDAYS))


def calendar_around(today: dt.date) -> WorkdayCalendar:
    """The working days a card of `today` can depend on (two queries)."""
    return WorkdayCalendar({today.year, (today + HORIZON).year})


def level(
    *, due_date: dt.date, sent: bool, today: dt.date, calendar: WorkdayCalendar, workdays: int
) -> str:
    """The card of an item due on `due_date` as of `today`: red past it with nothing `sent`,
    yellow when at most `workdays` working days remain after today (due today: 0)."""
    if sent:
        return NONE
    if due_date < today:
        return RED
    if due_date - today > HORIZON:
        return NONE
    # At most `workdays` working days left after today: due before the next one after them.
    return YELLOW if due_date < calendar.working_day_after(today, workdays + 1) else NONE


def obligation_sent(obligation) -> bool:
    """Whether the unit has sent the obligation on: met (a form's), its report once confirmed
    to the federation (`reported_at`: a report returned since was sent, as the dashboards'
    cards and timeliness count it; the return asks for a correction, not for a report never
    sent), or its report past the unit now (`workflow.WITH_UNIT`)."""
    if obligation.met_at is not None or obligation.reported_at is not None:
        return True
    report = getattr(obligation, "report", None)
    return bool(report and report.status not in workflow.WITH_UNIT)


def obligation_level(
    obligation, *, today: dt.date, calendar: WorkdayCalendar, workdays: int | None = None
) -> str:
    """The card of one obligation as of `today` (`workdays`: its plan's, read here unless
    given; the plan should be selected with it)."""
    return level(
        due_date=obligation.due_date,
        sent=obligation_sent(obligation),
        today=today,
        calendar=calendar,
        workdays=due_soon_workdays(obligation.plan) if workdays is None else workdays,
    )
