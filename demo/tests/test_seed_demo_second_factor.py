import datetime as dt

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from demo.accounts import DEMO_OTP_KEY, DEMO_PASSWORD, demo_accounts_create
from orgs.otp import otp_secret_text
from orgs.tests.personas import login_post, totp_code

ADMINISTRATORS = {"sysadmin", "secadmin", "auditadmin"}


def test_in_development_the_demo_administrators_share_the_printed_authenticator(
    plan_2022, settings
):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = False
    accounts = demo_accounts_create(plan=plan_2022)
    secrets = {a.username: a.otp_secret for a in accounts if a.otp_secret}
    assert set(secrets) == ADMINISTRATORS
    assert set(secrets.values()) == {otp_secret_text(DEMO_OTP_KEY)}
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert {d.user.username for d in devices} == ADMINISTRATORS
    assert {d.key for d in devices} == {DEMO_OTP_KEY}
    demo_accounts_create(plan=plan_2022)  # again: nothing changes, nothing more on record
    assert AuditEntry.objects.filter(event="orgs.otp.enrolled").count() == 3


def test_a_demo_administrator_logs_in_with_the_printed_password_and_a_code(
    client, plan_2022, settings
):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = False
    demo_accounts_create(plan=plan_2022)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC), tick=False):
        response = login_post(client, "sysadmin", DEMO_PASSWORD, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("orgs:otp_verify"))
        client.post(reverse("orgs:otp_verify"), {"code": totp_code(DEMO_OTP_KEY)})
        assert client.get(reverse("orgs:user_list")).status_code == 200


def test_with_the_production_rule_the_demo_administrators_set_up_their_own(plan_2022, settings):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = True
    accounts = demo_accounts_create(plan=plan_2022)
    assert not any(a.otp_secret for a in accounts)
    assert not TOTPDevice.objects.exists()


def test_seed_demo_prints_the_demo_secret_in_development(db, settings, capsys):
    settings.DEBUG = True
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = False
    call_command("seed_demo")
    assert otp_secret_text(DEMO_OTP_KEY) in capsys.readouterr().out
