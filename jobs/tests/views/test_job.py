import pytest
from django.urls import reverse

from audit.models import AuditEntry
from jobs.models import Job
from jobs.runner import FAILED
from jobs.services import job_begin, job_enqueue, job_progress
from jobs.tests import tasks
from orgs.tests.factories import UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def start(plan_2022):
    def start(actor, task=tasks.file_made, plan=plan_2022):
        return job_enqueue(actor=actor, kind=Job.Kind.BULLETIN, task=task, plan=plan)

    return start


def test_a_queued_job_says_it_waits_and_polls_every_two_seconds(client, leader, start, queue_kept):
    job = start(leader)
    client.force_login(leader)
    html = client.get(reverse("jobs:job", args=[job.pk]), **HTMX).content.decode()
    assert "排队中" in html and "等待后台任务进程处理" in html
    assert 'hx-trigger="every 2s"' in html and "<html" not in html


def test_a_running_job_shows_its_step_and_how_far_it_has_got(client, leader, start, queue_kept):
    job = start(leader)
    job_progress(job=job_begin(job_id=job.pk), done=3, total=8, stage="正在发送催报提醒")
    client.force_login(leader)
    html = client.get(reverse("jobs:job", args=[job.pk]), **HTMX).content.decode()
    assert "进行中" in html and "正在发送催报提醒（3/8）" in html
    assert 'max="8" value="3"' in html and 'hx-trigger="every 2s"' in html


def test_a_finished_job_stops_polling_and_offers_its_file(client, leader, start):
    job = start(leader)
    client.force_login(leader)
    html = client.get(reverse("jobs:job", args=[job.pk]), **HTMX).content.decode()
    assert "已完成" in html and "文件已生成。" in html and "hx-trigger" not in html
    assert reverse("jobs:download", args=[job.pk]) in html
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(response.streaming_content) == tasks.CONTENT
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(event="jobs.file.downloaded", object_id=str(job.pk)).exists()


def test_the_job_page_opened_on_its_own_is_a_whole_page(client, leader, start):
    client.force_login(leader)
    html = client.get(reverse("jobs:job", args=[start(leader).pk])).content.decode()
    assert "<html" in html and "生成通报" in html


def test_another_users_job_and_its_file_are_not_found(
    client, start, labour_staff, ruzhou_reporter, jiaxian_reporter
):
    mine = start(ruzhou_reporter, plan=None)
    for someone in (jiaxian_reporter, labour_staff):
        client.force_login(someone)
        assert client.get(reverse("jobs:job", args=[mine.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[mine.pk])).status_code == 404


def test_a_plans_job_is_seen_by_its_federations_staff_and_leaders_only(
    client, start, labour_staff, organisation_staff, leader, ruzhou_reporter
):
    job = start(labour_staff)
    url = reverse("jobs:job", args=[job.pk])
    for colleague in (organisation_staff, leader):
        client.force_login(colleague)
        assert client.get(url).status_code == 200
    client.force_login(ruzhou_reporter)
    assert client.get(url).status_code == 404
    stranger = UserFactory(username="stranger-leader", federation=None)
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_a_job_that_crashes_shows_a_chinese_message_not_a_500(client, leader, start):
    job = start(leader, task=tasks.crashing)
    assert job.status == Job.Status.FAILED
    client.force_login(leader)
    response = client.get(reverse("jobs:job", args=[job.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "失败" in html and FAILED in html and "RuntimeError" not in html
    download = client.get(reverse("jobs:download", args=[job.pk]), follow=True)
    assert "该任务没有可下载的文件。" in download.content.decode()


def test_a_job_refused_by_a_rule_shows_the_rules_own_message(client, leader, start):
    job = start(leader, task=tasks.refusing)
    client.force_login(leader)
    html = client.get(reverse("jobs:job", args=[job.pk]), **HTMX).content.decode()
    assert tasks.REFUSAL in html


def test_starting_a_job_is_audited_with_who_and_what(leader, start, plan_2022):
    job = start(leader)
    entry = AuditEntry.objects.get(event="jobs.job.started", object_id=str(job.pk))
    assert entry.actor == leader and entry.after["plan"] == plan_2022.slug
