"""Copy each report's files into the evidence app's one Evidence model.

The stored names are kept, and report files already live in UPLOAD_ROOT/evidence, the evidence
app's folder, so no file moves.
"""

from django.db import migrations

FIELDS = ("stored_name", "original_name", "content_type", "size", "sha256", "uploaded_by_id")


def copy_forward(apps, schema_editor):
    Old = apps.get_model("reporting", "Evidence")
    New = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    owner_type, _ = ContentType.objects.get_or_create(app_label="reporting", model="report")
    for old in Old.objects.order_by("pk").iterator():
        new = New.objects.create(
            owner_type=owner_type,
            owner_id=old.report_id,
            **{f: getattr(old, f) for f in FIELDS},
        )
        # auto_now_add set it to now on create; keep when the file was really uploaded.
        New.objects.filter(pk=new.pk).update(uploaded_at=old.uploaded_at)


def copy_back(apps, schema_editor):
    Old = apps.get_model("reporting", "Evidence")
    New = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    owner_type = ContentType.objects.filter(app_label="reporting", model="report").first()
    if owner_type is None:
        return
    for new in New.objects.filter(owner_type=owner_type).order_by("pk").iterator():
        old = Old.objects.create(report_id=new.owner_id, **{f: getattr(new, f) for f in FIELDS})
        Old.objects.filter(pk=old.pk).update(uploaded_at=new.uploaded_at)
    New.objects.filter(owner_type=owner_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evidence", "0001_initial"),
        ("reporting", "0009_official_from_period_start"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
