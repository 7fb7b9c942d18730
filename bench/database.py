"""The bench databases on PostgreSQL: create one when missing (`make bench`), or afresh."""

import sys

import dj_database_url
import psycopg
from psycopg import sql


def server_connect(cfg: dict) -> psycopg.Connection:
    """A connection to the server's `postgres` database, to create or drop `cfg`'s database."""
    return psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def database_create(cfg: dict, *, fresh: bool = False) -> None:
    name = sql.Identifier(cfg["NAME"])
    with server_connect(cfg) as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def main(url: str) -> int:
    database_create(dj_database_url.parse(url))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
