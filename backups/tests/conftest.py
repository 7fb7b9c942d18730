"""Backups read the database from connections of their own (VACUUM INTO, pg_dump), which see
committed rows only: these tests commit (transactional_db), and the test database is emptied
after each."""

import re
import shutil
import subprocess  # noqa: S404 - asks the PostgreSQL client programs for their version
from types import SimpleNamespace

import pytest
from django.db import connection

from audit.tests.arming import audit_table_arm, audit_table_disarm


def postgres_tools_missing() -> str:
    """Why a PostgreSQL backup cannot run here, or "" when it can."""
    for program in ("pg_dump", "pg_restore"):
        path = shutil.which(program)
        if path is None:
            return f"{program} is not installed (Debian: postgresql-client)"
        version = subprocess.run(  # noqa: S603 - an absolute path and a fixed option
            [path, "--version"], capture_output=True, text=True, check=True
        ).stdout
        major = int(re.search(r"\)\s*(\d+)", version).group(1))
        if major < connection.pg_version // 10000:
            return f"{program} {major} is older than the server ({connection.pg_version})"
    return ""


@pytest.fixture
def place(settings, tmp_path, transactional_db):
    """Backups and uploads in folders of this test; skipped on PostgreSQL without its client."""
    if connection.vendor == "postgresql" and (reason := postgres_tools_missing()):
        pytest.skip(reason)
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_ROOT.mkdir()
    return SimpleNamespace(backups=settings.BACKUP_DIR, uploads=settings.UPLOAD_ROOT)


@pytest.fixture
def armed_audit_table(transactional_db):
    """Audit entries refuse UPDATE, DELETE and TRUNCATE, as in production, while the test runs;
    disarmed afterwards so that the test database can be emptied."""
    audit_table_arm()
    yield
    audit_table_disarm()
