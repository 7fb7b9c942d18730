"""Each federation's audit administrator reads its own federation's entries and the entries
that belong to no federation (commands, logins naming no account), never another federation's:
on the page, in the export, and for entries written before entries named their federation."""

from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.services import audit_record
from orgs.models import User
from orgs.tests.personas import force_login_verified, login_post
from tests.test_federation_access import second_city, strangers  # noqa: F401 - fixtures

LIST = reverse("audit:entry_list")
EXPORT = reverse("audit:entry_export")


@pytest.fixture
def xuchang(request):
    """Every role of the second city (`strangers` of tests/test_federation_access.py)."""
    return request.getfixturevalue("strangers")


@pytest.fixture
def written(plan_2022, xuchang, leader):
    """Entries of both federations and of none, written as the application writes them."""
    audit_record(actor=leader, event="orgs.user.updated", target=leader, reason="平顶山改名")
    stranger = xuchang["leader"]
    audit_record(actor=stranger, event="orgs.user.updated", target=stranger, reason="许昌改名")
    visitor = Client()
    login_post(visitor, leader.username, "wrong-Password1")
    login_post(visitor, "x-reporter", "wrong-Password1")
    login_post(visitor, "no-such-account", "wrong-Password1")
    audit_record(actor=None, username="manage.py", event="backups.backup.created")


def reasons_and_names(entries) -> set[str]:
    return {e.reason for e in entries if e.reason.endswith("改名")} | {
        e.actor_username for e in entries if e.event == "auth.login.failed"
    }


def page_for(client, user, **params):
    force_login_verified(client, user)
    return client.get(LIST, params)


def test_each_audit_administrator_reads_its_own_federations_entries_and_not_the_others(
    client, written, audit_admin, xuchang, leader
):
    ours = page_for(client, audit_admin).context["page"].object_list
    assert reasons_and_names(ours) == {"平顶山改名", leader.username, "no-such-account"}
    theirs = page_for(client, xuchang[User.Role.AUDIT_ADMIN]).context["page"].object_list
    assert reasons_and_names(theirs) == {"许昌改名", "x-reporter", "no-such-account"}


def test_commands_and_logins_naming_no_account_are_shown_to_every_audit_administrator_marked(
    client, written, audit_admin, xuchang
):
    for admin in (audit_admin, xuchang[User.Role.AUDIT_ADMIN]):
        html = page_for(client, admin).content.decode()
        assert "未知账号</span>" in html and "系统</span>" in html
        events = {e.event for e in client.get(LIST).context["page"].object_list}
        assert "backups.backup.created" in events


def test_searching_for_another_federations_object_or_user_finds_nothing(
    client, written, audit_admin, xuchang
):
    stranger = xuchang["leader"]
    found = page_for(
        client, audit_admin, object_type="orgs.user", object_id=str(stranger.pk)
    ).context["page"]
    assert list(found.object_list) == []
    assert list(client.get(LIST, {"username": "x-reporter"}).context["page"].object_list) == []


def test_the_export_holds_only_the_administrators_own_and_the_shared_entries(
    client, written, xuchang, leader
):
    force_login_verified(client, xuchang[User.Role.AUDIT_ADMIN])
    sheet = load_workbook(BytesIO(client.get(EXPORT).content), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    users = {r["用户"] for r in records}
    assert {"x-leader", "x-reporter", "no-such-account", "manage.py"} <= users
    assert leader.username not in users
    assert all("平顶山" not in (r["原因"] or "") for r in records)
    belongs = {r["用户"]: r["归属"] for r in records}
    assert belongs["x-reporter"] == "本工会" and belongs["no-such-account"] == "未知账号"
    assert belongs["manage.py"] == "系统"


def test_an_entry_written_before_entries_named_a_federation_is_read_as_its_actors_or_accounts(
    client, plan_2022, xuchang, audit_admin
):
    # As migration audit 0004 leaves them: no federation copied (the triggers refuse UPDATE).
    stranger = xuchang["leader"]
    AuditEntry.objects.create(actor=stranger, actor_username="x-leader", event="old.change")
    AuditEntry.objects.create(actor_username="x-reporter", event="auth.login.failed")
    AuditEntry.objects.create(actor_username="manage.py", event="old.command")
    ours = {e.event for e in page_for(client, audit_admin).context["page"].object_list}
    assert "old.command" in ours
    assert not {"old.change", "auth.login.failed"} & ours
    theirs = page_for(client, xuchang[User.Role.AUDIT_ADMIN]).context["page"].object_list
    assert {"old.change", "auth.login.failed", "old.command"} <= {e.event for e in theirs}


def test_the_page_costs_the_same_queries_however_many_entries_of_both_federations_it_shows(
    client, plan_2022, xuchang, leader
):
    admin = xuchang[User.Role.AUDIT_ADMIN]
    page_for(client, admin)
    for user in (leader, xuchang["leader"], xuchang["staff"]):
        audit_record(actor=user, event="test.event")
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"event": "test."})
    for n in range(40):
        user = (leader, xuchang["leader"], xuchang["staff"])[n % 3]
        audit_record(actor=user, event="test.event")
        AuditEntry.objects.create(actor=user, actor_username=user.username, event="test.old")
        audit_record(actor=None, username=f"nobody{n}", event="test.event")
    with CaptureQueriesContext(connection) as many:
        shown = client.get(LIST, {"event": "test."}).context["page"].object_list
    assert len(many) == len(few)
    assert len(shown) == 50 and leader.username not in {e.actor_username for e in shown}
