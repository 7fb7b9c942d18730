import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory
from orgs.tests.personas import force_login_verified, login_post


def role_url(user):
    return reverse("orgs:role_change", kwargs={"pk": user.pk})


@pytest.fixture
def sec_client(client, security_admin):
    force_login_verified(client, security_admin)
    return client


def test_a_reporter_becomes_department_staff_and_loses_the_unit(sec_client, ruzhou_reporter):
    department = Department.objects.get(name="劳动和经济工作部")
    data = {
        "role": "department_staff",
        "department": department.pk,
        "unit": ruzhou_reporter.unit_id,
    }
    assert sec_client.post(role_url(ruzhou_reporter), data).status_code == 302
    ruzhou_reporter.refresh_from_db()
    assert ruzhou_reporter.role == "department_staff"
    assert ruzhou_reporter.department == department and ruzhou_reporter.unit is None
    entry = AuditEntry.objects.get(event="orgs.user.role_changed")
    assert entry.actor_username == "secadmin-test"
    assert entry.before["role"] == "unit_reporter" and entry.before["unit"] == "ruzhou"
    assert entry.after["role"] == "department_staff" and entry.after["unit"] is None


def test_a_leader_becomes_a_unit_head_only_with_a_unit(sec_client, leader, plan_2022):
    html = sec_client.post(role_url(leader), {"role": "unit_head"}).content.decode()
    assert "单位填报员和单位负责人必须指定所属单位" in html
    unit = Unit.objects.get(code="jiaxian")
    sec_client.post(role_url(leader), {"role": "unit_head", "unit": unit.pk})
    leader.refresh_from_db()
    assert leader.role == "unit_head" and leader.unit == unit


def test_no_one_is_made_an_administrator_here(sec_client, leader):
    html = sec_client.get(role_url(leader)).content.decode()
    assert 'value="audit_admin"' not in html and 'value="system_admin"' not in html
    sec_client.post(role_url(leader), {"role": "audit_admin"})
    leader.refresh_from_db()
    assert leader.role == "leader"


@pytest.mark.parametrize("persona", ["system_admin", "audit_admin", "security_admin"])
def test_an_administrators_role_cannot_be_changed_here(sec_client, request, persona):
    admin = request.getfixturevalue(persona)
    assert sec_client.post(role_url(admin), {"role": "leader"}).status_code == 403
    admin.refresh_from_db()
    assert admin.role == persona


def test_the_security_administrator_unlocks_a_locked_account(sec_client, db):
    UserFactory(username="zhang")
    visitor = Client()
    for _ in range(5):
        login_post(visitor, "zhang", "wrong-Password1")
    assert login_post(visitor, "zhang").status_code == 429
    html = sec_client.get(reverse("orgs:locked_list")).content.decode()
    assert "zhang" in html
    response = sec_client.post(reverse("orgs:account_unlock"), {"username": "zhang"}, follow=True)
    assert "已解除账号 zhang 的锁定。" in response.content.decode()
    assert response.context["accounts"] == []
    assert login_post(visitor, "zhang").status_code == 302
    entry = AuditEntry.objects.get(event="auth.account.unlocked")
    assert entry.actor_username == "secadmin-test" and entry.after["username"] == "zhang"


def test_unlocking_a_username_from_one_address_leaves_its_lock_elsewhere(sec_client, db):
    UserFactory(username="zhang")
    typist, attacker = Client(REMOTE_ADDR="10.20.0.15"), Client(REMOTE_ADDR="198.51.100.7")
    for visitor in (typist, attacker):
        for _ in range(5):
            login_post(visitor, "zhang", "wrong-Password1")
    accounts = sec_client.get(reverse("orgs:locked_list")).context["accounts"]
    assert {(a.username, a.ip_address) for a in accounts} == {
        ("zhang", "10.20.0.15"),
        ("zhang", "198.51.100.7"),
    }
    assert "10.20.0.15" in sec_client.get(reverse("orgs:locked_list")).content.decode()
    data = {"username": "zhang", "ip_address": "10.20.0.15"}
    response = sec_client.post(reverse("orgs:account_unlock"), data, follow=True)
    assert "已解除账号 zhang（来源地址 10.20.0.15）的锁定。" in response.content.decode()
    assert login_post(typist, "zhang").status_code == 302
    assert login_post(attacker, "zhang").status_code == 429
    entry = AuditEntry.objects.get(event="auth.account.unlocked")
    assert entry.after == {"username": "zhang", "ip_address": "10.20.0.15", "cleared": 1}


def test_the_security_administrator_unlocks_an_address_that_sprayed(sec_client, db):
    UserFactory(username="zhang")
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(10):
        for _ in range(3):
            login_post(sprayer, f"unit{i}", "wrong-Password1")
    assert login_post(sprayer, "zhang").status_code == 429
    (lock,) = sec_client.get(reverse("orgs:locked_list")).context["accounts"]
    assert (lock.username, lock.ip_address, lock.failures) == ("", "198.51.100.7", 30)
    data = {"ip_address": "198.51.100.7"}
    response = sec_client.post(reverse("orgs:account_unlock"), data, follow=True)
    assert "已解除地址 198.51.100.7 的锁定。" in response.content.decode()
    assert login_post(sprayer, "zhang").status_code == 302


def test_an_unlock_naming_nothing_or_a_bad_address_clears_nothing(sec_client, db):
    UserFactory(username="zhang")
    visitor = Client()
    for _ in range(5):
        login_post(visitor, "zhang", "wrong-Password1")
    for data in ({}, {"username": ""}, {"ip_address": "not-an-address"}):
        assert sec_client.post(reverse("orgs:account_unlock"), data).status_code == 302
    assert login_post(visitor, "zhang").status_code == 429
    assert not AuditEntry.objects.filter(event="auth.account.unlocked").exists()


def test_an_account_with_four_failures_is_not_listed_as_locked(sec_client, db):
    UserFactory(username="zhang")
    for _ in range(4):
        login_post(Client(), "zhang", "wrong-Password1")
    assert "zhang" not in sec_client.get(reverse("orgs:locked_list")).content.decode()


def test_the_policy_page_shows_the_figures_in_force(sec_client, settings):
    html = sec_client.get(reverse("orgs:policy")).content.decode()
    for figure in [
        "8 至 128 个字符",
        "四类中至少 3 类",
        "5 次",
        "同一来源地址累计失败锁定（不分用户名）",
        "30 次",
        "90 天",
        "30 分钟",
        "15 分钟",
        "12 小时",
        "frame-ancestors",
    ]:
        assert figure in html, figure
    assert settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1] in html
    settings.AXES_FAILURE_LIMIT = 7
    assert "7 次" in sec_client.get(reverse("orgs:policy")).content.decode()


def test_unlock_needs_post(sec_client):
    assert sec_client.get(reverse("orgs:account_unlock")).status_code == 405


def test_a_role_change_with_nothing_changed_writes_no_entry(sec_client, leader):
    sec_client.post(role_url(leader), {"role": "leader"})
    assert not AuditEntry.objects.filter(event="orgs.user.role_changed").exists()
    assert User.objects.get(pk=leader.pk).role == "leader"
