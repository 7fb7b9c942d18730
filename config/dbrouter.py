"""Dashboard reads from a read replica (docs/deploy.md, *The database: a primary and a
streaming replica*).

With `DATABASE_REPLICA_URL` set, settings define the alias `replica` and install
`ReplicaRouter`. The router sends a read to the replica only while the request is marked as
a dashboard read: a GET (or HEAD) of a page of the `dashboards` namespace (the overview,
matrix, ranking, timeliness, milestones, warnings, their Excel exports and the bulletin),
marked by `DashboardReadMiddleware` for the view's own duration. Everything else reads the
primary (`default`):

- every write, and every read of every other page, command and task;
- who is signed in: the session, the user, the second factor, the login lockout's counts, and
  the audit log and the task queue, whatever page is asking;
- a read inside a transaction on the primary, which must see that transaction's writes;
- the relations of an object read from the primary.

A replica lags the primary by the time replication takes (usually under a second, a few
seconds under load): a figure approved a moment ago can be missing from a dashboard for that
long. Pages where a user acts on what they read (reports, forms, 待审核, 我的待办) never read
the replica. Without a replica the router is not installed and the mark changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Read from the primary, whatever the page: who is signed in and how (sessions, users, second
# factor, lockout), the audit log and the task queue's own tables.
PRIMARY_ONLY_APPS = frozenset(
    {
        "auth",
        "sessions",
        "contenttypes",
        "django_otp",
        "otp_totp",
        "otp_static",
        "axes",
        "audit",
        "django_tasks_database",
    }
)
PRIMARY_ONLY_MODELS = frozenset({"orgs.passwordhistory"})

DASHBOARD_NAMESPACE = "dashboards"
_READ_METHODS = frozenset({"GET", "HEAD"})

_dashboard_read: ContextVar[bool] = ContextVar("unionplan_dashboard_read", default=False)


def _primary_only(model) -> bool:
    label = model._meta.label_lower
    return (
        model._meta.app_label in PRIMARY_ONLY_APPS
        or label in PRIMARY_ONLY_MODELS
        or label == settings.AUTH_USER_MODEL.lower()
    )


class ReplicaRouter:
    """Reads of a marked dashboard request go to `replica`; everything else to `default`."""

    def db_for_read(self, model, **hints):
        if not _dashboard_read.get() or _primary_only(model):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows: an entry written on the primary may name a unit
        # read from the replica.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy of the primary, read-only: migrations run on the primary only.
        return False if db == REPLICA else None


class DashboardReadMiddleware:
    """Marks a GET of a `dashboards` page as a dashboard read for the view's duration. Placed
    after the middleware that reads the session and the user, so that they are read before
    the mark (and the router keeps them on the primary regardless)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_unionplan_dashboard_read", None)
            if token is not None:
                _dashboard_read.reset(token)
                del request._unionplan_dashboard_read

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in _READ_METHODS and match.app_name == DASHBOARD_NAMESPACE:
            request._unionplan_dashboard_read = _dashboard_read.set(True)
        return None


@contextmanager
def dashboard_read() -> Iterator[None]:
    """Mark what runs inside as a dashboard read, outside a request (a task that writes a
    bulletin from the figures, a test)."""
    token = _dashboard_read.set(True)
    try:
        yield
    finally:
        _dashboard_read.reset(token)
