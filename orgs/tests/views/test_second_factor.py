"""The second factor: required of the three administrators, open to everyone, on record.

The clock is frozen where codes matter: an authenticator's code changes every 30 seconds, a
code once used is refused after, and a wrong code makes the next try wait 1, 2, 4… seconds.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.labels import EVENT_LABELS
from audit.models import AuditEntry
from orgs import otp
from orgs.services import administrator_create
from orgs.tests.personas import force_login_verified, login_post, totp_code
from orgs.views import OTP_KEY_SESSION

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ENROL = reverse("orgs:otp_enrol")
VERIFY = reverse("orgs:otp_verify")
QR = reverse("orgs:otp_qr")
USERS = reverse("orgs:user_list")
TODO = reverse("reporting:todo")


def seconds(n):
    return dt.timedelta(seconds=n)


def events(event):
    return list(AuditEntry.objects.filter(event=event).order_by("id"))


def wrong_code(key: str) -> str:
    """A code that none of the accepted steps (now, one before, one after) shows."""
    shown = {TOTP(bytes.fromhex(key), drift=d).token() for d in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(123456, 999999) if n not in shown)


def enrol(client, clock):
    """Set up an authenticator from the enrolment page; the clock moves on to the next code."""
    client.get(ENROL)
    key = client.session[OTP_KEY_SESSION]
    response = client.post(ENROL, {"code": totp_code(key)})
    clock.shift(seconds(30))
    return key, response


def log_in_again(client, username):
    client.post(reverse("logout"))
    return login_post(client, username, follow=True)


def landed_on(response) -> str:
    return response.redirect_chain[-1][0] if response.redirect_chain else ""


def test_an_administrator_logging_in_is_sent_to_set_up_the_second_factor(client, system_admin):
    response = login_post(client, "sysadmin-test", follow=True)
    assert landed_on(response) == ENROL
    html = response.content.decode()
    assert "必须启用两步验证" in html and f'src="{QR}"' in html
    assert otp.otp_secret_text(client.session[OTP_KEY_SESSION]) in html
    assert client.get(USERS)["Location"] == ENROL
    # No menu leads anywhere until the second factor is set up.
    assert f'href="{USERS}"' not in html


def test_the_qr_code_is_an_svg_image_that_is_never_cached(client, system_admin):
    client.force_login(system_admin)
    client.get(ENROL)
    key = client.session[OTP_KEY_SESSION]
    response = client.get(QR)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"<svg") and b"<script" not in response.content
    assert client.session[OTP_KEY_SESSION] == key  # the page and its image show one secret


def test_enrolment_with_a_wrong_code_is_refused_and_on_record(client, system_admin):
    client.force_login(system_admin)
    client.get(ENROL)
    key = client.session[OTP_KEY_SESSION]
    html = client.post(ENROL, {"code": wrong_code(key)}).content.decode()
    assert "验证码不正确" in html and "还可尝试 4 次" in html
    assert not TOTPDevice.objects.filter(user=system_admin).exists()
    (entry,) = events("orgs.otp.enrolment_failed")
    assert entry.actor == system_admin and entry.result == "failed"
    assert client.get(USERS)["Location"] == ENROL


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once_and_is_on_record(
    client, system_admin
):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, response = enrol(client, clock)
        assert client.get(USERS).status_code == 200  # this session has passed the second factor
    codes = response.context["codes"]
    html = response.content.decode()
    assert len(set(codes)) == 10 and all(code in html for code in codes)
    assert "只显示这一次" in html and "no-store" in response["Cache-Control"]
    assert TOTPDevice.objects.get(user=system_admin, confirmed=True).key == key
    (entry,) = events("orgs.otp.enrolled")
    assert entry.actor == system_admin and entry.object_id == str(system_admin.pk)
    assert entry.before == {"authenticator": False, "recovery_codes": 0}
    assert entry.after == {"authenticator": True, "recovery_codes": 10}
    assert OTP_KEY_SESSION not in client.session


def test_an_enrolled_administrator_enters_a_code_after_the_password_at_every_login(
    client, system_admin
):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        response = log_in_again(client, "sysadmin-test")
        assert landed_on(response).startswith(VERIFY)
        assert client.get(USERS)["Location"] == f"{VERIFY}?next={USERS}"
        response = client.post(VERIFY, {"code": totp_code(key), "next": USERS})
        assert response["Location"] == USERS
        assert client.get(USERS).status_code == 200
    (entry,) = events("orgs.otp.verified")
    assert entry.actor == system_admin and entry.result == "ok"


def test_a_code_already_used_is_refused_with_a_word_to_wait_for_the_next_one(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        log_in_again(client, "sysadmin-test")
        client.post(VERIFY, {"code": totp_code(key)})
        log_in_again(client, "sysadmin-test")
        html = client.post(VERIFY, {"code": totp_code(key)}).content.decode()
        assert "这个验证码刚刚已经用过" in html and "下一个验证码" in html
        assert client.get(USERS)["Location"].startswith(VERIFY)
    assert events("orgs.otp.failed")[-1].reason == "验证码已用过"


def test_a_wrong_code_is_called_wrong_not_used(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        log_in_again(client, "sysadmin-test")
        html = client.post(VERIFY, {"code": wrong_code(key)}).content.decode()
        assert "验证码不正确" in html and "刚刚已经用过" not in html
    assert events("orgs.otp.failed")[-1].reason == "验证码错误"


def test_a_next_address_on_another_site_is_not_followed(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        log_in_again(client, "sysadmin-test")
        response = client.post(VERIFY, {"code": totp_code(key), "next": "//evil.example/"})
    assert response["Location"] == reverse("home")


def test_a_recovery_code_works_once(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        _key, response = enrol(client, clock)
        code = response.context["codes"][0]
        log_in_again(client, "sysadmin-test")
        typed = f" {code[:4].upper()}-{code[4:].upper()} "  # as people type it
        response = client.post(VERIFY, {"code": typed}, follow=True)
        assert "已使用一个恢复码，还剩 9 个。" in response.content.decode()
        assert client.get(USERS).status_code == 200
        log_in_again(client, "sysadmin-test")
        html = client.post(VERIFY, {"code": code}).content.decode()
        assert "恢复码不正确或已使用过" in html
        assert client.get(USERS)["Location"].startswith(VERIFY)
    (entry,) = events("orgs.otp.recovery_used")
    assert entry.actor == system_admin and entry.after == {"recovery_codes": 9}
    assert code not in str(entry.after) + entry.reason
    (failed,) = events("orgs.otp.failed")
    assert failed.result == "failed" and failed.reason == "恢复码错误"


def test_a_wrong_code_makes_the_next_try_wait(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        log_in_again(client, "sysadmin-test")
        client.post(VERIFY, {"code": wrong_code(key)})
        html = client.post(VERIFY, {"code": totp_code(key)}).content.decode()
        assert "错误次数较多，请 1 秒后再试" in html
        clock.shift(seconds(2))
        assert client.post(VERIFY, {"code": totp_code(key)}).status_code == 302
        assert client.get(USERS).status_code == 200


def test_five_wrong_codes_in_a_row_end_the_session(client, system_admin):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(system_admin)
        key, _ = enrol(client, clock)
        log_in_again(client, "sysadmin-test")
        for left in (4, 3, 2, 1):
            html = client.post(VERIFY, {"code": wrong_code(key)}).content.decode()
            assert f"还可尝试 {left} 次" in html
            clock.shift(seconds(60))
        response = client.post(VERIFY, {"code": wrong_code(key)}, follow=True)
    assert landed_on(response) == reverse("login")
    assert "验证码连续 5 次错误，已退出登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(events("orgs.otp.failed")) == 5
    assert events("auth.logout")


def test_the_security_administrator_resets_another_users_second_factor_on_record(
    client, security_admin, system_admin
):
    with time_machine.travel(START, tick=False) as clock:
        admin_client = Client()
        admin_client.force_login(system_admin)
        enrol(admin_client, clock)
        force_login_verified(client, security_admin)
        reset = reverse("orgs:otp_reset", kwargs={"pk": system_admin.pk})
        assert reset in client.get(reverse("orgs:role_list")).content.decode()
        assert "剩余恢复码 10 个" in client.get(reset).content.decode()
        response = client.post(reset, follow=True)
        assert "已重置用户 sysadmin-test 的两步验证。" in response.content.decode()
        # The session that had passed it is sent to set up a new authenticator.
        assert admin_client.get(USERS)["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user=system_admin).exists()
    assert not StaticDevice.objects.filter(user=system_admin).exists()
    (entry,) = events("orgs.otp.reset")
    assert entry.actor == security_admin and entry.object_id == str(system_admin.pk)
    assert entry.before == {"authenticator": True, "recovery_codes": 10}
    assert entry.after == {"authenticator": False, "recovery_codes": 0}


def test_the_security_administrator_cannot_reset_their_own_second_factor(client, security_admin):
    force_login_verified(client, security_admin)
    reset = reverse("orgs:otp_reset", kwargs={"pk": security_admin.pk})
    assert client.get(reset).status_code == 403
    assert client.post(reset).status_code == 403
    assert TOTPDevice.objects.filter(user=security_admin).exists()
    assert not events("orgs.otp.reset")


@pytest.mark.parametrize("persona", ["system_admin", "audit_admin", "leader"])
def test_no_one_else_resets_a_second_factor(client, request, persona, security_admin):
    TOTPDevice.objects.create(user=security_admin, name="测试", confirmed=True)
    force_login_verified(client, request.getfixturevalue(persona))
    reset = reverse("orgs:otp_reset", kwargs={"pk": security_admin.pk})
    assert client.post(reset).status_code == 403
    assert TOTPDevice.objects.filter(user=security_admin).exists()


def test_an_ordinary_user_without_an_authenticator_is_never_asked(client, ruzhou_reporter):
    response = login_post(client, "ruzhou-test", follow=True)
    assert response.status_code == 200
    assert not any(url.startswith((VERIFY, ENROL)) for url, _ in response.redirect_chain)
    assert client.get(TODO).status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")


def test_an_ordinary_user_may_enrol_and_is_then_asked_for_a_code_at_login(client, ruzhou_reporter):
    with time_machine.travel(START, tick=False) as clock:
        login_post(client, "ruzhou-test")
        html = client.get(reverse("orgs:otp_settings")).content.decode()
        assert "状态：未启用" in html and ENROL in html
        key, response = enrol(client, clock)
        assert len(response.context["codes"]) == 10
        html = client.get(reverse("orgs:otp_settings")).content.decode()
        assert "已启用" in html and "10 个" in html
        response = log_in_again(client, "ruzhou-test")
        assert landed_on(response).startswith(VERIFY)
        assert client.get(TODO)["Location"] == f"{VERIFY}?next={TODO}"
        client.post(VERIFY, {"code": totp_code(key)})
        assert client.get(TODO).status_code == 200
    assert events("orgs.otp.enrolled")[0].actor == ruzhou_reporter


def test_replacing_an_authenticator_needs_the_old_one_first(client, leader):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leader)
        first, _ = enrol(client, clock)
        log_in_again(client, "leader-test")
        assert client.get(ENROL)["Location"].startswith(VERIFY)
        client.post(VERIFY, {"code": totp_code(first)})
        assert "原来的身份验证器和全部恢复码立即失效" in client.get(ENROL).content.decode()
        second, _ = enrol(client, clock)
    assert TOTPDevice.objects.get(user=leader).key == second != first
    assert StaticDevice.objects.get(user=leader).token_set.count() == 10
    assert events("orgs.otp.enrolled")[-1].before == {"authenticator": True, "recovery_codes": 10}


def test_a_new_administrator_sets_up_the_second_factor_and_changes_the_password(client, db):
    _user, password, _ = administrator_create(username="newaudit", role="audit_admin")
    with time_machine.travel(dt.datetime.now(tz=dt.UTC), tick=False) as clock:
        response = login_post(client, "newaudit", password, follow=True)
        assert landed_on(response) == ENROL
        assert client.get(reverse("orgs:password_change")).status_code == 200  # open too
        enrol(client, clock)
        assert client.get(reverse("audit:entry_list"))["Location"] == reverse(
            "orgs:password_change"
        )
        new = "Gx7#Tq9!mZ2p"
        change = {"old_password": password, "new_password1": new, "new_password2": new}
        assert client.post(reverse("orgs:password_change"), change).status_code == 302
        assert client.get(reverse("audit:entry_list")).status_code == 200


def test_a_user_with_an_authenticator_proves_it_before_changing_an_expired_password(client, leader):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leader)
        key, _ = enrol(client, clock)
        leader.password_changed_at = START - dt.timedelta(days=91)
        leader.save(update_fields=["password_changed_at"])
        response = log_in_again(client, "leader-test")
        assert landed_on(response).startswith(VERIFY)
        assert client.get(reverse("orgs:password_change"))["Location"].startswith(VERIFY)
        client.post(VERIFY, {"code": totp_code(key)})
        assert client.get(TODO)["Location"] == reverse("orgs:password_change")


def test_every_second_factor_event_has_a_chinese_label():
    names = [v for k, v in vars(otp).items() if k.startswith("EVENT_OTP_")]
    assert len(names) == 6
    for event in names:
        assert EVENT_LABELS[event] != event


def test_the_figures_are_five_failures_and_ten_recovery_codes(settings):
    assert settings.UNIONPLAN_OTP_MAX_FAILURES == 5
    assert settings.UNIONPLAN_OTP_RECOVERY_CODES == 10


def test_a_recovery_code_made_on_the_server_lets_a_lone_security_administrator_back_in(
    client, security_admin
):
    TOTPDevice.objects.create(user=security_admin, name="丢失的手机", confirmed=True)
    out = io.StringIO()
    call_command("addstatictoken", "secadmin-test", stdout=out)
    login_post(client, "secadmin-test")
    response = client.post(VERIFY, {"code": out.getvalue().strip()})
    assert response["Location"] == reverse("home")
    assert client.get(ENROL).status_code == 200  # and sets up a new phone from there
