"""Copy each 市总统计 figure's file into the evidence app's one Evidence model, owned by the
figure, and move the file from UPLOAD_ROOT/city into UPLOAD_ROOT/evidence, the one folder that
app keeps (stored names are random and unique, so none collides with another owner's file).

A file is moved only if it is still in the old folder, so a migration interrupted after some
moves runs again cleanly; going back moves them back.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import migrations


def _move(name: str, source: str, target: str) -> None:
    root = Path(settings.UPLOAD_ROOT)
    old = root / source / name
    if old.exists():
        (root / target).mkdir(parents=True, exist_ok=True)
        os.replace(old, root / target / name)


def copy_forward(apps, schema_editor):
    CityFigure = apps.get_model("reporting", "CityFigure")
    Evidence = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    figures = CityFigure.objects.exclude(evidence_stored_name="")
    if not figures.exists():
        return
    owner_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="cityfigure")
    for figure in figures.order_by("pk").iterator():
        evidence = Evidence.objects.create(
            owner_type=owner_type,
            owner_id=figure.pk,
            stored_name=figure.evidence_stored_name,
            original_name=figure.evidence_name,
            content_type=figure.evidence_content_type,
            size=figure.evidence_size or 0,
            sha256=figure.evidence_sha256,
            uploaded_by_id=figure.entered_by_id,
        )
        # auto_now_add set it to now on create; the file came with the figure's entry.
        Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=figure.entered_at)
        _move(figure.evidence_stored_name, "city", "evidence")


def copy_back(apps, schema_editor):
    CityFigure = apps.get_model("reporting", "CityFigure")
    Evidence = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    owner_type = ContentType.objects.filter(app_label="reporting", model="cityfigure").first()
    if owner_type is None:
        return
    for evidence in Evidence.objects.filter(owner_type=owner_type).order_by("pk").iterator():
        CityFigure.objects.filter(pk=evidence.owner_id).update(
            evidence_stored_name=evidence.stored_name,
            evidence_name=evidence.original_name,
            evidence_content_type=evidence.content_type,
            evidence_size=evidence.size,
            evidence_sha256=evidence.sha256,
        )
        _move(evidence.stored_name, "evidence", "city")
    Evidence.objects.filter(owner_type=owner_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evidence", "0001_initial"),
        ("reporting", "0011_delete_evidence"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
