import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory


def ago(days):
    return timezone.now() - dt.timedelta(days=days)


def make_accounts():
    return {
        "idle": UserFactory(username="idle", last_login=ago(91), date_joined=ago(400)),
        "recent": UserFactory(username="recent", last_login=ago(89), date_joined=ago(400)),
        "never_old": UserFactory(username="never-old", last_login=None, date_joined=ago(91)),
        "never_new": UserFactory(username="never-new", last_login=None, date_joined=ago(10)),
        "already": UserFactory(username="already", last_login=ago(200), is_active=False),
    }


def active(user):
    user.refresh_from_db()
    return user.is_active


def test_accounts_without_a_login_for_ninety_days_are_disabled_and_on_record(db, capsys):
    users = make_accounts()
    call_command("disable_dormant_accounts")
    assert not active(users["idle"]) and not active(users["never_old"])
    assert active(users["recent"]) and active(users["never_new"])
    entries = AuditEntry.objects.filter(event="orgs.user.disabled").order_by("object_repr")
    assert sorted(e.before["username"] for e in entries) == ["idle", "never-old"]
    assert all(e.actor_username == "manage.py" and "90 天" in e.reason for e in entries)
    assert "已停用 2 个" in capsys.readouterr().out


def test_a_dry_run_lists_the_accounts_and_changes_nothing(db, capsys):
    users = make_accounts()
    call_command("disable_dormant_accounts", "--dry-run")
    out = capsys.readouterr().out
    assert "idle" in out and "never-old" in out and "recent" not in out
    assert "将停用 2 个" in out
    assert active(users["idle"]) and active(users["never_old"])
    assert not AuditEntry.objects.filter(event="orgs.user.disabled").exists()
