"""Nobody erases the audit log through an ordinary database session.

0002 let a DELETE through when a session switched on `unionplan.audit_purge` (PostgreSQL) or
put a row into `audit_maintenance` (SQLite): any session could do either. And PostgreSQL's row
triggers never see TRUNCATE. Now:

- UPDATE is refused, as before.
- DELETE is refused for every entry younger than the retention period (180 days, 网络安全法
  Art. 21), whoever asks; there is no switch left to turn on. Older entries may go: that is the
  retention purge (`manage.py audit_purge`).
- TRUNCATE is refused by a statement trigger (PostgreSQL).
- On PostgreSQL the application's own role holds only SELECT and INSERT on the table
  (`manage.py grant_app_role`, docs/deploy.md), so it cannot delete even old entries, nor drop
  the triggers, which only the owner can; the purge runs as the owner.
"""

from django.db import migrations

# audit.models.RETENTION_DAYS when this was written; a migration keeps its own copy.
RETENTION_DAYS = 180

SQLITE = [
    "DROP TRIGGER audit_entry_no_delete",
    "DROP TABLE audit_maintenance",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN OLD.at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-{RETENTION_DAYS} days')
       BEGIN SELECT RAISE(ABORT, 'audit entries are kept {RETENTION_DAYS} days'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER audit_entry_no_delete",
    "CREATE TABLE audit_maintenance (enabled INTEGER NOT NULL)",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{RETENTION_DAYS} days' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit entries are append-only and kept {RETENTION_DAYS} days';
       END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'audit entries cannot be truncated';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry",
    "DROP FUNCTION audit_entry_no_truncate()",
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND current_setting('unionplan.audit_purge', true) = 'on' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit entries are append-only';
       END $$ LANGUAGE plpgsql""",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
