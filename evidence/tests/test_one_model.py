"""One Evidence model holds the files of reports and of form rows alike."""

from audit.models import AuditEntry
from evidence.models import Evidence
from evidence.services import evidence_dir, evidence_path
from records.services.evidence import record_delete_with_files


def test_a_reports_files_and_a_rows_files_are_rows_of_the_one_model_in_one_folder(
    report, row, report_photo, row_policy
):
    assert list(report.evidence.all()) == [report_photo]
    assert list(row.evidence.all()) == [row_policy]
    assert report_photo.owner == report and row_policy.owner == row
    assert row_policy.field_code == "documents" and report_photo.field_code == ""
    assert evidence_path(report_photo).parent == evidence_path(row_policy).parent == evidence_dir()
    # A scope filter through one owner's relation never reaches the other owner's files.
    assert set(Evidence.objects.filter(report=report)) == {report_photo}
    assert set(Evidence.objects.filter(record=row)) == {row_policy}


def test_uploads_keep_their_audit_event_names_per_owner(report_photo, row_policy):
    report_entry = AuditEntry.objects.get(event="reporting.evidence.added")
    row_entry = AuditEntry.objects.get(event="records.evidence.added")
    assert report_entry.after["file"] == "活动照片.jpg"
    assert row_entry.after == {
        "file": "保单.pdf",
        "field": "documents",
        "sha256": row_policy.sha256,
    }


def test_deleting_a_draft_row_deletes_its_files_rows_and_stored_files(
    row, row_policy, ruzhou_reporter, django_capture_on_commit_callbacks
):
    path = evidence_path(row_policy)
    with django_capture_on_commit_callbacks(execute=True):
        record_delete_with_files(record=row, actor=ruzhou_reporter, version=row.version)
    assert not Evidence.objects.filter(pk=row_policy.pk).exists()
    assert not path.exists()
