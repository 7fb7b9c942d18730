"""Backing up and restoring the database and the uploaded files (docs/deploy.md).

Both run from the server (`manage.py backup`, `manage.py restore`), never from a page, and
each leaves an audit entry as a system action.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from backups.database import (
    database_dump,
    database_load,
    database_other_sessions,
    database_state,
)
from backups.manifest import (
    DATABASE_SUFFIXES,
    DIRECTORY_MODE,
    FILE_MODE,
    PREFIX,
    UPLOADS_SUFFIX,
    Manifest,
    artefact_of,
    manifest_read,
    manifest_verify,
    manifest_write,
)
from backups.selectors import backup_list
from backups.uploads import uploads_archive, uploads_restore
from common.errors import ServiceError
from orgs.services import COMMAND_ACTOR

logger = logging.getLogger(__name__)

EVENT_CREATED = "backups.backup.created"
EVENT_RESTORED = "backups.backup.restored"

KEEP_AT_LEAST_ONE = "--keep 至少为 1。"
INSIDE_UPLOADS = "备份目录 {directory} 在上传目录之内，备份会把自己也打包进去：请换一个目录。"
WRONG_VENDOR = "这是 {backup} 数据库的备份，当前配置的是 {current} 数据库，不能恢复到这里。"
NEWER_SCHEMA = (
    "备份来自较新的程序版本（本程序没有迁移 {migrations}）：请先把程序升级到不早于备份时的版本，"
    "再恢复。"
)
ROWS_DIFFER = "恢复后的数据与备份清单不符：{tables}。"
SAFETY_NOTE = "恢复 {name} 之前自动备份的数据"
SAFETY_KEPT = "恢复前的数据已备份为 {path}。"

T = TypeVar("T")


@dataclass(frozen=True)
class BackupResult:
    path: Path  # the manifest
    manifest: Manifest
    pruned: list[str]


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    safety_backup: Path | None
    upload_files: int
    migrations_applied: list[str]
    other_sessions: int


def backup_create(
    *, directory: Path | None = None, keep: int | None = None, note: str = ""
) -> BackupResult:
    """Copy the database and UPLOAD_ROOT into `directory` (default BACKUP_DIR) under one
    timestamped name, manifest last; with `keep`, then remove all but the newest `keep`."""
    directory = Path(directory or settings.BACKUP_DIR)
    upload_root = Path(settings.UPLOAD_ROOT)
    if keep is not None and keep < 1:
        raise ServiceError(KEEP_AT_LEAST_ONE)
    if directory.resolve().is_relative_to(upload_root.resolve()):
        raise ServiceError(INSIDE_UPLOADS.format(directory=directory))
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    created_at, name = _free_name(directory=directory)
    suffix = DATABASE_SUFFIXES.get(connection.vendor, ".db")
    database_file = directory / f"{name}{suffix}"
    uploads_file = directory / f"{name}{UPLOADS_SUFFIX}"
    written: list[Path] = []
    try:
        # The database first, then the files: a file stored meanwhile is only an extra file
        # after a restore; a row can lack its file only if the file was deleted in between.
        state = _write_new(
            database_file, written, lambda part: database_dump(db=connection, target=part)
        )
        upload_files = _write_new(
            uploads_file, written, lambda part: uploads_archive(root=upload_root, target=part)
        )
        manifest = Manifest(
            name=name,
            created_at=created_at,
            vendor=connection.vendor,
            database=artefact_of(database_file),
            uploads=artefact_of(uploads_file),
            upload_files=upload_files,
            migrations=state.migrations,
            rows=state.rows,
            note=note,
        )
        path = manifest_write(manifest=manifest, directory=directory)
    except Exception as exc:
        for partial_or_done in written:
            partial_or_done.unlink(missing_ok=True)
        _audit_failure(event=EVENT_CREATED, exc=exc)
        raise
    _fsync(directory)  # the renames too
    pruned = backup_prune(directory=directory, keep=keep) if keep else []
    with transaction.atomic():
        audit_record(
            actor=None,
            username=COMMAND_ACTOR,
            event=EVENT_CREATED,
            after={
                "name": name,
                "directory": str(directory),
                "database": asdict(manifest.database),
                "uploads": {**asdict(manifest.uploads), "files": manifest.upload_file_count},
                "rows": manifest.row_count,
                "pruned": pruned,
            },
            reason=note,
        )
    return BackupResult(path=path, manifest=manifest, pruned=pruned)


def backup_prune(*, directory: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` complete backups in `directory`; returns their names."""
    removed = []
    for path, manifest in backup_list(directory=directory)[keep:]:
        path.unlink()  # the manifest first: a backup is gone as a whole or not at all
        for artefact in (manifest.database, manifest.uploads):
            (directory / artefact.file).unlink(missing_ok=True)
        removed.append(manifest.name)
    return removed


