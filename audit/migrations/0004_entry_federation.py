"""Each entry names the federation whose audit administrator reads it (`federation_id`).

The column is added as SQLite and PostgreSQL can without touching a row or the triggers of
0002/0003: nullable, no default, so both run a plain `ALTER TABLE … ADD COLUMN` (SQLite would
rebuild the table for a default or NOT NULL, and a rebuilt table has lost its triggers). For
the same reason the index is a separate operation, not `db_index`: migrated back, the index is
dropped first and the column goes by `ALTER TABLE … DROP COLUMN`, again without a rebuild.

Existing entries are not filled: the triggers refuse UPDATE, and opening them for a migration
would be the hole they close. Their federation stays null and is worked out when read
(`orgs.audit_selectors.audit_entry_list`): the actor's federation, else the federation of the
account the entry's username names, else every federation's audit administrator sees it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_no_erasing")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="federation_id",
            field=models.BigIntegerField(
                blank=True, editable=False, null=True, verbose_name="所属工会编号"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["federation_id", "at"], name="audit_entry_federation_at"),
        ),
    ]
