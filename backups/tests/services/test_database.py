import sqlite3
import subprocess  # noqa: S404 - reads a dump back with pg_restore

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from backups.database import database_dump, postgres_client, postgres_env
from backups.services import backup_create
from common.errors import ServiceError
from orgs.models import Unit

UNIT = (
    'INSERT INTO orgs_unit (code, name, short_name, kind, "order") '
    "VALUES (%s, %s, %s, 'other', 0)"
)


def unit_values(code: str) -> tuple[str, str, str]:
    return code, f"{code} 工会", code


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_taken_while_another_connection_is_writing_succeeds_without_its_changes(
    tmp_path,
):
    live = tmp_path / "live.sqlite3"
    database_dump(db=connection, target=live)  # the app's schema, in a file of its own
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(UNIT.replace("%s", "?"), unit_values("committed"))
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(UNIT.replace("%s", "?"), unit_values("uncommitted"))
    # Waits at most a second for a lock: a backup that needed the writer to finish fails here.
    live_db = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(live), "OPTIONS": {"timeout": 1}}, alias="live"
    )
    try:
        state = database_dump(db=live_db, target=tmp_path / "copy.sqlite3")
    finally:
        writer.execute("COMMIT")
        writer.close()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    codes = {code for (code,) in copy.execute("SELECT code FROM orgs_unit")}
    assert "committed" in codes and "uncommitted" not in codes
    assert state.rows["orgs_unit"] == len(codes)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_postgresql_backup_taken_while_another_session_is_writing_succeeds_without_its_changes(
    place,
):
    code, name, short_name = unit_values("committed")
    Unit.objects.create(code=code, name=name, short_name=short_name, kind="other")
    writer = connection.Database.connect(**connection.get_connection_params())
    try:
        writer.execute(UNIT, unit_values("uncommitted"))  # a transaction left open
        result = backup_create()
    finally:
        writer.rollback()
        writer.close()
    assert result.manifest.rows["orgs_unit"] == Unit.objects.count()
    data = subprocess.run(  # noqa: S603
        [
            postgres_client(program="pg_restore"),
            "--data-only",
            "--table=orgs_unit",
            "--file=-",
            str(place.backups / result.manifest.database.file),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "committed" in data and "uncommitted" not in data


def test_without_pg_dump_a_backup_says_what_to_install(monkeypatch):
    monkeypatch.setattr("backups.database.shutil.which", lambda program: None)
    with pytest.raises(ServiceError, match="找不到 pg_dump.*postgresql-client.*pg_dump not found"):
        postgres_client(program="pg_dump")


def test_the_database_password_reaches_pg_dump_through_the_environment():
    env = postgres_env(
        {
            "NAME": "unionplan",
            "USER": "unionplan",
            "PASSWORD": "s3cret",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "verify-full"},
        }
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert (env["PGDATABASE"], env["PGUSER"], env["PGHOST"], env["PGPORT"]) == (
        "unionplan",
        "unionplan",
        "db.internal",
        "5433",
    )
    assert env["PGSSLMODE"] == "verify-full"
