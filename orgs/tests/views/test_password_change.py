import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from demo.accounts import DEMO_PASSWORD, demo_accounts_create
from orgs.models import User
from orgs.services import user_create, user_password_reset
from orgs.tests.factories import UserFactory
from orgs.tests.personas import PASSWORD, is_logged_in, login_post

CHANGE_URL = reverse("orgs:password_change")
NEW = "Xinmima#2026"


def change(client, old=PASSWORD, new=NEW, again=None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(CHANGE_URL, data)


def test_the_change_page_is_in_chinese(client, leader):
    client.force_login(leader)
    html = client.get(CHANGE_URL).content.decode()
    assert "修改密码" in html and "当前密码" in html and "再次输入新密码" in html


def test_a_user_changes_their_password_and_it_is_on_record(client, leader):
    client.force_login(leader)
    response = change(client)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    leader.refresh_from_db()
    assert leader.check_password(NEW)
    assert leader.password_changed_at is not None and not leader.must_change_password
    entry = AuditEntry.objects.get(event="auth.password.changed")
    assert entry.actor_username == "leader-test" and entry.object_id == str(leader.pk)
    assert NEW not in str(entry.before) + str(entry.after) + entry.reason


def test_a_wrong_current_password_or_a_weak_new_one_is_refused_in_chinese(client, leader):
    client.force_login(leader)
    assert "当前密码不正确" in change(client, old="Wrong@pass1").content.decode()
    assert "至少 3 类" in change(client, new="gonghuiwork").content.decode()
    assert "两次输入的新密码不一致" in change(client, again="Other#2026x").content.decode()
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def test_changing_the_password_ends_the_users_other_sessions_but_not_this_one(client, leader):
    other = Client()
    other.force_login(leader)
    client.force_login(leader)
    change(client)
    assert client.get(reverse("home")).status_code == 302  # home → overview: still logged in
    assert is_logged_in(client)
    response = other.get(reverse("plans:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("path", [reverse("home"), reverse("plans:list"), "/accounts/users/"])
def test_a_user_who_must_change_their_password_is_sent_to_the_change_page(client, db, path):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == CHANGE_URL
    page = client.get(CHANGE_URL)
    assert page.status_code == 200 and "请先修改密码" in page.content.decode()


def test_the_change_page_logout_and_static_files_stay_open_before_the_change(client, db):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    # A static path that WhiteNoise does not serve reaches the middleware: let through (404),
    # not sent to the change page.
    assert client.get("/static/no-such-file.css").status_code == 404
    assert client.post(reverse("logout")).status_code == 302
    assert not is_logged_in(client)


def test_after_the_change_the_user_may_go_anywhere(client, db):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    change(client)
    assert client.get(reverse("plans:list")).status_code == 200


def test_a_password_older_than_ninety_days_must_be_changed(client, db):
    user = UserFactory(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(user)
    response = client.get(reverse("plans:list"))
    assert response["Location"] == CHANGE_URL
    assert "90 天" in client.get(CHANGE_URL).content.decode()


def test_a_password_eighty_nine_days_old_need_not_be_changed(client, db):
    user = UserFactory(password_changed_at=timezone.now() - dt.timedelta(days=89))
    client.force_login(user)
    assert client.get(reverse("plans:list")).status_code == 200


def test_an_account_never_changed_counts_from_when_it_was_made(client, db):
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=120))
    client.force_login(user)
    assert client.get(reverse("plans:list"))["Location"] == CHANGE_URL


def test_a_new_account_must_change_its_password_at_first_login(client, system_admin):
    user, password = user_create(
        actor=system_admin,
        username="wang",
        display_name="王五",
        email="",
        role=User.Role.LEADER,
    )
    response = login_post(client, "wang", password, follow=True)
    assert response.redirect_chain[-1][0] == CHANGE_URL
    change(client, old=password)
    assert client.get(reverse("plans:list")).status_code == 200


def test_after_an_administrators_reset_the_user_must_change_their_password(
    client, system_admin, leader
):
    password = user_password_reset(actor=system_admin, user=leader)
    assert login_post(client, "leader-test", PASSWORD).status_code != 302
    response = login_post(client, "leader-test", password, follow=True)
    assert response.redirect_chain[-1][0] == CHANGE_URL


def test_a_demo_account_cannot_change_back_to_the_printed_password(client, plan_2022, settings):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = True
    demo_accounts_create(plan=plan_2022)
    assert login_post(client, "ruzhou", DEMO_PASSWORD).status_code == 302
    assert change(client, old=DEMO_PASSWORD).status_code == 302
    response = change(client, old=NEW, new=DEMO_PASSWORD)
    assert "不能使用最近 5 次用过的密码。" in response.content.decode()
    assert User.objects.get(username="ruzhou").check_password(NEW)
