import datetime as dt

from django.core.management import call_command
from django.urls import reverse

from reporting.calendar import WorkdayCalendar
from reporting.models import CalendarYear

D = dt.date


def test_a_deadline_on_a_statutory_holiday_moves_to_the_next_working_day(db):
    calendar = WorkdayCalendar([2022])
    # 2022-04-30 is a Saturday inside the Labour Day holiday (4.30–5.4).
    assert calendar.roll_forward(D(2022, 4, 30)) == D(2022, 5, 5)
    assert calendar.roll_forward(D(2022, 10, 1)) == D(2022, 10, 8)


def test_a_make_up_working_day_on_a_weekend_keeps_its_deadline(db):
    calendar = WorkdayCalendar([2022])
    assert calendar.is_workday(D(2022, 5, 7))  # Saturday, worked in lieu
    assert calendar.roll_forward(D(2022, 5, 7)) == D(2022, 5, 7)
    assert calendar.is_workday(D(2022, 10, 9))  # Sunday, worked in lieu


def test_working_days_count_holidays_out_and_make_up_days_in(db):
    calendar = WorkdayCalendar([2022])
    # 2022-04-25 .. 2022-05-08: 10 weekdays, minus 5.2–5.4 holidays, plus Saturday 5.7.
    assert calendar.working_days(D(2022, 4, 25), D(2022, 5, 8)) == 8


def test_a_year_nobody_loaded_is_reported_and_only_weekends_rest(db):
    calendar = WorkdayCalendar([2026, 2027])
    assert calendar.unknown_years == [2027]
    assert calendar.roll_forward(D(2027, 10, 1)) == D(2027, 10, 1)  # a Friday: unknown holiday


def test_an_administrator_imports_next_years_schedule(db, tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text("2027-10-01,休,国庆节\n2027-09-26,班,国庆节调休上班\n", encoding="utf-8")
    call_command("calendar_import", "2027", str(path))
    calendar = WorkdayCalendar([2027])
    assert calendar.unknown_years == []
    assert not calendar.is_workday(D(2027, 10, 1))
    assert calendar.is_workday(D(2027, 9, 26))
    assert "已导入 2027 年：2 个调整日" in capsys.readouterr().out


def test_the_schedule_may_start_with_the_header_the_readme_shows(db, tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text("日期,休/班,名称\n2027-10-01,休,国庆节\n", encoding="utf-8-sig")
    call_command("calendar_import", "2027", str(path))
    assert not WorkdayCalendar([2027]).is_workday(D(2027, 10, 1))
    assert "已导入 2027 年：1 个调整日" in capsys.readouterr().out


def test_the_overview_warns_when_deadlines_reach_an_unknown_year(client, leader, plan_2022):
    client.force_login(leader)
    url = reverse("reporting:calendar_status", args=[plan_2022.slug])
    assert "calendar-warning" not in client.get(url).content.decode()
    CalendarYear.objects.filter(year=2023).delete()  # December's progress is due in Jan 2023
    assert "2023 年的法定节假日" in client.get(url).content.decode()
