"""Indexes for the dashboards: a plan's obligation ids from the index alone, and the reports
waiting for review by obligation (docs/benchmarks.md).

The plan's own index is replaced by (plan, id). Dropped by name rather than by altering the
field: Django's way rebuilds the obligations table on SQLite and drops and re-checks its
foreign key on PostgreSQL, which costs minutes and a lock on a province's database.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_INDEX = "reporting_obligation_plan_id_56cbf89e"  # the name Django gave the plan's index


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0017_criterion_verbose_name"),
        ("reporting", "0019_obligation_reported"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="obligation",
            index=models.Index(fields=["plan", "id"], name="obligation_plan"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="obligation",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="obligations",
                        to="plans.plan",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{OLD_INDEX}" ON "reporting_obligation" ("plan_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("status", "confirmed")),
                fields=["obligation", "id"],
                name="report_waiting",
            ),
        ),
    ]
