"""Obligations keep their report's first confirmation and its lateness.

The dashboards count what was sent by a date (timeliness, 黄牌/红牌) from the obligations
alone; joining the plan's obligations with their reports made PostgreSQL hash every report of
every plan. The copy is written by the workflow at a report's first confirmation; here it is
taken from the reports already confirmed.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_first_confirmations(apps, schema_editor):
    Obligation = apps.get_model("reporting", "Obligation")
    Report = apps.get_model("reporting", "Report")
    report = Report.objects.filter(obligation=OuterRef("pk"))
    Obligation.objects.filter(report__confirmed_at__isnull=False).update(
        reported_at=Subquery(report.values("confirmed_at")[:1]),
        reported_late=Subquery(report.values("is_late")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0018_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="reported_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="首次报送时间"),
        ),
        migrations.AddField(
            model_name="obligation",
            name="reported_late",
            field=models.BooleanField(db_default=False, default=False, verbose_name="填报逾期"),
        ),
        migrations.RunPython(copy_first_confirmations, migrations.RunPython.noop),
    ]
