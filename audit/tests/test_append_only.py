import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_purge, audit_record


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


def test_purge_deletes_only_entries_past_retention(entry):
    # Entries cannot be back-dated through the ORM (no UPDATE), so move the clock instead.
    later = timezone.now() + dt.timedelta(days=181)
    with mock.patch("audit.services.timezone.now", return_value=later):
        assert audit_purge(older_than_days=180) == 1
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        audit_record(actor=None, event="again", username="x").delete()
