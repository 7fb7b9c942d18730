"""生成通报 through the job queue (jobs/): the same Word file as the direct download, shown
with its progress on the dashboard and offered when done. Tasks run at once in tests (the
immediate backend); jobs/tests/test_worker.py runs the same through the worker."""

from io import BytesIO

from django.urls import reverse
from docx import Document

from jobs.models import Job
from jobs.runner import FAILED

SLUG = "pingdingshan-2022"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _start(client, as_of="2022-06-30", **headers):
    url = reverse("dashboards:bulletin_start", args=[SLUG])
    return client.post(f"{url}?as_of={as_of}", **headers)


def _text(content: bytes) -> list[str]:
    document = Document(BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [p.text for p in document.paragraphs] + cells


def test_the_dashboard_button_starts_a_job_whose_file_is_the_same_bulletin(
    client, leader, plan_2022
):
    client.force_login(leader)
    page = client.get(reverse("dashboards:overview", args=[SLUG]), {"as_of": "2022-06-30"})
    assert 'hx-target="#bulletin-job"' in page.content.decode()
    html = _start(client, **HTMX).content.decode()
    job = Job.objects.get(started_by=leader)
    assert job.status == Job.Status.DONE and "已完成" in html
    assert reverse("jobs:download", args=[job.pk]) in html
    queued = client.get(reverse("jobs:download", args=[job.pk]))
    direct = client.get(reverse("dashboards:bulletin", args=[SLUG]), {"as_of": "2022-06-30"})
    assert _text(b"".join(queued.streaming_content)) == _text(direct.content)
    assert queued["Content-Disposition"] == direct["Content-Disposition"]


def test_without_htmx_the_start_leads_to_the_jobs_page(client, leader, plan_2022):
    client.force_login(leader)
    response = _start(client)
    job = Job.objects.get(started_by=leader)
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.params == {"as_of": "2022-06-30"}


def test_a_bulletin_that_fails_shows_the_chinese_message_and_no_500(
    client, leader, plan_2022, monkeypatch
):
    def broken(**_kwargs):
        raise ValueError("chart font missing")

    monkeypatch.setattr("dashboards.tasks.bulletin_docx", broken)
    client.force_login(leader)
    response = _start(client, **HTMX)
    assert response.status_code == 200
    assert "失败" in response.content.decode() and FAILED in response.content.decode()
    job = Job.objects.get(started_by=leader)
    page = client.get(reverse("jobs:job", args=[job.pk]))
    assert page.status_code == 200 and FAILED in page.content.decode()


def test_a_unit_user_cannot_start_a_bulletin(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    assert _start(client).status_code == 403
    assert not Job.objects.filter(started_by=ruzhou_reporter).exists()