def backup_verify(*, path: Path) -> Manifest:
    """The checks a restore makes before touching anything: the manifest reads, every file
    has its recorded SHA-256, the database is of the configured kind, and this program knows
    every migration the backup has."""
    manifest = manifest_read(path=path)
    manifest_verify(manifest=manifest, directory=path.parent)
    if manifest.vendor != connection.vendor:
        raise ServiceError(WRONG_VENDOR.format(backup=manifest.vendor, current=connection.vendor))
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}" for app, name in manifest.migrations.items() if (app, name) not in known
    ]
    if unknown:
        raise ServiceError(NEWER_SCHEMA.format(migrations="、".join(sorted(unknown))))
    return manifest


def backup_restore(*, path: Path, safety_backup: bool = True) -> RestoreResult:
    """Replace the configured database and UPLOAD_ROOT with the backup whose manifest is at
    `path`, then migrate it to this program's schema. The app must be stopped.

    Unless told not to, what is there now is backed up first (into BACKUP_DIR), so a restore
    of the wrong backup loses nothing.
    """
    path = path.resolve()
    directory = path.parent
    safety = None
    try:
        manifest = backup_verify(path=path)
        if safety_backup and "django_migrations" in connection.introspection.table_names():
            safety = backup_create(note=SAFETY_NOTE.format(name=manifest.name))
        other_sessions = database_other_sessions(db=connection)
        database_load(
            db=connection,
            source=directory / manifest.database.file,
            tables=list(manifest.rows),
        )
        restored = database_state(db=connection).rows
        differ = [
            f"{table} {restored.get(table)} ≠ {count}"
            for table, count in manifest.rows.items()
            if restored.get(table) != count
        ]
        if differ:
            raise ServiceError(ROWS_DIFFER.format(tables="；".join(differ)))
        upload_files = uploads_restore(
            archive=directory / manifest.uploads.file, root=Path(settings.UPLOAD_ROOT)
        )
        applied = _migrate()
    except Exception as exc:
        _audit_failure(event=EVENT_RESTORED, exc=exc)
        if safety is not None:
            logger.error("Restore failed; the data before it is in %s", safety.path)
            if isinstance(exc, ServiceError):
                kept = SAFETY_KEPT.format(path=safety.path)
                raise ServiceError(f"{exc.message.rstrip('。')}。{kept}") from exc
        raise
    with transaction.atomic():
        audit_record(
            actor=None,
            username=COMMAND_ACTOR,
            event=EVENT_RESTORED,
            after={
                "backup": manifest.name,
                "backup_created_at": manifest.created_at.isoformat(),
                "rows": manifest.row_count,
                "upload_files": upload_files,
                "migrations_applied": applied,
                "safety_backup": safety.manifest.name if safety else None,
            },
        )
    return RestoreResult(
        manifest=manifest,
        safety_backup=safety.path if safety else None,
        upload_files=upload_files,
        migrations_applied=applied,
        other_sessions=other_sessions,
    )


def _migrate() -> list[str]:
    """Bring a backup of an older schema up to this program's; returns what was applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    call_command("migrate", interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _free_name(*, directory: Path) -> tuple[dt.datetime, str]:
    """Now, and `unionplan-20261129-153000` in local (Beijing) time. A second backup within
    the same second waits for the next one, so that names sort as the backups were taken."""
    while True:
        now = timezone.localtime()
        name = f"{PREFIX}{now:%Y%m%d-%H%M%S}"
        if not any(directory.glob(f"{name}.*")):
            return now, name
        time.sleep(1 - now.microsecond / 1_000_000)


def _write_new(final: Path, written: list[Path], make: Callable[[Path], T]) -> T:
    """Write through `make` under a `.partial` name, then rename: a file with the final name
    is always whole."""
    partial = final.with_name(f"{final.name}.partial")
    written.append(partial)
    result = make(partial)
    os.chmod(partial, FILE_MODE)
    _fsync(partial)  # VACUUM INTO, for one, leaves its output unsynced
    written.append(final)
    os.replace(partial, final)
    return result


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _audit_failure(*, event: str, exc: Exception) -> None:
    reason = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
    try:
        with transaction.atomic():
            audit_record(
                actor=None,
                username=COMMAND_ACTOR,
                event=event,
                result=AuditEntry.Result.FAILED,
                reason=reason[:2000],
            )
    except DatabaseError:
        logger.exception("Could not record the failure of %s in the audit log", event)
