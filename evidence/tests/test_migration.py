"""The move into the evidence app keeps every report's and row's file: rows copied with their
stored names, the rows' files moved into the one folder."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evidence.services import evidence_path
from records.tests.web import childcare_row
from reporting import services
from reporting.models import Obligation

BEFORE = [
    ("reporting", "0009_official_from_period_start"),
    ("records", "0003_seal_personal_values"),
    ("evidence", "0001_initial"),
]
FILE = {"content_type": "image/jpeg", "size": 4, "sha256": "0" * 64}


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_report_and_row_files_are_copied_into_the_one_model_and_stay_readable(
    settings, tmp_path, plan_2022, ruzhou_reporter
):
    settings.UPLOAD_ROOT = tmp_path
    obligation = Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )
    report = services.report_for(obligation=obligation)
    row = childcare_row(plan_2022, ruzhou_reporter)
    uploaded_at = dt.datetime(2022, 5, 20, 9, 30, tzinfo=dt.UTC)

    old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    old_apps.get_model("reporting", "Evidence").objects.create(
        report_id=report.pk, stored_name="a" * 32 + ".jpg", original_name="照片.jpg",
        uploaded_by_id=ruzhou_reporter.pk, **FILE,
    )  # fmt: skip
    old_row_file = old_apps.get_model("records", "RecordEvidence").objects.create(
        record_id=row.pk, field_code="documents", stored_name="b" * 32 + ".jpg",
        original_name="保单.jpg", uploaded_by_id=ruzhou_reporter.pk, **FILE,
    )  # fmt: skip
    old_apps.get_model("records", "RecordEvidence").objects.filter(pk=old_row_file.pk).update(
        uploaded_at=uploaded_at
    )
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / ("a" * 32 + ".jpg")).write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / ("b" * 32 + ".jpg")).write_bytes(b"\xff\xd8\xff\xe1")

    _migrate()

    [report_file] = report.evidence.all()
    [row_file] = row.evidence.all()
    assert report_file.original_name == "照片.jpg" and report_file.field_code == ""
    assert row_file.field_code == "documents" and row_file.uploaded_at == uploaded_at
    assert evidence_path(report_file).read_bytes() == b"\xff\xd8\xff\xe0"
    assert evidence_path(row_file).read_bytes() == b"\xff\xd8\xff\xe1"
    assert not (tmp_path / "records" / row_file.stored_name).exists()
