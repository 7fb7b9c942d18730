"""Personal values in rows are stored sealed, whichever way they arrive (web, Excel, demo, an
older database), keyed by their index, and never written in plain to the audit log."""

import datetime as dt
import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from demo.accounts import demo_accounts_create
from demo.records import demo_records_create
from personal import crypto
from plans.models import Programme
from records.models import FormDefinition, Record, RecordApproval, RecordImport
from records.services import RowRefused, record_create, record_update, records_approve
from records.services.imports import record_import_preview, record_import_save
from records.services.personal import personal_values_seal
from records.tests.web import SLUG, form
from reporting.tests.files import upload

PHONE, LANDLINE = "13812345678", "0375-3799638"
PRODUCTS_CSV = (
    f"推荐产品,推荐人,联系电话,备注\n汝州粉条,张三,{PHONE},\n宝丰香菇,李四,{LANDLINE},\n"
).encode()
# A register keyed by a personal field: the same ID number is the same member.
MEMBERS_SPEC = {
    "fields": [
        {"code": "name", "label": "姓名", "type": "text", "required": True},
        {
            "code": "id_number",
            "label": "身份证号",
            "type": "text",
            "required": True,
            "personal": "id_number",
        },
    ],
    "rules": [],
    "standards": [],
    "key": ["id_number"],
}
ID_NUMBER = "41040219900101123X"


def members_form(plan) -> FormDefinition:
    return FormDefinition.objects.create(
        plan=plan,
        programme=Programme.objects.get(plan=plan, number=14),
        code="members",
        order=99,
        title="困难会员登记表",
        spec=MEMBERS_SPEC,
    )


def stored_text(*objects) -> str:
    """Everything the database holds for these rows, as one text to search."""
    return json.dumps([getattr(o, "data", None) or getattr(o, "rows", None) for o in objects])


def audit_text() -> str:
    return json.dumps(list(AuditEntry.objects.values("before", "after", "reason")))


