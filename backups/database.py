"""The database half of a backup: one consistent copy out, and back in.

SQLite: `VACUUM INTO` on a connection of its own reads one snapshot of the live database (in
WAL mode the app keeps writing meanwhile) and writes a compact, self-contained copy. Never a
file copy: copying the file can catch a page half-written, and misses whatever still sits in
the `-wal` file. The copy goes back in through SQLite's online backup API, which writes every
page inside one transaction of the target database: a crash halfway leaves the old database,
no stale `-wal` file is ever paired with a new main file, and the file keeps its owner.

PostgreSQL: `pg_dump -Fc` and `pg_restore --single-transaction`, run with the settings of
`DATABASES` in the environment (`PGPASSWORD`, never a password on a command line).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore with fixed options # nosec B404
from dataclasses import dataclass
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from common.errors import ServiceError

# How long a restore waits for SQLite's lock before telling the user the app still runs.
SQLITE_LOCK_WAIT_SECONDS = 2

UNSUPPORTED = "不支持备份或恢复 {vendor} 数据库。"
CLIENT_MISSING = (
    "找不到 {program}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client），"
    "主版本不低于数据库服务器。 ({program} not found: install the PostgreSQL client programs, "
    "of the server's major version or newer.)"
)
CLIENT_FAILED = "{program} 失败（退出码 {code}）：{stderr}"
SQLITE_IN_USE = (
    "数据库仍被其他进程打开：请先停止应用（以及定时任务），再恢复。"
    " (The database is still open elsewhere: stop the app first.)"
)
SQLITE_FAILED = "无法写入 SQLite 数据库：{reason}"

COUNT_ROWS = "SELECT '{0}', count(*) FROM \"{0}\""

# Options of DATABASES["default"]["OPTIONS"] that libpq also reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


@dataclass(frozen=True)
class DatabaseState:
    """What a database holds, read inside the same snapshot as the copy."""

    migrations: dict[str, str]
    rows: dict[str, int]


def database_dump(*, db: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    """Write a consistent copy of the database behind `db` to `target` (which must not exist)."""
    if db.vendor == "sqlite":
        return _sqlite_dump(db=db, target=target)
    if db.vendor == "postgresql":
        return _postgres_dump(db=db, target=target)
    raise ServiceError(UNSUPPORTED.format(vendor=db.vendor))


def database_load(*, db: BaseDatabaseWrapper, source: Path, tables: list[str]) -> None:
    """Make the database behind `db` hold exactly what the copy at `source` holds; `tables`
    are the copy's tables (a table only the target has is dropped)."""
    db.close()  # no transaction of ours stays open while the pages or tables are replaced
    if db.vendor == "sqlite":
        _sqlite_load(db=db, source=source)
    elif db.vendor == "postgresql":
        _postgres_load(db=db, source=source, tables=tables)
    else:
        raise ServiceError(UNSUPPORTED.format(vendor=db.vendor))


def database_state(*, db: BaseDatabaseWrapper) -> DatabaseState:
    with db.cursor() as cursor:
        return _state(cursor, vendor=db.vendor)


def database_other_sessions(*, db: BaseDatabaseWrapper) -> int:
    """PostgreSQL sessions on this database other than ours (the app should be stopped)."""
    if db.vendor != "postgresql":
        return 0
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _state(cursor, *, vendor: str) -> DatabaseState:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() ORDER BY tablename"
        )
    tables = [row[0] for row in cursor.fetchall()]
    rows: dict[str, int] = {}
    if tables:
        # Table names come from the catalogue, never from input; any with a quote is skipped.
        counts = " UNION ALL ".join(
            COUNT_ROWS.format(name) for name in tables if '"' not in name and "'" not in name
        )
        cursor.execute(counts)
        rows = dict(cursor.fetchall())
    migrations: dict[str, str] = {}
    if "django_migrations" in rows:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        # In the order applied, so the last applied migration of each app wins.
        migrations = dict(cursor.fetchall())
    return DatabaseState(migrations=migrations, rows=rows)


def _sqlite_dump(*, db: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    source = db.Database.connect(**db.get_connection_params())
    try:
        source.isolation_level = None  # VACUUM cannot run inside a transaction
        source.execute("VACUUM INTO ?", (str(target),))
    finally:
        source.close()
    copy = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _state(copy.cursor(), vendor="sqlite")
    finally:
        copy.close()


def _sqlite_load(*, db: BaseDatabaseWrapper, source: Path) -> None:
    params = {**db.get_connection_params(), "timeout": SQLITE_LOCK_WAIT_SECONDS}
    copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    target = db.Database.connect(**params)
    try:
        target.isolation_level = None
        if not db.is_in_memory_db():
            # Leaving WAL mode needs every other connection closed: a running app is found
            # here. The app turns WAL on again when it next connects.
            mode = target.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode.lower() != "delete":
                raise ServiceError(SQLITE_IN_USE)
        copy.backup(target)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ServiceError(SQLITE_IN_USE) from exc
        raise ServiceError(SQLITE_FAILED.format(reason=exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise ServiceError(SQLITE_FAILED.format(reason=exc)) from exc
    finally:
        target.close()
        copy.close()


def _postgres_dump(*, db: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    pg_dump = postgres_client(program="pg_dump")
    raw = db.Database.connect(**db.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            # pg_dump joins this transaction's snapshot, so the counts and migrations below
            # describe exactly what it writes.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _state(cursor, vendor="postgresql")
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env=postgres_env(db.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return state


def _postgres_load(*, db: BaseDatabaseWrapper, source: Path, tables: list[str]) -> None:
    pg_restore = postgres_client(program="pg_restore")
    with db.cursor() as cursor:
        current = _state(cursor, vendor="postgresql").rows
        extra = sorted(set(current) - set(tables))
        if extra:
            # Tables of a newer schema than the backup's: dropped, so that `migrate` can make
            # them again after the restore (the safety backup still holds their rows).
            names = ", ".join(db.ops.quote_name(name) for name in extra)
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")
        # `--clean` drops the backup's constraints before its tables; a foreign key a newer
        # migration added (a plan's parent plan) is not among them and would keep its table's
        # primary key from being dropped. Every table is dropped and made again anyway, so
        # every foreign key goes first.
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
               JOIN pg_namespace n ON n.oid = c.connamespace
               WHERE c.contype = 'f' AND n.nspname = current_schema()"""
        )
        for table, name in cursor.fetchall():
            cursor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {db.ops.quote_name(name)}"
            )
    db.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={db.settings_dict['NAME']}",
            str(source),
        ],
        env=postgres_env(db.settings_dict),
    )


def postgres_client(*, program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise ServiceError(CLIENT_MISSING.format(program=program))
    return path


def postgres_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _run(args: list[str], *, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - an absolute path, fixed options # nosec B603
        args, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    if result.returncode:
        stderr = " ".join(result.stderr.strip().splitlines()[-5:])
        raise ServiceError(
            CLIENT_FAILED.format(program=Path(args[0]).name, code=result.returncode, stderr=stderr)
        )
