from django.core import mail
from django.core.management import call_command

from reporting.models import Notification, ReminderLog


def test_dry_run_lists_one_line_per_unit_and_obligation_and_sends_nothing(
    plan_2022, ruzhou_reporter, settings, capsys
):
    settings.UNIONPLAN_TODAY = "2022-05-03"
    call_command("remind", "--days", "3", "--dry-run")
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "\t" in line]
    assert any(line.startswith("汝州市\t即将到期\t截止 2022-05-05") for line in lines)
    assert len(lines) == len(set(lines))
    assert not ReminderLog.objects.exists() and not mail.outbox


def test_reminders_are_sent_once_per_obligation_and_day(
    plan_2022, ruzhou_reporter, settings, capsys, django_capture_on_commit_callbacks
):
    settings.UNIONPLAN_TODAY = "2022-05-03"
    settings.UNIONPLAN_SITE_URL = "https://unionplan.example.invalid"
    ruzhou_reporter.email = "ruzhou@example.invalid"
    ruzhou_reporter.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--days", "3")
    sent = ReminderLog.objects.count()
    assert sent > 0
    assert Notification.objects.filter(user=ruzhou_reporter).exists()
    # Dates written as the notice writes them: 2022年5月5日, not 2022年05月05日.
    assert Notification.objects.filter(
        user=ruzhou_reporter, message__contains="2022年5月5日"
    ).exists()
    [first, *_] = [m for m in mail.outbox if m.to == ["ruzhou@example.invalid"]]
    assert first.subject.startswith(("〔工会专案通〕【提醒】", "〔工会专案通〕【逾期】"))
    assert "https://unionplan.example.invalid/reporting/obligations/" in first.body
    mails = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--days", "3")
    assert ReminderLog.objects.count() == sent
    assert len(mail.outbox) == mails
    assert "已发送 0 条提醒" in capsys.readouterr().out.splitlines()[-1]


def test_overdue_reminders_reach_the_unit_head_too(
    plan_2022, ruzhou_reporter, ruzhou_head, settings
):
    settings.UNIONPLAN_TODAY = "2022-05-10"
    call_command("remind", "--days", "0")
    assert Notification.objects.filter(user=ruzhou_head, message__startswith="【逾期】").exists()


def test_the_header_shows_unread_notifications(client, plan_2022, ruzhou_reporter, settings):
    settings.UNIONPLAN_TODAY = "2022-05-03"
    call_command("remind", "--days", "3")
    client.force_login(ruzhou_reporter)
    unread = Notification.objects.filter(user=ruzhou_reporter).count()
    page = client.get("/reporting/notifications/").content.decode()
    assert f'id="unread-count">{unread}<' in page
