"""Files attached to a row: checked by content, stored outside the web root, served as
attachments to those who may see the row, and re-judging standards that depend on them."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from evidence.models import Evidence
from evidence.services import evidence_dir, evidence_path
from records.models import Record
from records.services import records_submit
from records.tests.web import GOOD_ALL_TYPES, all_types_form, childcare_row, url
from reporting.tests.files import JPG, PDF, docx_bytes, upload


@pytest.fixture
def all_types_row(client, plan_2022, ruzhou_reporter):
    all_types_form(plan_2022)
    client.force_login(ruzhou_reporter)
    client.post(url("row_new", code="all-types"), GOOD_ALL_TYPES)
    return Record.objects.get(form__code="all-types")


def send(client, record, field, *files):
    return client.post(
        url("evidence_upload", pk=record.pk, field=field),
        {"files": [upload(name, data) for name, data in files]},
        follow=True,
    )


def test_an_upload_is_stored_listed_and_served_as_an_attachment(client, plan_2022, ruzhou_reporter):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    html = send(client, row, "documents", ("保单.pdf", PDF), ("协议.jpg", JPG)).content.decode()
    assert "已上传 2 个文件" in html
    assert "保单.pdf" in html[html.index('id="files-documents"') :]
    evidence = Evidence.objects.get(record=row, original_name="保单.pdf")
    path = evidence_path(evidence)
    assert path.read_bytes() == PDF and path.parent == evidence_dir()
    assert evidence.stored_name != "保单.pdf" and evidence.field_code == "documents"
    response = client.get(reverse("records:evidence_download", kwargs={"pk": evidence.pk}))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(event="records.evidence.added").count() == 2
    # The rows list counts the files of each file field.
    html = client.get(url("rows", code="childcare")).content.decode()
    assert 'data-label="托管协议和保单">2 个文件<' in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("照片.jpg", PDF, "扩展名与内容不符"),
        ("脚本.exe", JPG, "类型不允许"),
        ("空.pdf", b"", "空文件"),
        ("文档.docx", b"PK\x03\x04broken", "已损坏"),
    ],
)
def test_a_bad_file_is_refused_with_a_chinese_reason_and_nothing_is_kept(
    client, plan_2022, ruzhou_reporter, name, data, message
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    before = set(evidence_dir().iterdir())
    html = send(client, row, "documents", ("好的.docx", docx_bytes()), (name, data))
    assert message in html.content.decode()
    assert not Evidence.objects.filter(record=row).exists()
    assert set(evidence_dir().iterdir()) == before


def test_an_upload_to_a_field_that_is_not_a_file_field_is_refused(
    client, plan_2022, ruzhou_reporter
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    html = send(client, row, "children", ("照片.jpg", JPG)).content.decode()
    assert "该表没有这个附件栏目" in html
    html = send(client, row, "documents").content.decode()
    assert "请选择要上传的文件" in html


def test_a_standard_on_a_file_field_is_judged_again_on_upload_and_removal(
    client, all_types_row, ruzhou_reporter, django_capture_on_commit_callbacks
):
    assert not all_types_row.is_compliant and all_types_row.issues == ["须上传扫描件"]
    send(client, all_types_row, "scan", ("扫描件.pdf", PDF))
    all_types_row.refresh_from_db()
    assert all_types_row.is_compliant
    evidence = Evidence.objects.get(record=all_types_row)
    path = evidence_path(evidence)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:evidence_delete", kwargs={"pk": evidence.pk}))
    assert response["Location"] == url("row", pk=all_types_row.pk)
    all_types_row.refresh_from_db()
    assert not all_types_row.is_compliant
    assert not path.exists()
    assert (
        AuditEntry.objects.filter(
            event="records.record.rechecked", object_id=str(all_types_row.pk)
        ).count()
        == 2
    )


def test_files_are_locked_once_the_row_is_submitted(client, plan_2022, ruzhou_reporter):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    send(client, row, "documents", ("协议.jpg", JPG))
    records_submit(items=[(row, None)], actor=ruzhou_reporter)
    html = send(client, row, "documents", ("保单.pdf", PDF)).content.decode()
    assert "只有草稿或已退回的记录可以增删附件" in html
    evidence = Evidence.objects.get(record=row)
    client.post(reverse("records:evidence_delete", kwargs={"pk": evidence.pk}))
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_another_units_file_answers_404(
    client, plan_2022, ruzhou_reporter, jiaxian_reporter, labour_staff, leader
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    send(client, row, "documents", ("协议.jpg", JPG))
    evidence = Evidence.objects.get(record=row)
    download = reverse("records:evidence_download", kwargs={"pk": evidence.pk})
    for outsider in (jiaxian_reporter, labour_staff):
        client.force_login(outsider)
        assert client.get(download).status_code == 404
        assert client.post(f"{download}delete/").status_code == 404
        assert send(client, row, "documents", ("x.jpg", JPG)).status_code == 404
    client.force_login(leader)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPG
    assert client.post(f"{download}delete/").status_code == 403
    assert Evidence.objects.filter(record=row).count() == 1


def test_deleting_a_draft_removes_its_files_from_the_disk(
    client, plan_2022, ruzhou_reporter, django_capture_on_commit_callbacks
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    send(client, row, "documents", ("协议.jpg", JPG))
    path = evidence_path(Evidence.objects.get(record=row))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("row_delete", pk=row.pk), {"version": row.version})
    assert not Record.objects.filter(pk=row.pk).exists()
    assert not path.exists()
