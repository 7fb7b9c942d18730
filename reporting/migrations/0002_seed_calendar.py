"""Seed the working-day calendar from the chinesecalendar package (the years it knows)."""

from django.db import migrations


def seed(apps, schema_editor):
    from reporting.calendar import calendar_rows_from_library

    CalendarYear = apps.get_model("reporting", "CalendarYear")
    CalendarDay = apps.get_model("reporting", "CalendarDay")
    years, rows = calendar_rows_from_library()
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinesecalendar") for y in years], ignore_conflicts=True
    )
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, is_workday=w, name=n) for d, w, n in rows], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
