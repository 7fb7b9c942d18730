import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import RETENTION_DAYS, AuditEntry
from audit.privileges import app_role_grant, audit_privileges_of
from audit.services import audit_purge, audit_record

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and TRUNCATE are PostgreSQL's"
)


@pytest.fixture
def entry(audit_append_only, leader):
    return audit_record(actor=leader, event="test.event", after={"value": 1})


def test_an_audit_entry_records_who_did_what(entry, leader):
    assert entry.actor_username == "leader-test"
    assert entry.actor_role == "leader"
    assert entry.after == {"value": 1}


def test_the_database_refuses_to_change_an_audit_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(event="tampered")
    assert AuditEntry.objects.get(pk=entry.pk).event == "test.event"


def test_the_database_refuses_to_delete_an_audit_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_purge_keeps_everything_younger_than_the_retention_period(entry):
    assert audit_purge(older_than_days=1) == 0
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def _entry_aged(days: int) -> AuditEntry:
    # The clock moved back while writing: the database refuses to change `at` afterwards.
    then = timezone.now() - dt.timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=then):
        return audit_record(actor=None, event="old.event", username="x")


def test_purge_deletes_only_entries_past_retention(entry):
    old = _entry_aged(RETENTION_DAYS + 1)
    assert audit_purge(older_than_days=RETENTION_DAYS) == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_delete_an_entry_younger_than_the_retention_period(
    audit_append_only,
):
    young = _entry_aged(RETENTION_DAYS - 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=young.pk).delete()
    # Asking the purge for less than the retention period changes nothing either.
    assert audit_purge(older_than_days=1) == 0
    assert AuditEntry.objects.filter(pk=young.pk).exists()


def test_no_session_can_switch_deleting_on(entry):
    # 0002 had such switches: a setting on PostgreSQL, a table on SQLite. Both are gone.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL unionplan.audit_purge = 'on'")
        else:
            cursor.execute("INSERT INTO audit_maintenance (enabled) VALUES (1)")
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@postgresql_only
def test_truncate_is_refused_even_to_the_owner(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def as_application_role(entry):
    """The connection acting as the application's own role, with the grants `grant_app_role`
    gives it (created and dropped with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE unionplan_app_test NOLOGIN")
    app_role_grant(role="unionplan_app_test")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE unionplan_app_test")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@postgresql_only
def test_the_application_role_may_only_read_and_add_audit_entries(as_application_role, leader):
    assert audit_privileges_of(role="unionplan_app_test") == {"SELECT", "INSERT"}
    added = audit_record(actor=leader, event="test.added")
    assert AuditEntry.objects.filter(pk=added.pk).exists()


@postgresql_only
@pytest.mark.parametrize(
    "statements",
    [
        ["TRUNCATE audit_auditentry"],
        ["DELETE FROM audit_auditentry"],
        ["SET LOCAL unionplan.audit_purge = 'on'", "DELETE FROM audit_auditentry"],
        ["UPDATE audit_auditentry SET event = 'x'"],
        ["ALTER TABLE audit_auditentry DISABLE TRIGGER ALL"],
        ["DROP TRIGGER audit_entry_no_truncate ON audit_auditentry"],
    ],
)
def test_the_application_role_cannot_erase_the_log(as_application_role, entry, statements):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@postgresql_only
def test_the_application_role_cannot_purge_even_old_entries(as_application_role):
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    old = _entry_aged(RETENTION_DAYS + 30)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE unionplan_app_test")
    with pytest.raises(DatabaseError), transaction.atomic():
        audit_purge(older_than_days=RETENTION_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEntry.objects.filter(pk=old.pk).exists()


@postgresql_only
def test_the_application_role_keeps_what_the_application_needs(as_application_role):
    def tables_without(privilege):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                "AND NOT has_table_privilege('unionplan_app_test', c.oid, %s)",
                [privilege],
            )
            return {name for (name,) in cursor.fetchall()}

    assert tables_without("SELECT") == set()
    assert tables_without("DELETE") == {"audit_auditentry", "django_migrations"}
