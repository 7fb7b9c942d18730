"""Notifications reach the 企业微信 / 钉钉 group robots of the unit or department they tell, once
the step commits: one text message per robot and event, with no personal data, and a robot
that fails never fails the step (a fake robot server on 127.0.0.1 stands in for both)."""

# ruff: noqa: F811 - the fixtures robot_server and system_admin are imported by name

import base64
import hashlib
import hmac

import pytest
from django.core.management import call_command
from django.urls import reverse

from orgs.models import Department, GroupRobot, Unit
from orgs.robot_services import robot_create
from orgs.tests.factories import head_of, reporter_of, staff_of
from orgs.tests.personas import force_login_verified, system_admin  # noqa: F401
from orgs.tests.robots.server import robot_server  # noqa: F401
from reporting import services
from reporting.models import Notification, ReminderLog, Report
from reporting.services import ValueInput

SITE = "https://unionplan.example.invalid"
SECRET = "SECfedcba9876543210fedcba9876543210"


@pytest.fixture
def people(plan_2022, settings, system_admin):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    settings.UNIONPLAN_SITE_URL = SITE
    return {
        "reporter": reporter_of("ruzhou", username="bot-rep", display_name="王小明"),
        "head": head_of("ruzhou", username="bot-head", display_name="李大红"),
        "staff": staff_of("劳动和经济工作部", username="bot-staff", display_name="赵审核"),
        "admin": system_admin,
    }


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    def take(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return take


def robot_for(people, url, *, unit="ruzhou", department=None, **kwargs):
    if department:
        target = {"department": Department.objects.filter(name=department).order_by("pk")[0]}
    else:
        target = {"unit": Unit.objects.get(code=unit)}
    kwargs.setdefault("kind", "wecom")
    return robot_create(actor=people["admin"], webhook_url=url, **target, **kwargs)


def confirmed(people, obligation, step):
    values = [ValueInput(i.pk, "5") for i in obligation.indicators.all()]
    report = step(
        services.report_submit,
        report=Report(obligation=obligation),
        actor=people["reporter"],
        version=1,
        values=values,
    )
    return step(
        services.report_confirm, report=report, actor=people["head"], version=report.version
    )


def test_a_returned_report_posts_one_text_to_the_units_robot_without_personal_data(
    people,
    may_reform,
    step,
    robot_server,
):
    report = confirmed(people, may_reform, step)
    robot_for(people, robot_server.url())
    robot_for(people, robot_server.url("/jiaxian?key=other"), unit="jiaxian")
    step(
        services.report_return,
        report=report,
        reviewer=people["staff"],
        version=report.version,
        reason="请王小明补签到表，电话13812345678",
    )
    # The reporter and the head are both told: the group hears it once.
    assert Notification.objects.filter(message__contains="被退回修改").count() == 2
    [got] = robot_server.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": "KEY-abc123"}
    assert got.content_type.startswith("application/json")
    assert set(got.body) == {"msgtype", "text"} and got.body["msgtype"] == "text"
    text = got.body["text"]["content"]
    assert text.startswith("【工会专案通】汝州市：专案3「")
    assert "被退回修改，原因：请登录系统查看" in text
    assert f"{SITE}/reporting/obligations/{may_reform.pk}/" in text
    for personal in ("王小明", "李大红", "赵审核", "13812345678", "签到表"):
        assert personal not in text
    robot = GroupRobot.objects.get(unit__code="ruzhou")
    assert robot.last_success_at is not None and robot.last_error == ""


def test_a_confirmed_report_posts_to_the_reviewing_departments_robot(
    people,
    may_reform,
    step,
    robot_server,
):
    robot_for(people, robot_server.url("/labour?key=l"), department="劳动和经济工作部")
    robot_for(people, robot_server.url("/org?key=o"), department="组织部")
    confirmed(people, may_reform, step)
    [got] = robot_server.received
    assert got.path == "/labour"
    assert got.body["text"]["content"].startswith("【工会专案通】汝州市：专案3「")
    assert "请审核" in got.body["text"]["content"]


def test_a_dingtalk_robot_with_a_secret_gets_the_signature_dingtalk_documents(
    people,
    may_reform,
    step,
    robot_server,
):
    robot_for(
        people, robot_server.url("/robot/send?access_token=T"), kind="dingtalk", secret=SECRET
    )
    confirmed(people, may_reform, step)
    [got] = robot_server.received  # submitting tells the head: the unit's robot
    timestamp = got.query["timestamp"]
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    # parse_qs has already decoded the url-encoded signature.
    assert got.query["sign"] == base64.b64encode(digest).decode()
    assert got.query["access_token"] == "T"
    assert (
        got.body["msgtype"] == "text" and "已提交，请确认并报送市总" in got.body["text"]["content"]
    )


@pytest.mark.parametrize(
    ("status", "reply", "error"),
    [
        (500, {"errcode": -1, "errmsg": "busy"}, "机器人服务器返回 HTTP 500"),
        (200, {"errcode": 310000, "errmsg": "keywords not in content"}, "错误码 310000"),
    ],
)
def test_a_failing_robot_leaves_the_step_done_and_shows_the_error_to_the_administrator(
    people,
    may_reform,
    step,
    robot_server,
    client,
    caplog,
    status,
    reply,
    error,
):
    robot_server.status, robot_server.reply = status, reply
    robot_for(people, robot_server.url())
    report = confirmed(people, may_reform, step)
    report = step(
        services.report_approve, report=report, reviewer=people["staff"], version=report.version
    )
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert Notification.objects.filter(message__contains="已审核通过").exists()
    assert "群机器人" in caplog.text and "KEY-abc123" not in caplog.text
    force_login_verified(client, people["admin"])
    html = client.get(reverse("orgs:robot_list")).content.decode()
    assert "出错：" in html and error in html


def test_reminders_post_to_the_units_robot_once_per_reminder(
    people,
    settings,
    robot_server,
    django_capture_on_commit_callbacks,
):
    settings.UNIONPLAN_TODAY = "2022-05-03"
    robot_for(people, robot_server.url())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--days", "3")
    sent = ReminderLog.objects.filter(obligation__unit__code="ruzhou").count()
    assert sent > 0
    texts = robot_server.texts()
    assert len(texts) == sent
    assert all(
        t.startswith(("【工会专案通】汝州市：【提醒】", "【工会专案通】汝州市：【逾期】"))
        for t in texts
    )
    assert all(f"{SITE}/" in t for t in texts)


def test_a_disabled_robot_is_left_alone(people, may_reform, step, robot_server):
    robot_for(people, robot_server.url(), enabled=False)
    confirmed(people, may_reform, step)
    assert robot_server.received == []
