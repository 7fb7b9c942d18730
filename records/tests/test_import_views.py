"""The import pages: upload → preview (row, column, reason) → save or cancel."""

import pytest
from django.urls import reverse

from records.models import FormDefinition, Record, RecordImport
from records.tests.sheets import filled_template, upload

SLUG = "pingdingshan-2022"
GOOD = {
    "活动名称": "送电影",
    "“五送”类别": "送电影",
    "活动日期": "2022-05-01",
    "活动地点": "工地",
    "受众人次（人次）": 50,
}


@pytest.fixture
def culture(plan_2022):
    return FormDefinition.objects.get(plan=plan_2022, code="culture")


def _upload(client, user, form, rows):
    client.force_login(user)
    url = reverse("records:import_upload", kwargs={"slug": SLUG, "code": form.code})
    return client.post(url, {"file": upload("五送.xlsx", filled_template(form, user.unit, rows))})


def test_upload_shows_the_preview_and_saving_keeps_the_valid_rows(client, culture, ruzhou_reporter):
    rows = [GOOD, {**GOOD, "活动名称": "送书画", "受众人次（人次）": 0}]
    response = _upload(client, ruzhou_reporter, culture, rows)
    imp = RecordImport.objects.get()
    assert response.url == reverse("records:import_preview", kwargs={"slug": SLUG, "pk": imp.pk})
    page = client.get(response.url).content.decode()
    assert "保存 1 条有效记录" in page
    assert (
        '<td>4</td><td class="label">受众人次（人次）</td>'
        '<td class="label text-wrap">不能小于 1</td>' in page
    )
    save = reverse("records:import_save", kwargs={"slug": SLUG, "pk": imp.pk})
    assert client.post(save).status_code == 302
    assert client.post(save).status_code == 302  # a double click saves once
    assert Record.objects.filter(form=culture, unit=ruzhou_reporter.unit).count() == 1


def test_cancel_saves_nothing(client, culture, ruzhou_reporter):
    _upload(client, ruzhou_reporter, culture, [GOOD])
    imp = RecordImport.objects.get()
    client.post(reverse("records:import_cancel", kwargs={"slug": SLUG, "pk": imp.pk}))
    imp.refresh_from_db()
    assert imp.status == RecordImport.Status.CANCELLED
    assert not Record.objects.filter(form=culture).exists()


def test_another_user_cannot_see_or_save_an_upload(client, culture, ruzhou_reporter, ruzhou_head):
    _upload(client, ruzhou_reporter, culture, [GOOD])
    imp = RecordImport.objects.get()
    client.force_login(ruzhou_head)
    kwargs = {"slug": SLUG, "pk": imp.pk}
    assert client.get(reverse("records:import_preview", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("records:import_save", kwargs=kwargs)).status_code == 404


def test_the_preview_page_runs_the_same_queries_for_few_and_many_rows(
    client, culture, ruzhou_reporter, django_assert_max_num_queries
):
    for size in (3, 300):
        rows = [{**GOOD, "活动名称": f"活动{i}", "受众人次（人次）": i} for i in range(size)]
        _upload(client, ruzhou_reporter, culture, rows)
        imp = RecordImport.objects.first()
        assert imp.error_count == 1  # 受众人次 0 on the first row
        url = reverse("records:import_preview", kwargs={"slug": SLUG, "pk": imp.pk})
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_a_refused_file_is_said_on_the_upload_page_recorded_and_not_kept(
    client, culture, ruzhou_reporter
):
    from audit.models import AuditEntry
    from common import filestore
    from records.tasks import PENDING_FOLDER

    client.force_login(ruzhou_reporter)
    url = reverse("records:import_upload", kwargs={"slug": SLUG, "code": culture.code})
    page = client.post(url, {"file": upload("五送.xlsx", b"not a workbook")}, follow=True)
    assert "不是 xlsx 文件" in page.content.decode()
    assert AuditEntry.objects.filter(event="records.import.refused", actor=ruzhou_reporter).exists()
    assert not list(filestore.folder(PENDING_FOLDER).iterdir())


@pytest.mark.django_db(transaction=True)
def test_with_a_task_worker_the_upload_waits_in_the_queue_then_links_to_its_preview(
    client, culture, ruzhou_reporter, settings
):
    import signal
    from io import StringIO

    from django.core.management import call_command

    from jobs.models import Job

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    response = _upload(client, ruzhou_reporter, culture, [GOOD])
    job = Job.objects.get(started_by=ruzhou_reporter, kind=Job.Kind.IMPORT)
    assert response.url == reverse("jobs:job", args=[job.pk])
    assert "排队中" in client.get(response.url).content.decode()
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            stdout=StringIO(),
        )
    finally:
        for s, handler in kept.items():
            signal.signal(s, handler)
    page = client.get(response.url).content.decode()
    imp = RecordImport.objects.get(user=ruzhou_reporter)
    assert "查看检查结果" in page
    assert reverse("records:import_preview", kwargs={"slug": SLUG, "pk": imp.pk}) in page
