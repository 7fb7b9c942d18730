"""Every workflow step's notification also goes by e-mail, once the step has committed, to the
people it tells who have an address; a failing mail server never undoes the step."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from orgs.tests.factories import head_of, reporter_of, staff_of
from reporting import services
from reporting.models import Notification, Report
from reporting.services import ValueInput
from reporting.services.notifications import deliveries_held

SITE = "https://unionplan.example.invalid"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


@pytest.fixture
def people(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    settings.UNIONPLAN_SITE_URL = SITE
    return {
        "reporter": reporter_of("ruzhou", username="mail-reporter", email="rep@ruzhou.invalid"),
        "head": head_of("ruzhou", username="mail-head", email="head@ruzhou.invalid"),
        "staff": staff_of("劳动和经济工作部", username="mail-staff", email="staff@labour.invalid"),
        "other_staff": staff_of("组织部", username="mail-org", email="staff@org.invalid"),
        "other_reporter": reporter_of("jiaxian", username="mail-jx", email="rep@jiaxian.invalid"),
    }


@pytest.fixture
def step(django_capture_on_commit_callbacks, mailoutbox):
    """Take one step as a request would (its transaction commits); the mails it sent."""

    def take(service, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        return result, {tuple(m.to): m for m in mailoutbox}

    return take


def submitted(people, may_reform, step):
    values = [ValueInput(i.pk, "5") for i in may_reform.indicators.all()]
    report, _ = step(
        services.report_submit,
        report=Report(obligation=may_reform),
        actor=people["reporter"],
        version=1,
        values=values,
    )
    return report


def confirmed(people, may_reform, step):
    report = submitted(people, may_reform, step)
    report, _ = step(
        services.report_confirm, report=report, actor=people["head"], version=report.version
    )
    return report


def test_submitting_mails_the_unit_head_only(people, may_reform, step):
    values = [ValueInput(i.pk, "5") for i in may_reform.indicators.all()]
    _, mails = step(
        services.report_submit,
        report=Report(obligation=may_reform),
        actor=people["reporter"],
        version=1,
        values=values,
    )
    assert set(mails) == {("head@ruzhou.invalid",)}
    mail = mails[("head@ruzhou.invalid",)]
    assert mail.subject.startswith("〔工会专案通〕汝州市：专案3「")
    assert "已提交，请确认并报送市总。" in mail.body
    assert f"{SITE}/reporting/obligations/{may_reform.pk}/" in mail.body


def test_with_deliveries_held_a_step_notifies_in_the_bell_and_mails_no_one(
    people, may_reform, step, mailoutbox
):
    with deliveries_held():
        submitted(people, may_reform, step)
    assert mailoutbox == []
    assert Notification.objects.filter(user=people["head"]).exists()


def test_confirming_mails_the_reviewing_department_only(people, may_reform, step):
    report = submitted(people, may_reform, step)
    _, mails = step(
        services.report_confirm, report=report, actor=people["head"], version=report.version
    )
    assert set(mails) == {("staff@labour.invalid",)}
    assert "请审核" in mails[("staff@labour.invalid",)].body


def test_returning_mails_the_units_people_with_the_reason(people, may_reform, step):
    report = confirmed(people, may_reform, step)
    _, mails = step(
        services.report_return,
        report=report,
        reviewer=people["staff"],
        version=report.version,
        reason="请附签到表\n并写明场次",
    )
    assert set(mails) == {("rep@ruzhou.invalid",), ("head@ruzhou.invalid",)}
    body = mails[("rep@ruzhou.invalid",)].body
    assert "退回原因：请附签到表\n并写明场次" in body
    assert "\n" not in mails[("rep@ruzhou.invalid",)].subject


def test_sending_back_mails_the_reporter_with_the_reason(people, may_reform, step):
    report = submitted(people, may_reform, step)
    _, mails = step(
        services.report_send_back,
        report=report,
        actor=people["head"],
        version=report.version,
        reason="数字有误",
    )
    assert set(mails) == {("rep@ruzhou.invalid",)}
    assert "退回原因：数字有误" in mails[("rep@ruzhou.invalid",)].body


def test_approving_mails_the_units_people_only(people, may_reform, step):
    report = confirmed(people, may_reform, step)
    _, mails = step(
        services.report_approve, report=report, reviewer=people["staff"], version=report.version
    )
    assert set(mails) == {("rep@ruzhou.invalid",), ("head@ruzhou.invalid",)}
    assert "已审核通过" in mails[("head@ruzhou.invalid",)].body


def test_a_step_whose_transaction_fails_mails_no_one(
    people, may_reform, step, monkeypatch, mailoutbox
):
    report = confirmed(people, may_reform, step)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reporting.services.reports.official_values_record", broken)
    with pytest.raises(RuntimeError):
        step(
            services.report_approve,
            report=report,
            reviewer=people["staff"],
            version=report.version,
        )
    assert mailoutbox == []
    report.refresh_from_db()
    assert report.status == Report.Status.CONFIRMED
    assert not Notification.objects.filter(message__contains="已审核通过").exists()


def test_a_mail_server_that_fails_leaves_the_step_done_and_the_bell_told(
    people, may_reform, step, settings, caplog
):
    report = confirmed(people, may_reform, step)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    report, mails = step(
        services.report_approve, report=report, reviewer=people["staff"], version=report.version
    )
    assert mails == {}
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert Notification.objects.filter(
        user=people["reporter"], message__contains="已审核通过"
    ).exists()
    assert "通知邮件发送失败" in caplog.text


def test_people_without_an_address_get_the_bell_only(people, may_reform, step):
    people["head"].email = ""
    people["head"].save()
    report = confirmed(people, may_reform, step)
    _, mails = step(
        services.report_return,
        report=report,
        reviewer=people["staff"],
        version=report.version,
        reason="补充材料",
    )
    assert set(mails) == {("rep@ruzhou.invalid",)}
    assert Notification.objects.filter(user=people["head"], message__contains="补充材料").exists()
