"""Seal personal values still stored in plain (SECURITY.md: personal data encrypted at rest).

For every field a stored form definition declares `personal`, plain values are sealed in rows,
their approved copies and import previews waiting to be saved, and row keys that cover such a
field are recomputed from its HMAC index (so uploading the same file again still finds the
row). A value already sealed is left alone: running this again changes nothing. A field made
personal later, by reloading a plan file, is sealed by the plan loader in the same way
(`records.services.personal.personal_values_seal`).

Self-contained on purpose (historical models, stored JSON) but for `personal.crypto`, the one
module holding the project's cryptography.
"""

import hashlib
import json
import re

from django.db import migrations


def _normal(value):
    return re.sub(r"\s+", "", value).lower() if isinstance(value, str) else value


def _row_key(spec, unit_id, data, personal, crypto):
    inputs = [f["code"] for f in spec["fields"] if not f.get("compute") and f["type"] != "file"]
    parts = []
    for code in spec.get("key") or inputs:
        value = data.get(code)
        if code in personal and value is not None:
            parts.append(crypto.index(_normal(crypto.open(value))))
        else:
            parts.append(_normal(value))
    material = json.dumps([unit_id, *parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:40]


def _sealed(data, personal, crypto):
    plain = {
        code: crypto.seal(str(data[code]))
        for code in personal
        if data.get(code) is not None and not crypto.is_token(data[code])
    }
    return {**data, **plain} if plain else None


def seal_personal_values(apps, schema_editor):
    from personal import crypto

    FormDefinition = apps.get_model("records", "FormDefinition")
    Record = apps.get_model("records", "Record")
    RecordApproval = apps.get_model("records", "RecordApproval")
    RecordImport = apps.get_model("records", "RecordImport")
    for form in FormDefinition.objects.all():
        spec = form.spec
        personal = {f["code"] for f in spec["fields"] if f.get("personal")}
        if not personal:
            continue
        inputs = [f["code"] for f in spec["fields"] if not f.get("compute") and f["type"] != "file"]
        rekey = bool(personal & set(spec.get("key") or inputs))
        for record in Record.objects.filter(form=form):
            data = _sealed(record.data, personal, crypto)
            if data is not None:
                record.data = data
                if rekey:
                    record.row_key = _row_key(spec, record.unit_id, data, personal, crypto)
                record.save(update_fields=["data", "row_key"])
        for approval in RecordApproval.objects.filter(form=form):
            data = _sealed(approval.data, personal, crypto)
            if data is not None:
                approval.data = data
                approval.save(update_fields=["data"])
        for preview in RecordImport.objects.filter(form=form, status="preview"):
            rows = []
            for row in preview.rows:
                data = _sealed(row["data"], personal, crypto)
                if data is not None:
                    row = {**row, "data": data}
                    if rekey:
                        row["row_key"] = _row_key(spec, preview.unit_id, data, personal, crypto)
                rows.append(row)
            if rows != preview.rows:
                preview.rows = rows
                preview.save(update_fields=["rows"])


class Migration(migrations.Migration):
    dependencies = [("records", "0002_record_import")]
    operations = [migrations.RunPython(seal_personal_values, migrations.RunPython.noop)]
