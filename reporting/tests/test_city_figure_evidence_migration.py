"""Moving 市总统计 files into the evidence app keeps each figure's file: a row of the one model
owned by the figure, the file moved into the one folder, and back again when migrated back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evidence.services import evidence_path
from plans.models import Indicator
from reporting import services

BEFORE = [("reporting", "0011_delete_evidence"), ("evidence", "0001_initial")]
STORED = "c" * 32 + ".jpg"
FILE = {
    "evidence_stored_name": STORED,
    "evidence_name": "体检现场.jpg",
    "evidence_content_type": "image/jpeg",
    "evidence_size": 4,
    "evidence_sha256": "0" * 64,
}


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_city_figures_file_becomes_its_evidence_and_moves_back_when_migrated_back(
    settings, tmp_path, plan_2022, labour_staff
):
    settings.UPLOAD_ROOT = tmp_path
    figure = services.city_figure_enter(
        indicator=Indicator.objects.get(plan=plan_2022, code="P08-checkups"),
        actor=labour_staff,
        period_end=dt.date(2022, 5, 31),
        raw_value="3000",
        note="体检台账",
    )
    try:
        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        old_apps.get_model("reporting", "CityFigure").objects.filter(pk=figure.pk).update(**FILE)
        (tmp_path / "city").mkdir()
        (tmp_path / "city" / STORED).write_bytes(b"\xff\xd8\xff\xe0")

        _migrate()

        [file] = figure.evidence.all()
        assert (file.original_name, file.content_type, file.size) == (
            "体检现场.jpg",
            "image/jpeg",
            4,
        )
        assert file.uploaded_by == labour_staff and file.uploaded_at == figure.entered_at
        assert evidence_path(file).read_bytes() == b"\xff\xd8\xff\xe0"
        assert not (tmp_path / "city" / STORED).exists()

        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        old = old_apps.get_model("reporting", "CityFigure").objects.get(pk=figure.pk)
        assert {name: getattr(old, name) for name in FILE} == FILE
        assert (tmp_path / "city" / STORED).read_bytes() == b"\xff\xd8\xff\xe0"
        assert not old_apps.get_model("evidence", "Evidence").objects.exists()
    finally:
        _migrate()
