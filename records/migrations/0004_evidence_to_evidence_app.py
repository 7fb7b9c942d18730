"""Copy each row's files into the evidence app's one Evidence model, and move the files from
UPLOAD_ROOT/records into UPLOAD_ROOT/evidence, the one folder that app keeps (stored names are
random and unique, so none collides with a report's file).

A file is moved only if it is still in the old folder, so a migration interrupted after some
moves runs again cleanly; going back moves them back.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import migrations

FIELDS = (
    "field_code",
    "stored_name",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_by_id",
)


def _move(name: str, source: str, target: str) -> None:
    root = Path(settings.UPLOAD_ROOT)
    old = root / source / name
    if old.exists():
        (root / target).mkdir(parents=True, exist_ok=True)
        os.replace(old, root / target / name)


def copy_forward(apps, schema_editor):
    Old = apps.get_model("records", "RecordEvidence")
    New = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    owner_type, _ = ContentType.objects.get_or_create(app_label="records", model="record")
    for old in Old.objects.order_by("pk").iterator():
        new = New.objects.create(
            owner_type=owner_type,
            owner_id=old.record_id,
            **{f: getattr(old, f) for f in FIELDS},
        )
        # auto_now_add set it to now on create; keep when the file was really uploaded.
        New.objects.filter(pk=new.pk).update(uploaded_at=old.uploaded_at)
        _move(old.stored_name, "records", "evidence")


def copy_back(apps, schema_editor):
    Old = apps.get_model("records", "RecordEvidence")
    New = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    owner_type = ContentType.objects.filter(app_label="records", model="record").first()
    if owner_type is None:
        return
    for new in New.objects.filter(owner_type=owner_type).order_by("pk").iterator():
        old = Old.objects.create(record_id=new.owner_id, **{f: getattr(new, f) for f in FIELDS})
        Old.objects.filter(pk=old.pk).update(uploaded_at=new.uploaded_at)
        _move(new.stored_name, "evidence", "records")
    New.objects.filter(owner_type=owner_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evidence", "0001_initial"),
        ("records", "0003_seal_personal_values"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
