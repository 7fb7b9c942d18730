"""A figure is official no earlier than the first day of the period it reports on
(docs/dashboards.md, the as-of rule), now that the dashboards no longer wait for the period
to end. Figures written before are moved to that day: a form's monthly figures written ahead
for the months still to come (records.figures), and any report approved before its period
began. Figures written since (and 市总统计) already follow it."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def official_from_period_start(apps, schema_editor):
    OfficialValue = apps.get_model("reporting", "OfficialValue")
    CityFigure = apps.get_model("reporting", "CityFigure")
    Obligation = apps.get_model("reporting", "Obligation")
    # One statement per period: a dozen a year, whatever the number of figures.
    monthly = OfficialValue.objects.filter(report__isnull=True).exclude(
        pk__in=CityFigure.objects.values("official_id")
    )
    for day in monthly.order_by().values_list("period_end", flat=True).distinct():
        start = _start_of(day)
        monthly.filter(period_end=day, approved_at__lt=start).update(approved_at=start)
    starts = Obligation.objects.filter(period_start__isnull=False).order_by()
    for day in starts.values_list("period_start", flat=True).distinct():
        start = _start_of(day)
        OfficialValue.objects.filter(
            report__obligation__period_start=day, approved_at__lt=start
        ).update(approved_at=start)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0008_official_current_figure_index")]

    # Backwards: nothing to undo. The old rule waited for the period's end, so these figures
    # count under it exactly as they did.
    operations = [migrations.RunPython(official_from_period_start, migrations.RunPython.noop)]
