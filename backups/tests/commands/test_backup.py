import io
import json
import re
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from audit.models import AuditEntry
from backups.manifest import file_sha256
from backups.tests.helpers import upload
from orgs.models import Unit


def backup(*args: str) -> str:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return out.getvalue()


def manifests(directory):
    return sorted(directory.glob("unionplan-*.json"))


def test_a_backup_is_a_database_copy_an_upload_archive_and_a_manifest_of_their_hashes(place):
    upload(place.uploads, "evidence/a.pdf", b"%PDF-1.4 a")
    upload(place.uploads, "records/b.png", b"\x89PNG b")
    upload(place.uploads, "records/c.png.part", b"an upload still arriving")
    backup()
    [path] = manifests(place.backups)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    name = manifest["name"]
    assert re.fullmatch(r"unionplan-\d{8}-\d{6}", name) and path.name == f"{name}.json"
    assert manifest["created_at"].endswith("+08:00")  # Beijing time, as in the name
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["file"] == f"{name}{suffix}"
    assert manifest["uploads"]["file"] == f"{name}.uploads.tar"
    assert manifest["uploads"]["files"] == {"evidence": 1, "records": 1}
    for part in ("database", "uploads"):
        file = place.backups / manifest[part]["file"]
        assert manifest[part]["sha256"] == file_sha256(file)
        assert manifest[part]["bytes"] == file.stat().st_size
    applied = MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name")
    assert manifest["migrations"] == dict(applied)
    assert manifest["rows"]["orgs_unit"] == Unit.objects.count()
    assert {p.name for p in place.backups.iterdir()} == {
        f"{name}{suffix}",
        f"{name}.uploads.tar",
        f"{name}.json",
    }


def test_backup_files_are_readable_by_their_owner_only(place):
    backup()
    assert stat.S_IMODE(place.backups.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in place.backups.iterdir()} == {0o600}


def test_a_backup_is_on_record_as_a_system_action(place):
    out = backup()
    [path] = manifests(place.backups)
    entry = AuditEntry.objects.get(event="backups.backup.created")
    assert entry.actor is None and entry.actor_username == "manage.py"
    assert entry.result == AuditEntry.Result.OK
    assert entry.after["name"] == path.stem
    assert entry.after["database"]["sha256"] == file_sha256(
        place.backups / entry.after["database"]["file"]
    )
    assert f"已备份到 {place.backups}" in out


def test_output_names_another_folder_than_the_setting(place, tmp_path):
    backup("--output", str(tmp_path / "elsewhere"))
    assert len(manifests(tmp_path / "elsewhere")) == 1
    assert not place.backups.exists()


def test_keep_removes_all_but_the_newest_backups_and_nothing_else(place):
    place.backups.mkdir()
    (place.backups / "notes.txt").write_text("not a backup")
    for _ in range(3):
        backup()
    oldest = manifests(place.backups)[0].stem
    out = backup("--keep", "3")
    assert f"已删除较早的备份 {oldest}" in out
    left = {p.name for p in place.backups.iterdir()}
    assert len(manifests(place.backups)) == 3 and "notes.txt" in left
    assert not any(name.startswith(f"{oldest}.") for name in left)
    assert len(left) == 3 * 3 + 1
    entry = AuditEntry.objects.filter(event="backups.backup.created").order_by("id").last()
    assert entry.after["pruned"] == [oldest]


def test_keep_below_one_is_refused(place):
    with pytest.raises(CommandError, match="至少为 1"):
        backup("--keep", "0")


def test_a_backup_folder_inside_the_upload_folder_is_refused(place):
    with pytest.raises(CommandError, match="上传目录之内"):
        backup("--output", str(place.uploads / "backups"))


def test_a_failed_backup_leaves_no_files_and_is_on_record_as_failed(place, monkeypatch):
    def disk_full(**kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("backups.services.uploads_archive", disk_full)
    with pytest.raises(OSError, match="No space"):
        backup()
    assert list(place.backups.iterdir()) == []
    entry = AuditEntry.objects.get(event="backups.backup.created")
    assert entry.result == AuditEntry.Result.FAILED and "No space" in entry.reason
