"""The test database empties its tables between transactional tests (DELETE on SQLite,
TRUNCATE on PostgreSQL), which the audit table refuses as in production. Tests disarm that
refusal for the session and arm it where they test it."""

import importlib

from django.db import connection

NO_ERASING = importlib.import_module("audit.migrations.0003_no_erasing")
SQLITE_DELETE_TRIGGER = NO_ERASING.SQLITE[-1]


def audit_table_arm() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            cursor.execute(SQLITE_DELETE_TRIGGER)
        else:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_truncate")


def audit_table_disarm() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate")
