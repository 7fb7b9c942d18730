"""发送催报提醒 from the chase page: a job (jobs/) sending what `remind` would, for the plan's
obligations of the staff member's programmes, once per obligation, kind and day."""

import datetime as dt

from django.urls import reverse

from jobs.models import Job
from plans.lifecycle import plan_status_set
from plans.models import Plan
from reporting.models import ReminderLog
from reporting.services import reminders_due

SLUG = "pingdingshan-2022"
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = dt.date(2022, 5, 3)


def _remind(client):
    return client.post(reverse("reporting:chase_remind", args=[SLUG]), **HTMX)


def test_the_run_reminds_of_the_staff_members_programmes_and_shows_the_count(
    client, plan_2022, labour_staff, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = TODAY.isoformat()
    client.force_login(labour_staff)
    assert (
        'id="remind-form"' in client.get(reverse("reporting:chase", args=[SLUG])).content.decode()
    )
    due = reminders_due(today=TODAY, days=3)
    ours = {
        r.obligation.pk
        for r in due
        if labour_staff.department in r.obligation.programme.departments.all()
    }
    assert ours and len(ours) < len(due)

    html = _remind(client).content.decode()

    job = Job.objects.get(started_by=labour_staff)
    assert job.status == Job.Status.DONE and job.plan == plan_2022
    assert f"已发送 {len(ours)} 条提醒。" in html
    sent = set(ReminderLog.objects.filter(sent_on=TODAY).values_list("obligation_id", flat=True))
    assert sent == ours


def test_a_second_run_the_same_day_sends_nothing_again(
    client, plan_2022, labour_staff, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = TODAY.isoformat()
    client.force_login(labour_staff)
    _remind(client)
    logged = ReminderLog.objects.count()
    assert "没有需要提醒的报送事项。" in _remind(client).content.decode()
    assert ReminderLog.objects.count() == logged


def test_a_closed_plan_sends_no_reminders(client, plan_2022, labour_staff, settings):
    settings.UNIONPLAN_TODAY = TODAY.isoformat()
    plan_status_set(plan=plan_2022, status=Plan.Status.CLOSED)
    client.force_login(labour_staff)
    response = client.post(reverse("reporting:chase_remind", args=[SLUG]), follow=True)
    assert "已结束" in response.content.decode()
    assert not Job.objects.filter(started_by=labour_staff).exists()
    assert 'id="remind-form"' not in response.content.decode()


def test_leaders_read_the_chase_page_but_send_nothing(client, plan_2022, leader):
    client.force_login(leader)
    assert (
        'id="remind-form"'
        not in client.get(reverse("reporting:chase", args=[SLUG])).content.decode()
    )
    assert _remind(client).status_code == 403
