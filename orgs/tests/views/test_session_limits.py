import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from audit.models import AuditEntry
from orgs.services import user_active_set
from orgs.tests.personas import is_logged_in

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = reverse("plans:list")


def minutes(n):
    return dt.timedelta(minutes=n)


def is_sent_to_login(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_figures_are_thirty_minutes_fifteen_for_admins_and_twelve_hours():
    assert minutes(30) == settings.UNIONPLAN_SESSION_IDLE_TIMEOUT
    assert minutes(15) == settings.UNIONPLAN_SESSION_IDLE_TIMEOUT_ADMIN
    assert dt.timedelta(hours=12) == settings.UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT


def test_a_user_idle_for_twenty_nine_minutes_stays_logged_in(client, leader):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leader)
        clock.shift(minutes(29))
        assert client.get(PAGE).status_code == 200
        clock.shift(minutes(29))  # each request restarts the idle clock
        assert client.get(PAGE).status_code == 200


def test_a_user_idle_for_thirty_one_minutes_is_logged_out_and_it_is_on_record(client, leader):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leader)
        clock.shift(minutes(31))
        response = client.get(PAGE)
        assert is_sent_to_login(response)
        assert not is_logged_in(client)
    entry = AuditEntry.objects.get(event="auth.session.expired")
    assert entry.actor_username == "leader-test" and entry.reason == "空闲超时"


@pytest.mark.parametrize("persona", ["system_admin", "security_admin", "audit_admin"])
def test_an_administrator_is_logged_out_after_fifteen_idle_minutes(client, request, persona):
    admin = request.getfixturevalue(persona)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(admin)
        clock.shift(minutes(14))
        assert client.get(reverse("orgs:password_change")).status_code == 200
        clock.shift(minutes(16))
        assert is_sent_to_login(client.get(reverse("orgs:password_change")))


def test_a_busy_session_still_ends_twelve_hours_after_login(client, leader):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leader)
        for _ in range(11 * 3 + 2):  # a request every 20 minutes: 11 h 40 min
            clock.shift(minutes(20))
            assert client.get(PAGE).status_code == 200
        clock.shift(minutes(21))
        assert is_sent_to_login(client.get(PAGE))
    entry = AuditEntry.objects.get(event="auth.session.expired")
    assert entry.reason == "超过最长会话时间"


def test_logging_out_deletes_the_session(client, leader):
    client.force_login(leader)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert is_sent_to_login(client.get(PAGE))
    assert AuditEntry.objects.filter(event="auth.logout", actor_username="leader-test").exists()


def test_disabling_a_user_ends_their_session_at_the_next_request(client, leader, system_admin):
    client.force_login(leader)
    assert client.get(PAGE).status_code == 200
    user_active_set(actor=system_admin, user=leader, active=False)
    assert is_sent_to_login(client.get(PAGE))
    assert not is_logged_in(client)


def test_the_session_cookie_is_http_only_and_same_site_lax_and_ends_with_the_browser():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
