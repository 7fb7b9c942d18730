"""The application's database role on PostgreSQL: everything it needs, and on the audit log
only reading and adding.

Migrations and the retention purge run as the owner of the tables; the web application and its
scheduled commands run as a role that owns nothing. A role that does not own a table cannot
drop its triggers, and without DELETE and TRUNCATE it cannot erase the log, whatever it sends.
"""

from __future__ import annotations

from django.db import connection
from psycopg import sql

from audit.models import AuditEntry

# Read by the application and written only by migrate.
READ_ONLY_TABLES = ("django_migrations",)


def app_role_grant(*, role: str) -> None:
    """Grant `role` what the application needs on every table of the current schema, then take
    back all but SELECT and INSERT on the audit log. Run as the owner after every migrate: new
    tables need their grants too."""
    if connection.vendor != "postgresql":
        raise ValueError("only PostgreSQL has roles")
    who = sql.Identifier(role)
    audit = sql.Identifier(AuditEntry._meta.db_table)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            who
        ),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE ALL ON {} FROM {}").format(audit, who),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(audit, who),
        *(
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), who
            )
            for table in READ_ONLY_TABLES
        ),
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def audit_privileges_of(*, role: str) -> set[str]:
    """What `role` may do to the audit log, as PostgreSQL answers it."""
    table = AuditEntry._meta.db_table
    kinds = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["has_table_privilege(%s, %s, %s)"] * len(kinds)),
            [value for kind in kinds for value in (role, table, kind)],
        )
        answers = cursor.fetchone()
    return {kind for kind, allowed in zip(kinds, answers, strict=True) if allowed}
