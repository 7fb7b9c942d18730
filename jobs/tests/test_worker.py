"""The database backend with its worker, as in production: a started bulletin waits in the
queue until `db_worker` runs it (here in its run-once mode, `--batch`)."""

import signal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signals_kept():
    # The worker installs its own SIGINT/SIGTERM handlers (graceful shutdown): put pytest's back.
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for s, handler in kept.items():
        signal.signal(s, handler)


def test_a_bulletin_job_waits_in_the_queue_until_a_worker_makes_the_bulletin(
    client, plan_2022, queue_kept, signals_kept
):
    from orgs.tests.factories import UserFactory

    leader = UserFactory(username="worker-leader")
    client.force_login(leader)
    url = reverse("dashboards:bulletin_start", args=[plan_2022.slug])
    response = client.post(f"{url}?as_of=2022-06-30", HTTP_HX_REQUEST="true")
    assert "排队中" in response.content.decode()
    job = Job.objects.get(started_by=leader)
    assert job.status == Job.Status.QUEUED

    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=StringIO()
    )

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    html = client.get(reverse("jobs:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已完成" in html and "pingdingshan-2022-bulletin-2022-06-30.docx" in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    document = Document(BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "通报" in text and "2022年6月30日" in text
