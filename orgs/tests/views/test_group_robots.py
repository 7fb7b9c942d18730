"""群机器人: the system administrator adds a 企业微信 or 钉钉 robot to a unit or a department,
sees only its address's host and a masked secret, sends a test message and sees how it went."""

# ruff: noqa: F811 - the fixture robot_server is imported by name

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from orgs import robot_selectors
from orgs.models import Department, GroupRobot, Unit, User
from orgs.robot_services import robot_create
from orgs.tests.factories import UserFactory, reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from orgs.tests.robots.server import robot_server  # noqa: F401

LIST = reverse("orgs:robot_list")
CREATE = reverse("orgs:robot_create")
SECRET = "SEC0123456789abcdef0123456789abcdef"


@pytest.fixture
def admin_client(client, system_admin, plan_2022):
    force_login_verified(client, system_admin)
    return client


def ruzhou_robot(admin, url, **kwargs):
    return robot_create(
        actor=admin, unit=Unit.objects.get(code="ruzhou"), webhook_url=url, **kwargs
    )


def test_the_administrator_adds_a_robot_and_sees_its_host_and_a_masked_secret_only(
    admin_client, system_admin
):
    ruzhou = Unit.objects.get(code="ruzhou")
    url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN-0123456789"
    response = admin_client.post(
        CREATE,
        {
            "target": f"unit:{ruzhou.pk}",
            "kind": "dingtalk",
            "name": "汝州市填报群",
            "webhook_url": url,
            "secret": SECRET,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    robot = GroupRobot.objects.get()
    assert robot.unit == ruzhou and robot.secret == SECRET and robot.federation_id
    html = admin_client.get(LIST).content.decode()
    assert "oapi.dingtalk.com" in html and "SEC****cdef" in html and "汝州市填报群" in html
    assert "TOKEN-0123456789" not in html and SECRET not in html
    edit = admin_client.get(reverse("orgs:robot_edit", args=[robot.pk])).content.decode()
    assert "TOKEN-0123456789" not in edit and SECRET not in edit
    entry = AuditEntry.objects.get(event="orgs.robot.created")
    assert entry.after["host"] == "oapi.dingtalk.com" and entry.after["secret"] == "SEC****cdef"
    assert "TOKEN" not in str(entry.after) and SECRET not in str(entry.after)


def test_an_address_that_is_not_https_is_refused_in_chinese_and_the_typing_is_kept(
    admin_client,
):
    labour = Department.objects.filter(name="劳动和经济工作部").order_by("pk").first()
    response = admin_client.post(
        CREATE,
        {
            "target": f"department:{labour.pk}",
            "kind": "wecom",
            "name": "劳动部工作群",
            "webhook_url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "只接受 https:// 开头的 Webhook 地址。" in html
    assert 'value="劳动部工作群"' in html and "http://qyapi.weixin.qq.com" in html
    assert not GroupRobot.objects.exists()


def test_editing_with_the_secret_left_empty_keeps_it_and_the_change_is_audited(
    admin_client, system_admin
):
    robot = ruzhou_robot(
        system_admin,
        "https://oapi.dingtalk.com/robot/send?access_token=t",
        kind="dingtalk",
        secret=SECRET,
    )
    response = admin_client.post(
        reverse("orgs:robot_edit", args=[robot.pk]),
        {"target": f"unit:{robot.unit_id}", "kind": "dingtalk", "name": "改名", "webhook_url": ""},
    )
    assert response.status_code == 302
    robot.refresh_from_db()
    assert robot.secret == SECRET and robot.name == "改名" and not robot.enabled
    assert robot.webhook_url.endswith("access_token=t")
    entry = AuditEntry.objects.get(event="orgs.robot.updated")
    assert entry.before["enabled"] is True and entry.after["enabled"] is False
    assert entry.after["secret"] == "SEC****cdef"


def test_a_test_message_reaches_the_robot_and_the_page_shows_the_success(
    admin_client,
    system_admin,
    robot_server,
):
    robot = ruzhou_robot(system_admin, robot_server.url(), kind="wecom")
    response = admin_client.post(reverse("orgs:robot_test", args=[robot.pk]), follow=True)
    html = response.content.decode()
    assert "测试消息已发送" in html and "成功：" in html
    [got] = robot_server.received
    assert got.body["msgtype"] == "text" and "汝州市的群机器人已接通" in got.body["text"]["content"]
    assert got.query == {"key": "KEY-abc123"}


def test_a_robot_refusing_the_test_message_shows_its_error_code_on_the_page(
    admin_client,
    system_admin,
    robot_server,
):
    robot_server.reply = {"errcode": 310000, "errmsg": "sign not match"}
    robot = ruzhou_robot(
        system_admin, robot_server.url("/robot/send?access_token=t"), kind="dingtalk", secret=SECRET
    )
    response = admin_client.post(reverse("orgs:robot_test", args=[robot.pk]), follow=True)
    html = response.content.decode()
    assert "测试消息发送失败：错误码 310000：sign not match" in html
    assert "出错：" in html
    entry = AuditEntry.objects.get(event="orgs.robot.tested")
    assert entry.after == {
        "host": "127.0.0.1",
        "ok": False,
        "error": "错误码 310000：sign not match",
    }


def test_only_the_federations_system_administrator_manages_its_robots(
    client, system_admin, plan_2022
):
    robot = ruzhou_robot(system_admin, "https://qyapi.weixin.qq.com/x?key=k", kind="wecom")
    edit = reverse("orgs:robot_edit", args=[robot.pk])
    for other in (
        reporter_of("ruzhou", username="robot-reporter"),
        staff_of("劳动和经济工作部", username="robot-staff"),
        UserFactory(username="robot-sec", role=User.Role.SECURITY_ADMIN),
    ):
        force_login_verified(client, other)
        assert client.get(LIST).status_code == 403
        assert client.get(edit).status_code == 403
    elsewhere = Unit.objects.create(
        code="robot-city", name="某市总工会", short_name="某市", kind="city"
    )
    elsewhere.federation = elsewhere
    elsewhere.save()
    foreign_admin = UserFactory(
        username="robot-sys2", role=User.Role.SYSTEM_ADMIN, federation=elsewhere
    )
    force_login_verified(client, foreign_admin)
    assert client.get(edit).status_code == 404
    assert client.post(reverse("orgs:robot_delete", args=[robot.pk])).status_code == 404
    assert edit not in client.get(LIST).content.decode()
    # Nor can the other federation's administrator aim a robot at this federation's unit.
    response = client.post(
        CREATE,
        {"target": f"unit:{robot.unit_id}", "kind": "wecom", "webhook_url": "https://a.invalid/"},
    )
    assert response.status_code == 200 and "请选择一个单位或一个部门。" in response.content.decode()
    assert GroupRobot.objects.count() == 1


def test_deleting_a_robot_is_audited(admin_client, system_admin):
    robot = ruzhou_robot(system_admin, "https://qyapi.weixin.qq.com/x?key=k", kind="wecom")
    response = admin_client.post(reverse("orgs:robot_delete", args=[robot.pk]))
    assert response.status_code == 302 and not GroupRobot.objects.exists()
    entry = AuditEntry.objects.get(event="orgs.robot.deleted")
    assert entry.before["host"] == "qyapi.weixin.qq.com" and entry.before["unit"] == "ruzhou"


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_is_one_query_whatever_the_number_of_robots(
    system_admin, plan_2022, django_assert_num_queries, count
):
    units = list(Unit.objects.filter(federation=system_admin.federation)[:count])
    for unit in units:
        robot_create(actor=system_admin, unit=unit, kind="wecom", webhook_url="https://a.invalid/")
    with django_assert_num_queries(1):
        robots = robot_selectors.robot_list(actor=system_admin)
    with django_assert_num_queries(0):
        assert [r.unit.short_name for r in robots] == [u.short_name for u in units]
