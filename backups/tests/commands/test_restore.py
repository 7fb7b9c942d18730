import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from audit.models import AuditEntry
from audit.services import audit_record
from backups.tests.helpers import upload, uploaded
from common.errors import ServiceError
from orgs.models import Unit


def backup():
    """Back up into BACKUP_DIR; returns the new backup's manifest."""
    call_command("backup", stdout=io.StringIO())
    return sorted(settings.BACKUP_DIR.glob("unionplan-*.json"))[-1]


def restore(*args) -> str:
    out = io.StringIO()
    call_command("restore", *map(str, args), stdout=out)
    return out.getvalue()


def unit_rows():
    return list(Unit.objects.order_by("code").values())


def audit_rows():
    return list(AuditEntry.objects.order_by("id").values())


@pytest.fixture
def before(place, armed_audit_table):
    """A unit, two audit entries and two stored files, then a backup of them."""
    Unit.objects.create(
        code="backup-test", name="备份测试工会", short_name="备份测试", kind="other"
    )
    audit_record(actor=None, username="zhang", event="auth.login.failed", result="failed")
    audit_record(actor=None, username="li", event="test.event", after={"value": 1})
    upload(place.uploads, "evidence/a.pdf", b"%PDF-1.4 a")
    upload(place.uploads, "records/b.png", b"\x89PNG b")
    state = {"units": unit_rows(), "audit": audit_rows(), "files": uploaded(place.uploads)}
    return state | {"manifest": backup()}


def change_everything(place):
    Unit.objects.filter(code="backup-test").delete()
    Unit.objects.create(code="after-backup", name="备份后工会", short_name="备份后", kind="other")
    audit_record(actor=None, username="wang", event="test.event", after={"value": 2})
    (place.uploads / "evidence" / "a.pdf").unlink()
    upload(place.uploads, "records/b.png", b"\x89PNG changed")
    upload(place.uploads, "evidence/c.pdf", b"%PDF-1.4 c")


def test_a_restore_brings_back_the_rows_the_audit_log_and_the_files_as_they_were(before, place):
    change_everything(place)
    out = restore(before["manifest"], "--yes")
    assert unit_rows() == before["units"]
    assert uploaded(place.uploads) == before["files"]
    audit = audit_rows()
    assert audit[: len(before["audit"])] == before["audit"]
    assert [e["event"] for e in audit[len(before["audit"]) :]] == ["backups.backup.restored"]
    assert "已恢复数据库和上传文件（2 个）" in out
    # The restored audit table is append-only still.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(event="test.event").update(event="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(event="test.event").delete()


def test_a_restore_is_on_record_with_the_backup_it_came_from(before, place):
    restore(before["manifest"], "--yes")
    entry = AuditEntry.objects.get(event="backups.backup.restored")
    assert entry.actor is None and entry.actor_username == "manage.py"
    assert entry.after["backup"] == before["manifest"].stem
    assert entry.after["upload_files"] == 2 and entry.after["migrations_applied"] == []


def test_what_a_restore_replaced_is_backed_up_first_and_can_be_restored(before, place):
    change_everything(place)
    changed = {"units": unit_rows(), "files": uploaded(place.uploads)}
    out = restore(before["manifest"], "--yes")
    safety = AuditEntry.objects.get(event="backups.backup.restored").after["safety_backup"]
    assert f"恢复前的数据已备份为 {place.backups / safety}.json" in out
    restore(place.backups / f"{safety}.json", "--yes")
    assert unit_rows() == changed["units"]
    assert uploaded(place.uploads) == changed["files"]


def test_a_restore_without_yes_changes_nothing(before, place):
    change_everything(place)
    changed = unit_rows()
    with pytest.raises(CommandError, match="--yes"):
        restore(before["manifest"])
    assert unit_rows() == changed
    assert "evidence/c.pdf" in uploaded(place.uploads)


@pytest.mark.parametrize("part", ["database", "uploads"])
def test_a_backup_whose_file_differs_from_its_manifest_is_refused_and_nothing_changes(
    before, place, part
):
    file = place.backups / json.loads(before["manifest"].read_text())[part]["file"]
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    change_everything(place)
    changed = unit_rows()
    with pytest.raises(CommandError, match=f"{file.name} 的大小或 SHA-256 与清单不符"):
        restore(before["manifest"], "--yes")
    assert unit_rows() == changed
    assert "evidence/c.pdf" in uploaded(place.uploads)
    refused = AuditEntry.objects.get(event="backups.backup.restored")
    assert refused.result == AuditEntry.Result.FAILED and "SHA-256" in refused.reason


def test_a_restore_failing_halfway_says_where_the_data_before_it_is(before, place, monkeypatch):
    def unreadable(**kwargs):
        raise ServiceError("无法解开")

    monkeypatch.setattr("backups.services.uploads_restore", unreadable)
    with pytest.raises(CommandError, match="无法解开。恢复前的数据已备份为 .*json") as e:
        restore(before["manifest"], "--yes")
    safety = str(e.value).rsplit(" ", 1)[-1].rstrip("。")
    assert "校验通过" in restore(safety, "--check")


def test_check_verifies_a_backup_without_restoring_it(before, place):
    change_everything(place)
    changed = unit_rows()
    out = restore(before["manifest"], "--check")
    assert f"备份 {before['manifest'].stem} 校验通过" in out
    assert unit_rows() == changed


def test_any_file_of_a_backup_names_it(before, place):
    database_file = json.loads(before["manifest"].read_text())["database"]["file"]
    assert "校验通过" in restore(place.backups / database_file, "--check")


def test_a_backup_from_a_newer_program_is_refused(before, place):
    manifest = json.loads(before["manifest"].read_text())
    manifest["migrations"]["plans"] = "0999_from_the_future"
    before["manifest"].write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="较新的程序版本.*plans.0999_from_the_future"):
        restore(before["manifest"], "--yes")


def test_a_backup_of_an_older_schema_is_migrated_after_the_restore(place):
    previous = "0002_plan_progress_due_day_plan_progress_from_and_more"
    # What the backup lacks: the milestone's form column (0003) and every later migration.
    (latest,) = [name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "plans"]
    try:
        call_command("migrate", "plans", previous, verbosity=0)
        manifest = backup()
        call_command("migrate", "plans", latest, verbosity=0)
        out = restore(manifest, "--yes")
        assert "备份的数据库结构较旧，已运行" in out and "plans.0003_milestone_form_code" in out
        applied = MigrationRecorder.Migration.objects.filter(app="plans").order_by("id").last()
        assert applied.name == latest
        columns = connection.introspection.get_table_description(
            connection.cursor(), "plans_milestone"
        )
        assert "form_code" in {c.name for c in columns}
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_table_the_backup_does_not_have_is_dropped_so_migrate_can_make_it_again(before):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE made_after_the_backup (id integer)")
    restore(before["manifest"], "--yes")
    assert "made_after_the_backup" not in connection.introspection.table_names()
