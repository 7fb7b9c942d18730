from django.urls import reverse

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory
from orgs.tests.personas import login_post


def events(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_a_successful_login_is_recorded_with_the_address(client, db):
    user = UserFactory(username="zhang")
    login_post(client, "zhang", REMOTE_ADDR="10.1.2.3")
    (entry,) = events(event="auth.login.succeeded")
    assert entry.actor_id == user.pk and entry.ip == "10.1.2.3" and entry.result == "ok"


def test_a_failed_login_is_recorded_with_the_username_tried_but_never_the_password(client, db):
    user = UserFactory(username="zhang")
    login_post(client, "zhang", "Secret#guess1")
    login_post(client, "nobody", "Secret#guess2")
    first, second = events(event="auth.login.failed")
    assert first.actor_username == "zhang" and first.object_id == str(user.pk)
    assert first.result == "failed" and first.reason == "用户名或密码错误"
    assert second.actor_username == "nobody" and second.object_id == ""
    for entry in (first, second):
        assert "Secret#guess" not in f"{entry.before}{entry.after}{entry.reason}"


def test_a_lockout_is_recorded_once_and_refused_attempts_after_it_as_locked(client, db):
    UserFactory(username="zhang")
    for _ in range(5):
        login_post(client, "zhang", "wrong-Password1")
    login_post(client, "zhang")
    login_post(client, "zhang")
    (locked,) = events(event="auth.account.locked")
    assert locked.actor_username == "zhang" and locked.result == "denied"
    failures = events(event="auth.login.failed")
    assert [f.reason for f in failures] == ["用户名或密码错误"] * 5 + ["账号已锁定"] * 2


def test_logout_is_recorded(client, leader):
    client.force_login(leader)
    client.post(reverse("logout"))
    assert events(event="auth.logout", actor=leader)


def test_a_refused_page_is_recorded_with_its_path(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    response = client.get(reverse("orgs:user_list"))
    assert response.status_code == 403
    assert "您没有权限访问此页面" in response.content.decode()
    (entry,) = events(event="auth.permission_denied")
    assert entry.actor_username == "ruzhou-test" and entry.result == "denied"
    assert entry.after == {"path": "/accounts/users/", "method": "GET"}


def test_behind_a_trusted_proxy_the_entry_has_the_clients_address(client, db, settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = ["10.0.0.2"]
    UserFactory(username="zhang")
    login_post(client, "zhang", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.20.0.15")
    login_post(client, "zhang", "wrong", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    (succeeded,) = events(event="auth.login.succeeded")
    (failed,) = events(event="auth.login.failed")
    assert succeeded.ip == "10.20.0.15"  # the client, not the proxy
    assert failed.ip == "10.9.9.9"  # not a trusted proxy: its header is not believed
