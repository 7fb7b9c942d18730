import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory
from orgs.tests.personas import is_logged_in, login_post

LOCKED = "登录失败次数过多，账号已锁定 30 分钟，请稍后再试或联系安全管理员"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


ADDRESS_LOCKED = "此地址登录失败次数过多，已暂停从此地址登录 30 分钟"
ATTACKER, OWNER, PROXY = "198.51.100.7", "10.20.0.15", "10.0.0.2"


def fail(client, username, times, **extra):
    return [login_post(client, username, "wrong-Password1", **extra) for _ in range(times)]


def test_the_lockout_figures_are_set_explicitly():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT == 30
    assert settings.AXES_HANDLER == "orgs.lockout.LockoutHandler"
    assert settings.AXES_CLIENT_IP_CALLABLE == "common.client_address.client_address"
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE


def test_four_wrong_passwords_show_the_ordinary_message_and_do_not_lock(client, db):
    UserFactory(username="zhang")
    responses = fail(client, "zhang", 4)
    assert all(r.status_code == 200 for r in responses)
    assert "用户名或密码不正确" in responses[-1].content.decode()
    assert login_post(client, "zhang").status_code == 302
    assert is_logged_in(client)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, db):
    UserFactory(username="zhang")
    fifth = fail(client, "zhang", 5)[-1]
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    response = login_post(client, "zhang")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and 'name="password"' in html  # the login page, not a bare 403
    assert not is_logged_in(client)


def test_a_locked_user_does_not_lock_another_user_behind_the_same_address(client, db):
    UserFactory(username="zhang")
    UserFactory(username="li")
    fail(client, "zhang", 5)
    response = login_post(client, "li", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("persona", ["ruzhou_reporter", "system_admin", "security_admin"])
def test_an_attackers_failures_do_not_keep_the_owner_out(client, db, request, persona):
    owner = request.getfixturevalue(persona)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    responses = fail(attacker, owner.username, 8)
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 4
    assert login_post(attacker, owner.username).status_code == 429  # even the right password
    assert not is_logged_in(attacker)

    response = login_post(client, owner.username, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_owners_login_does_not_lift_the_attackers_lock(client, db):
    UserFactory(username="zhang")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    fail(attacker, "zhang", 5)
    assert login_post(client, "zhang", REMOTE_ADDR=OWNER).status_code == 302
    assert login_post(attacker, "zhang").status_code == 429


def test_failures_from_many_addresses_lock_each_address_not_the_username(client, db):
    UserFactory(username="zhang")
    for i in range(5):
        assert fail(client, "zhang", 5, REMOTE_ADDR=f"10.0.0.{i + 1}")[-1].status_code == 429
    assert login_post(client, "zhang", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert login_post(client, "zhang", REMOTE_ADDR="10.0.0.99").status_code == 302


def test_an_address_spraying_many_usernames_is_locked_for_every_username(client, db):
    users = [UserFactory(username=f"unit{i:02d}") for i in range(10)]
    sprayer = Client(REMOTE_ADDR=ATTACKER)
    for user in users:  # 3 guesses each: no username reaches its own five
        responses = fail(sprayer, user.username, 3)
    assert responses[-1].status_code == 429
    assert ADDRESS_LOCKED in responses[-1].content.decode()
    fresh = UserFactory(username="jiaxian")
    assert login_post(sprayer, fresh.username).status_code == 429
    assert login_post(client, fresh.username, REMOTE_ADDR=OWNER).status_code == 302
    locked = AuditEntry.objects.get(event="auth.account.locked")
    assert locked.ip == ATTACKER and "同一地址累计 30 次登录失败" in locked.reason
    refused = AuditEntry.objects.filter(event="auth.login.failed").latest("id")
    assert refused.actor_username == "jiaxian" and refused.reason == "来源地址已锁定"


def test_a_units_office_behind_one_address_is_not_stopped_by_its_typos(client, db):
    colleagues = [UserFactory(username=f"ruzhou{i}") for i in range(29)]
    for user in colleagues:  # 29 people behind one NAT address, one typo each
        fail(client, user.username, 1, REMOTE_ADDR=OWNER)
    assert login_post(client, colleagues[0].username, REMOTE_ADDR=OWNER).status_code == 302


def test_an_address_lock_ends_by_itself_after_thirty_minutes(client, db):
    UserFactory(username="zhang")
    with time_machine.travel(START, tick=False) as clock:
        for i in range(10):
            fail(client, f"nobody{i}", 3, REMOTE_ADDR=ATTACKER)
        assert login_post(client, "zhang", REMOTE_ADDR=ATTACKER).status_code == 429
        clock.shift(dt.timedelta(minutes=31))
        assert login_post(client, "zhang", REMOTE_ADDR=ATTACKER).status_code == 302


def test_logging_into_ones_own_account_does_not_wipe_the_guesses_at_others(client, db):
    UserFactory(username="zhang")
    UserFactory(username="mine")
    fail(client, "zhang", 4, REMOTE_ADDR=ATTACKER)
    assert login_post(client, "mine", REMOTE_ADDR=ATTACKER).status_code == 302
    client.logout()
    assert fail(client, "zhang", 1, REMOTE_ADDR=ATTACKER)[-1].status_code == 429


def test_behind_a_trusted_proxy_each_client_address_is_locked_apart(client, db, settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    UserFactory(username="zhang")
    via_proxy = {"REMOTE_ADDR": PROXY}
    fail(client, "zhang", 5, HTTP_X_FORWARDED_FOR=ATTACKER, **via_proxy)
    assert (
        login_post(client, "zhang", HTTP_X_FORWARDED_FOR=ATTACKER, **via_proxy).status_code == 429
    )
    response = login_post(client, "zhang", HTTP_X_FORWARDED_FOR=OWNER, **via_proxy)
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_lock(client, db):
    UserFactory(username="zhang")
    for i in range(5):
        login_post(
            client,
            "zhang",
            "wrong-Password1",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}",
        )
    response = login_post(client, "zhang", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="10.9.9.99")
    assert response.status_code == 429


def test_a_lock_ends_by_itself_thirty_minutes_after_the_fifth_failure(client, db):
    UserFactory(username="zhang")
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "zhang", 5)
        clock.shift(dt.timedelta(minutes=29))
        assert login_post(client, "zhang").status_code == 429  # attempts do not extend it
        clock.shift(dt.timedelta(minutes=2))
        assert login_post(client, "zhang").status_code == 302
        assert is_logged_in(client)


def test_a_successful_login_resets_the_failure_count(client, db):
    UserFactory(username="zhang")
    fail(client, "zhang", 4)
    assert login_post(client, "zhang").status_code == 302
    client.logout()
    fail(client, "zhang", 4)
    assert login_post(client, "zhang").status_code == 302


def test_login_gives_the_session_a_new_key(client, db):
    UserFactory(username="zhang")
    session = client.session
    session["before_login"] = True
    session.save()
    old_key = session.session_key
    login_post(client, "zhang")
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not session.exists(old_key)
