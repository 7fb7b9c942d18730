"""Working days on the Chinese calendar, read from the database.

The calendar is data (`CalendarYear`, `CalendarDay`): seeded from the chinesecalendar package
for the years it knows, and extended by an administrator (`calendar_import`) when the State
Council publishes the next year's schedule. For a year nobody has loaded, weekends are the only
rest days and callers are told the year is unknown, so the page can warn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from reporting.models import CalendarDay, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class WorkdayCalendar:
    """The exceptions for a range of years, loaded in two queries."""

    def __init__(self, years: Iterable[int]):
        wanted = sorted(set(years))
        self.known_years = set(
            CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True)
        )
        self.unknown_years = [y for y in wanted if y not in self.known_years]
        self._days: dict[dt.date, bool] = {}
        if wanted:
            # A range of dates, not date__year: the year function reads every stored day.
            span = (dt.date(wanted[0], 1, 1), dt.date(wanted[-1], 12, 31))
            days = CalendarDay.objects.filter(date__range=span).order_by()
            self._days = dict(days.values_list("date", "is_workday"))
        self._after: dict[tuple[dt.date, int], dt.date] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day in self._days:
            return self._days[day]
        return day.weekday() < 5

    def roll_forward(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next working day.

        A deadline that falls on a rest day moves to the first day after it (民法典 第二百零三条).
        """
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The `n`-th working day after `day` (n >= 1). Remembered: a page asks it of one day
        for thousands of items (reporting.warning_levels)."""
        key = (day, n)
        if key not in self._after:
            found, counted = day, 0
            while counted < n:
                found += dt.timedelta(days=1)
                counted += self.is_workday(found)
            self._after[key] = found
        return self._after[key]

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days from `start` to `end`, both included."""
        days = (end - start).days + 1
        return sum(1 for i in range(max(days, 0)) if self.is_workday(start + dt.timedelta(days=i)))


def calendar_rows_from_library() -> tuple[list[int], list[tuple[dt.date, bool, str]]]:
    """Years and exception days the chinesecalendar package knows."""
    from chinese_calendar import constants

    rows = [
        (d, False, HOLIDAY_NAMES.get(n, n))
        for d, n in constants.holidays.items()
        if d.weekday() < 5
    ]
    rows += [
        (d, True, f"{HOLIDAY_NAMES.get(n, n)}调休上班")
        for d, n in constants.workdays.items()
        if d.weekday() >= 5
    ]
    years = sorted({d.year for d in constants.holidays})
    return years, sorted(rows)
