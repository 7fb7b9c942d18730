import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory
from orgs.tests.personas import PASSWORD, force_login_verified, login_post

LIST = reverse("orgs:user_list")
CREATE = reverse("orgs:user_create")


def user_url(name, user):
    return reverse(f"orgs:{name}", kwargs={"pk": user.pk})


@pytest.fixture
def sys_client(client, system_admin):
    force_login_verified(client, system_admin)
    return client


def test_the_list_filters_by_role_unit_and_state(sys_client, ruzhou_reporter, jiaxian_reporter):
    UserFactory(username="gone", is_active=False)
    ruzhou = Unit.objects.get(code="ruzhou")
    html = sys_client.get(LIST, {"unit": ruzhou.pk}).content.decode()
    assert "ruzhou-test" in html and "jiaxian-test" not in html
    html = sys_client.get(LIST, {"role": "unit_reporter"}).content.decode()
    assert "ruzhou-test" in html and "jiaxian-test" in html and "gone" not in html
    html = sys_client.get(LIST, {"active": "0"}).content.decode()
    assert "gone" in html and "ruzhou-test" not in html


def test_the_list_is_a_fixed_number_of_queries(sys_client, plan_2022):
    sys_client.get(LIST)
    UserFactory.create_batch(3, role=User.Role.UNIT_REPORTER, unit=Unit.objects.first())
    with CaptureQueriesContext(connection) as few:
        sys_client.get(LIST)
    units = Unit.objects.all()[:10]
    for unit in units:
        UserFactory.create_batch(4, role=User.Role.UNIT_REPORTER, unit=unit)
    with CaptureQueriesContext(connection) as many:
        html = sys_client.get(LIST).content.decode()
    assert len(many) == len(few)
    assert units[9].short_name in html


def test_creating_a_reporter_shows_a_temporary_password_once(sys_client, system_admin, plan_2022):
    ruzhou = Unit.objects.get(code="ruzhou")
    data = {
        "username": "wang",
        "display_name": "王五",
        "email": "wang@example.invalid",
        "role": "unit_reporter",
        "unit": ruzhou.pk,
    }
    response = sys_client.post(CREATE, data)
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    user = User.objects.get(username="wang")
    password = response.context["password"]
    assert password in response.content.decode() and user.check_password(password)
    assert user.unit == ruzhou and user.must_change_password and user.department is None
    entry = AuditEntry.objects.get(event="orgs.user.created")
    assert entry.actor_username == "sysadmin-test"
    assert entry.after["role"] == "unit_reporter" and entry.after["unit"] == "ruzhou"
    assert password not in str(entry.after)


def test_a_unit_role_needs_a_unit_and_department_staff_a_department(sys_client, plan_2022):
    html = sys_client.post(
        CREATE, {"username": "a", "display_name": "甲", "role": "unit_head"}
    ).content.decode()
    assert "单位填报员和单位负责人必须指定所属单位" in html
    html = sys_client.post(
        CREATE, {"username": "b", "display_name": "乙", "role": "department_staff"}
    ).content.decode()
    assert "部门工作人员必须指定所属部门" in html
    assert not User.objects.filter(username__in=["a", "b"]).exists()


def test_a_leader_gets_no_unit_even_if_one_is_sent(sys_client, plan_2022):
    unit = Unit.objects.get(code="ruzhou")
    sys_client.post(
        CREATE, {"username": "c", "display_name": "丙", "role": "leader", "unit": unit.pk}
    )
    assert User.objects.get(username="c").unit is None


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_the_system_administrator_cannot_create_an_administrator(sys_client, role):
    response = sys_client.post(CREATE, {"username": "boss", "display_name": "甲", "role": role})
    assert response.status_code == 200
    assert not User.objects.filter(username="boss").exists()


def test_a_taken_username_is_refused_in_chinese(sys_client, leader):
    html = sys_client.post(
        CREATE, {"username": "leader-test", "display_name": "甲", "role": "leader"}
    ).content.decode()
    assert "该用户名已被使用" in html


def test_a_username_differing_only_in_case_is_taken_too(sys_client, leader):
    html = sys_client.post(
        CREATE, {"username": "LEADER-Test", "display_name": "甲", "role": "leader"}
    ).content.decode()
    assert "该用户名已被使用（用户名不区分大小写）" in html
    assert not User.objects.filter(username="LEADER-Test").exists()


def test_editing_details_is_recorded_before_and_after(sys_client, leader):
    response = sys_client.post(
        user_url("user_edit", leader), {"display_name": "新名字", "email": "x@example.invalid"}
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.display_name == "新名字"
    entry = AuditEntry.objects.get(event="orgs.user.updated")
    assert entry.before["display_name"] != "新名字" and entry.after["display_name"] == "新名字"


def test_editing_does_not_change_role_or_unit(sys_client, ruzhou_reporter):
    sys_client.post(
        user_url("user_edit", ruzhou_reporter), {"display_name": "甲", "role": "leader", "unit": ""}
    )
    ruzhou_reporter.refresh_from_db()
    assert ruzhou_reporter.role == "unit_reporter" and ruzhou_reporter.unit.code == "ruzhou"


def test_disabling_and_enabling_a_user_is_recorded(sys_client, leader):
    other = Client()
    other.force_login(leader)
    sys_client.post(user_url("user_active_set", leader), {"active": "0"})
    leader.refresh_from_db()
    assert not leader.is_active
    assert other.get(reverse("plans:list")).status_code == 302  # their session has ended
    assert login_post(Client(), "leader-test").status_code == 200  # and no new one starts
    sys_client.post(user_url("user_active_set", leader), {"active": "1"})
    leader.refresh_from_db()
    assert leader.is_active
    assert [
        e.event for e in AuditEntry.objects.filter(event__startswith="orgs.user").order_by("id")
    ] == ["orgs.user.disabled", "orgs.user.enabled"]


def test_resetting_a_password_shows_it_once_and_ends_the_old_one(sys_client, leader):
    response = sys_client.post(user_url("user_password_reset", leader))
    password = response.context["password"]
    leader.refresh_from_db()
    assert leader.check_password(password) and not leader.check_password(PASSWORD)
    assert leader.must_change_password
    entry = AuditEntry.objects.get(event="orgs.user.password_reset")
    assert entry.object_id == str(leader.pk) and password not in str(entry.after)


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin"])
@pytest.mark.parametrize("name", ["user_edit", "user_active_set", "user_password_reset"])
def test_the_system_administrator_cannot_manage_another_administrator(
    sys_client, request, persona, name
):
    admin = request.getfixturevalue(persona)
    method = sys_client.get if name == "user_edit" else sys_client.post
    assert method(user_url(name, admin)).status_code == 403


def test_the_system_administrator_cannot_disable_or_reset_themself(sys_client, system_admin):
    assert sys_client.post(user_url("user_active_set", system_admin)).status_code == 403
    assert sys_client.post(user_url("user_password_reset", system_admin)).status_code == 403


def test_an_unknown_user_answers_404(sys_client):
    assert sys_client.get(reverse("orgs:user_edit", kwargs={"pk": 999999})).status_code == 404


def test_writes_need_post(sys_client, leader):
    assert sys_client.get(user_url("user_active_set", leader)).status_code == 405
    assert sys_client.get(user_url("user_password_reset", leader)).status_code == 405


def test_department_staff_keep_their_department(sys_client, plan_2022):
    department = Department.objects.first()
    sys_client.post(
        CREATE,
        {
            "username": "d",
            "display_name": "丁",
            "role": "department_staff",
            "department": department.pk,
        },
    )
    assert User.objects.get(username="d").department == department
