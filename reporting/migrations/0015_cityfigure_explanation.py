from django.db import migrations, models


class Migration(migrations.Migration):
    # A city figure below the latest one of an earlier date needs a reason, as a unit's
    # figure below its last approved one does (reporting.services.reports.unexplained_fall).
    dependencies = [
        ("reporting", "0014_lateness_from_first_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="cityfigure",
            name="explanation",
            field=models.CharField(blank=True, max_length=200, verbose_name="说明"),
        ),
    ]