def test_a_phone_entered_on_the_web_is_stored_sealed(client, plan_2022, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    data = {"product": "汝州粉条", "recommender": "张三", "phone": PHONE}
    client.post(reverse("records:row_new", kwargs={"slug": SLUG, "code": "products"}), data)
    record = Record.objects.get(form__code="products")
    assert crypto.is_token(record.data["phone"])
    assert crypto.open(record.data["phone"]) == PHONE
    assert PHONE not in stored_text(record) and "12345678" not in stored_text(record)


def test_an_approved_copy_keeps_the_phone_sealed(plan_2022, ruzhou_reporter):
    from orgs.tests.factories import head_of, staff_of
    from records.services import records_confirm, records_submit

    record = record_create(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        raw={"product": "汝州粉条", "recommender": "张三", "phone": PHONE},
    )
    records_submit(items=[(record, record.version)], actor=ruzhou_reporter)
    record.refresh_from_db()
    records_confirm(items=[(record, record.version)], actor=head_of("ruzhou", username="h"))
    record.refresh_from_db()
    records_approve(
        items=[(record, record.version)], reviewer=staff_of("权益保障部", username="rights")
    )
    approval = RecordApproval.objects.get(record=record)
    assert crypto.is_token(approval.data["phone"]) and PHONE not in stored_text(approval)


def test_an_imported_phone_is_sealed_in_the_preview_and_in_the_saved_row(
    plan_2022, ruzhou_reporter
):
    preview = record_import_preview(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        uploaded=upload("附件1.csv", PRODUCTS_CSV),
    )
    assert preview.new_count == 2 and not preview.errors
    assert PHONE not in stored_text(preview) and "3799638" not in stored_text(preview)
    record_import_save(record_import=preview, actor=ruzhou_reporter)
    records = list(Record.objects.filter(form__code="products").order_by("id"))
    assert [crypto.open(r.data["phone"]) for r in records] == [PHONE, LANDLINE]
    assert PHONE not in stored_text(*records) and "3799638" not in stored_text(*records)


def test_uploading_the_same_file_again_adds_nothing(plan_2022, ruzhou_reporter):
    products = form(plan_2022, "products")
    first = record_import_preview(
        form=products,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        uploaded=upload("附件1.csv", PRODUCTS_CSV),
    )
    record_import_save(record_import=first, actor=ruzhou_reporter)
    tokens = sorted(r.data["phone"] for r in Record.objects.filter(form=products))
    again = record_import_preview(
        form=products,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        uploaded=upload("附件1.csv", PRODUCTS_CSV),
    )
    assert (again.new_count, again.update_count, again.unchanged_count) == (0, 0, 2)
    assert sorted(r.data["phone"] for r in Record.objects.filter(form=products)) == tokens


def _export(client, user, code="products") -> bytes:
    client.force_login(user)
    response = client.get(reverse("records:export", kwargs={"slug": SLUG, "code": code}))
    assert response.status_code == 200
    return response.content


def test_an_export_imported_again_keeps_the_stored_phones(client, plan_2022, ruzhou_reporter):
    products = form(plan_2022, "products")
    for name, phone in (("汝州粉条", PHONE), ("宝丰香菇", LANDLINE)):
        record_create(
            form=products,
            unit=ruzhou_reporter.unit,
            actor=ruzhou_reporter,
            raw={"product": name, "recommender": "张三", "phone": phone},
        )
    tokens = sorted(r.data["phone"] for r in Record.objects.filter(form=products))
    exported = _export(client, ruzhou_reporter)
    again = record_import_preview(
        form=products,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        uploaded=upload("导出.xlsx", exported),
    )
    assert not again.errors
    assert (again.new_count, again.update_count, again.unchanged_count) == (0, 0, 2)
    assert sorted(r.data["phone"] for r in Record.objects.filter(form=products)) == tokens


def test_a_mask_is_refused_where_nothing_is_stored_behind_it(plan_2022, ruzhou_reporter):
    csv = "推荐产品,推荐人,联系电话\n新产品,张三,138****5678\n".encode()
    preview = record_import_preview(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        uploaded=upload("附件1.csv", csv),
    )
    assert preview.errors == [
        {
            "row": 2,
            "column": "联系电话",
            "reason": "这是脱敏后的显示值，与已保存的信息不符，请填写完整信息",
        }
    ]


def test_demo_rows_hold_sealed_phones(plan_2022):
    demo_accounts_create(plan=plan_2022)
    demo_records_create(plan=plan_2022, today=dt.date(2022, 7, 20))
    records = list(Record.objects.filter(form__code="products"))
    approvals = list(RecordApproval.objects.filter(form__code="products"))
    assert records and approvals
    assert all(crypto.open(r.data["phone"]).startswith("0375-") for r in records + approvals)
    assert "0375-" not in stored_text(*records, *approvals)


def test_a_personal_key_field_keys_rows_by_its_index(plan_2022, ruzhou_reporter):
    members = members_form(plan_2022)
    first = record_create(
        form=members,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        raw={"name": "张三", "id_number": ID_NUMBER},
    )
    assert crypto.is_token(first.data["id_number"])
    assert first.row_key == members.schema.row_key(
        ruzhou_reporter.unit.pk, {"id_number": ID_NUMBER}
    )
    with pytest.raises(RowRefused, match="本单位已有一条身份证号相同的记录"):
        record_create(
            form=members,
            unit=ruzhou_reporter.unit,
            actor=ruzhou_reporter,
            raw={"name": "张三丰", "id_number": ID_NUMBER.lower()},
        )


def test_a_mask_cannot_identify_a_row(plan_2022, ruzhou_reporter):
    with pytest.raises(RowRefused, match="不能用来识别记录"):
        record_create(
            form=members_form(plan_2022),
            unit=ruzhou_reporter.unit,
            actor=ruzhou_reporter,
            raw={"name": "张三", "id_number": "410402********123X"},
        )


def test_audit_entries_keep_the_mask_and_show_a_change_it_hides(plan_2022, ruzhou_reporter):
    products = form(plan_2022, "products")
    raw = {"product": "汝州粉条", "recommender": "张三", "phone": PHONE}
    record = record_create(form=products, unit=ruzhou_reporter.unit, actor=ruzhou_reporter, raw=raw)
    changed = "13822345678"  # a middle digit: the same mask, 138****5678
    record = record_update(
        record=record, actor=ruzhou_reporter, raw={**raw, "phone": changed}, version=1
    )
    text = audit_text()
    assert PHONE not in text and changed not in text and "sm4gcm1" not in text
    entry = AuditEntry.objects.get(event="records.record.saved")
    assert entry.before["data"]["phone"] == entry.after["data"]["phone"] == "138****5678"
    from records.selectors import record_history

    [_created, saved] = record_history(record=record, unit_names={})
    assert [(c.label, c.before, c.after) for c in saved.changes] == [
        ("联系电话", "138****5678", "138****5678（已更改）")
    ]


def test_reloading_the_plan_seals_values_stored_before_the_field_was_personal(
    plan_2022, plan_2022_spec, ruzhou_reporter
):
    from plans.services import plan_load

    products = form(plan_2022, "products")
    plain_spec = json.loads(json.dumps(products.spec))
    for f in plain_spec["fields"]:
        f.pop("personal", None)
    FormDefinition.objects.filter(pk=products.pk).update(spec=plain_spec)
    data = {"product": "汝州粉条", "recommender": "张三", "phone": PHONE, "note": None}
    record = Record.objects.create(
        form=products, unit=ruzhou_reporter.unit, row_key="k", data=data, created_by=ruzhou_reporter
    )
    approval = RecordApproval.objects.create(
        record=record,
        form=products,
        unit=record.unit,
        data=data,
        is_compliant=True,
        reference_date=dt.date(2022, 4, 1),
        approved_at=record.created_at,
    )
    preview = RecordImport.objects.create(
        form=products,
        unit=record.unit,
        user=ruzhou_reporter,
        original_name="附件1.csv",
        sha256="0" * 64,
        rows=[{"row": 2, "action": "new", "row_key": "k2", "data": data}],
    )
    plan_load(spec=plan_2022_spec)
    for obj in (record, approval, preview):
        obj.refresh_from_db()
    assert PHONE not in stored_text(record, approval, preview)
    assert crypto.open(record.data["phone"]) == crypto.open(preview.rows[0]["data"]["phone"])
    assert AuditEntry.objects.filter(event="records.personal.sealed").count() == 1


def test_the_migration_seals_plain_values_and_rekeys_and_changes_nothing_the_second_time(
    plan_2022, ruzhou_reporter
):
    migration = importlib.import_module("records.migrations.0003_seal_personal_values")
    members = members_form(plan_2022)
    record = Record.objects.create(
        form=members,
        unit=ruzhou_reporter.unit,
        row_key="plain-key",
        data={"name": "张三", "id_number": ID_NUMBER},
        created_by=ruzhou_reporter,
    )
    migration.seal_personal_values(apps, None)
    record.refresh_from_db()
    assert crypto.open(record.data["id_number"]) == ID_NUMBER
    schema = members.schema
    assert record.row_key == schema.row_key(record.unit_id, {"id_number": ID_NUMBER})
    sealed = dict(record.data)
    migration.seal_personal_values(apps, None)
    record.refresh_from_db()
    assert record.data == sealed


def test_rotating_keys_reseals_every_value_under_the_new_first_key(
    settings, plan_2022, ruzhou_reporter, capsys
):
    record = record_create(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        raw={"product": "汝州粉条", "recommender": "张三", "phone": PHONE},
    )
    settings.UNIONPLAN_PERSONAL_SEAL_KEYS = {
        "k2": bytes(range(16)),
        **settings.UNIONPLAN_PERSONAL_SEAL_KEYS,
    }
    call_command("seal_personal_values")
    assert "没有需要加密的个人信息" in capsys.readouterr().out
    call_command("seal_personal_values", "--rotate")
    assert "已加密 1 条" in capsys.readouterr().out
    record.refresh_from_db()
    assert crypto.key_id(record.data["phone"]) == "k2"
    assert crypto.open(record.data["phone"]) == PHONE
    assert personal_values_seal(rotate=True) == 0


def test_an_export_file_never_holds_the_phone(client, plan_2022, ruzhou_reporter):
    record_create(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        raw={"product": "汝州粉条", "recommender": "张三", "phone": PHONE},
    )
    from openpyxl import load_workbook

    for name in ("export", "attachment"):
        client.force_login(ruzhou_reporter)
        response = client.get(reverse(f"records:{name}", kwargs={"slug": SLUG, "code": "products"}))
        assert "no-store" in response["Cache-Control"]
        cells = [
            str(c.value)
            for ws in load_workbook(io.BytesIO(response.content)).worksheets
            for row in ws.iter_rows()
            for c in row
        ]
        assert "138****5678" in cells
        assert not any(PHONE in c or "sm4gcm1" in c for c in cells)
