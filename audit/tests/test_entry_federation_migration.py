"""Migration audit 0004 adds each entry's federation without opening the log: the database
still refuses to change an entry after the column is added and after it is taken away again,
and entries written before it keep no federation (read as their actor's, orgs.audit_selectors).
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry

BEFORE = [("audit", "0003_no_erasing")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _entry_refuses_to_change(pk: int) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET event = 'tampered' WHERE id = %s", [pk])
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_the_column_comes_and_goes_and_the_log_stays_append_only(leader):
    try:
        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        old = old_apps.get_model("audit", "AuditEntry").objects.create(
            actor_id=leader.pk, actor_username=leader.username, event="test.before"
        )

        _migrate()

        assert _entry_refuses_to_change(old.pk)
        entry = AuditEntry.objects.get(pk=old.pk)
        assert (entry.event, entry.federation_id) == ("test.before", None)

        _migrate(BEFORE)
        assert _entry_refuses_to_change(old.pk)
    finally:
        _migrate()
    assert _entry_refuses_to_change(old.pk)
