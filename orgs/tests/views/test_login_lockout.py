import datetime as dt

import time_machine
from django.conf import settings

from orgs.tests.factories import UserFactory
from orgs.tests.personas import is_logged_in, login_post

LOCKED = "登录失败次数过多，账号已锁定 30 分钟，请稍后再试或联系安全管理员"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def fail(client, username, times):
    return [login_post(client, username, "wrong-Password1") for _ in range(times)]


def test_the_lockout_figures_are_set_explicitly():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
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


def test_wrong_passwords_from_many_addresses_still_lock_the_username(client, db):
    UserFactory(username="zhang")
    for i in range(5):
        login_post(client, "zhang", "wrong-Password1", REMOTE_ADDR=f"10.0.0.{i + 1}")
    assert login_post(client, "zhang", REMOTE_ADDR="10.0.0.99").status_code == 429


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
