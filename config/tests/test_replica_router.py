"""Dashboard reads go to the read replica; writes, sign-in and every other page stay on the
primary (config/dbrouter.py, docs/deploy.md).

The replica here is the alias `replica` with TEST = {"MIRROR": "default"}: a second connection
to the test database, added for this module only, so that the rest of the suite keeps one
database. The tests commit (transactional_db): a second connection sees committed rows only,
as a real replica does.
"""

import copy
import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.dbrouter import REPLICA, ReplicaRouter, dashboard_read
from config.env import env_replica_database
from plans.models import Plan

SLUG = "pingdingshan-2022"
ROUTER = "config.dbrouter.ReplicaRouter"
PG = "django.db.backends.postgresql"


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """`replica`, a test mirror of `default`, defined for this module's tests only."""
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {
        **copy.deepcopy(primary),
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    yield REPLICA
    wrapper = connections[REPLICA]
    if wrapper.connection is not None:
        wrapper.connection.close()
        wrapper.connection = None
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def routed(replica_alias, settings):
    settings.DATABASE_ROUTERS = [ROUTER]


@pytest.fixture
def queries(replica_alias):
    """The SQL each connection ran during the block: `with queries() as (primary, replica):`."""

    class Both:
        def __enter__(self):
            self.contexts = [
                CaptureQueriesContext(connections["default"]),
                CaptureQueriesContext(connections[REPLICA]),
            ]
            for context in self.contexts:
                context.__enter__()
            return self

        def __exit__(self, *exc):
            for context in reversed(self.contexts):
                context.__exit__(*exc)

        def sql(self, alias: str) -> list[str]:
            index = 0 if alias == "default" else 1
            return [q["sql"] for q in self.contexts[index].captured_queries]

    return Both


def _reads(sql: list[str], table: str) -> bool:
    return any(s.lstrip().upper().startswith("SELECT") and f'"{table}"' in s for s in sql)


def _writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


replica_db = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@replica_db
def test_a_dashboard_page_reads_its_figures_from_the_replica_and_the_sign_in_from_the_primary(
    plan_2022, client, leader, routed, queries
):
    client.force_login(leader)
    with queries() as captured:
        response = client.get(reverse("dashboards:overview", args=[SLUG]))
    assert response.status_code == 200
    primary, replica = captured.sql("default"), captured.sql(REPLICA)
    assert _reads(replica, "plans_plan") and _reads(replica, "reporting_officialvalue")
    assert not _reads(primary, "plans_plan") and not _reads(primary, "reporting_officialvalue")
    # Who is signed in is never read from a copy that may lag.
    assert _reads(primary, "django_session") and _reads(primary, "orgs_user")
    assert not _reads(replica, "django_session") and not _reads(replica, "orgs_user")


@replica_db
def test_an_export_reads_the_replica_and_writes_its_audit_entry_on_the_primary(
    plan_2022, client, leader, routed, queries
):
    client.force_login(leader)
    with queries() as captured:
        response = client.get(reverse("dashboards:export", args=[SLUG, "overview"]))
    assert response["Content-Disposition"].startswith("attachment")
    assert _reads(captured.sql(REPLICA), "reporting_officialvalue")
    assert not _writes(captured.sql(REPLICA))
    assert any('"audit_auditentry"' in s for s in _writes(captured.sql("default")))


@replica_db
def test_other_pages_and_a_post_to_a_dashboard_read_only_the_primary(
    plan_2022, client, leader, ruzhou_reporter, routed, queries
):
    client.force_login(leader)
    with queries() as captured:
        plan_page = client.get(reverse("plans:overview", args=[SLUG]))
        post = client.post(reverse("dashboards:overview", args=[SLUG]))
    assert plan_page.status_code == 200 and post.status_code == 405
    assert captured.sql(REPLICA) == []
    assert _reads(captured.sql("default"), "plans_plan")
    # 我的待办 is the dashboards app's view but a page where a unit acts: the primary.
    client.force_login(ruzhou_reporter)
    with queries() as captured:
        assert client.get(reverse("reporting:todo")).status_code == 200
    assert captured.sql(REPLICA) == []


@replica_db
def test_without_the_router_a_dashboard_page_reads_only_the_primary(
    plan_2022, client, leader, queries
):
    client.force_login(leader)
    with queries() as captured:
        assert client.get(reverse("dashboards:overview", args=[SLUG])).status_code == 200
    assert captured.sql(REPLICA) == []
    assert _reads(captured.sql("default"), "reporting_officialvalue")


@replica_db
def test_a_read_inside_a_transaction_sees_the_primary(plan_2022, routed, queries):
    with dashboard_read(), queries() as captured:
        assert Plan.objects.filter(slug=SLUG).exists()
        with transaction.atomic():
            assert Plan.objects.filter(slug=SLUG).exists()
    assert len(captured.sql(REPLICA)) == 1 and _reads(captured.sql("default"), "plans_plan")


def test_the_router_keeps_writes_sessions_users_and_the_audit_log_on_the_primary():
    from django.contrib.sessions.models import Session

    from audit.models import AuditEntry
    from orgs.models import Unit, User

    router = ReplicaRouter()
    assert router.db_for_read(Plan) == "default"  # not marked: the primary
    with dashboard_read():
        assert router.db_for_read(Plan) == REPLICA
        assert router.db_for_read(Unit) == REPLICA
        for model in (Session, User, AuditEntry):
            assert router.db_for_read(model) == "default"
        assert router.db_for_write(Plan) == "default"
    assert router.allow_migrate(REPLICA, "plans") is False
    assert router.allow_migrate("default", "plans") is None


# --- settings -------------------------------------------------------------------------------


def _base_settings(monkeypatch, **env):
    """config/settings/base.py run afresh with this environment (the live settings untouched)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"
    spec = importlib.util.spec_from_file_location("replica_settings_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_replica_url_adds_the_replica_as_a_test_mirror_and_installs_the_router(monkeypatch):
    probe = _base_settings(
        monkeypatch,
        DATABASE_URL="postgres://app@db-primary:5432/unionplan",
        DATABASE_REPLICA_URL="postgres://app@db-replica:5432/unionplan",
    )
    replica = probe.DATABASES[REPLICA]
    assert (replica["ENGINE"], replica["HOST"], replica["NAME"]) == (PG, "db-replica", "unionplan")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert probe.DATABASE_ROUTERS == [ROUTER]


def test_without_a_replica_url_there_is_one_database_and_no_router(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    probe = _base_settings(monkeypatch, DATABASE_URL="postgres://app@db-primary:5432/unionplan")
    assert list(probe.DATABASES) == ["default"]
    assert not hasattr(probe, "DATABASE_ROUTERS")
    assert "config.dbrouter.DashboardReadMiddleware" in probe.MIDDLEWARE  # marks, routes nothing


@pytest.mark.parametrize(
    "primary, replica, message",
    [
        ("sqlite:////tmp/a.sqlite3", "postgres://app:s3cret@db/unionplan", "same kind"),
        ("sqlite:////tmp/a.sqlite3", "sqlite:////tmp/b.sqlite3", "SQLite has no replicas"),
        ("postgres://app@db/unionplan", "nosuch://app:s3cret@db/x", "not a database URL"),
    ],
)
def test_a_replica_that_cannot_be_one_stops_start_up_without_showing_its_password(
    monkeypatch, primary, replica, message
):
    monkeypatch.setenv("DATABASE_REPLICA_URL", replica)
    from dj_database_url import parse

    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        env_replica_database("DATABASE_REPLICA_URL", parse(primary), conn_max_age=60)
    assert "s3cret" not in str(caught.value)
