"""Create the PostgreSQL database a URL names when it does not exist (used by `make bench`)."""

import sys

import dj_database_url
import psycopg
from psycopg import sql


def main(url: str) -> int:
    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
