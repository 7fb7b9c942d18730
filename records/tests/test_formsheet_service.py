"""Adding or replacing a form from a sheet: saved in one audited step, and refused, with the
reason in Chinese, where the plan has ended or units' rows would lose what they hold."""

import copy
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEntry
from common.errors import ServiceError
from dashboards.selectors import official_values
from orgs.tests.factories import head_of, reporter_of, staff_of
from personal import crypto
from plans.models import Indicator, Plan
from records.formchange import form_change
from records.formsheet import form_sheet_check, indicator_names
from records.models import FormDefinition, Record, RecordImport
from records.services import record_create, records_approve, records_confirm, records_submit
from records.services.forms import CHANGED_SINCE, form_definition_save
from records.services.imports import record_import_preview
from records.tests.formsheets import read, stored_sheet
from records.tests.sheets import csv_bytes, upload
from records.tests.web import childcare_row

SH = ZoneInfo("Asia/Shanghai")


def at(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SH), tick=False
    )


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou"),
        "head": head_of("ruzhou"),
        "staff": staff_of("宣传教育部"),
    }


def entry_of(plan, code) -> dict:
    """The stored form as its sheet reads back: the plan file's entry, to change like a
    person changing the sheet."""
    form = FormDefinition.objects.get(plan=plan, code=code)
    sheet = read(stored_sheet(form), indicator_names(plan))
    assert sheet.problems == []
    return copy.deepcopy(sheet.entry)


def field(entry, code) -> dict:
    return next(f for f in entry["fields"] if f["code"] == code)


def save(plan, number, entry, actor, **kwargs):
    return form_definition_save(
        plan=plan, programme_number=number, entry=entry, actor=actor, **kwargs
    )


def culture_row(plan, reporter, name):
    return record_create(
        form=FormDefinition.objects.get(plan=plan, code="culture"),
        unit=reporter.unit,
        actor=reporter,
        raw={
            "name": name,
            "kind": "送电影",
            "held_on": "2022-05-10",
            "place": "工地",
            "audience": "80",
        },
    )


def test_a_new_form_joins_its_programme_after_the_others_and_is_audited(plan_2022, people):
    entry = entry_of(plan_2022, "childcare")
    entry.update(code="childcare-winter", title="寒假爱心托管班登记表")
    del entry["computes"]  # 开办托管班 is counted by the summer form already
    saved = save(plan_2022, 11, entry, people["staff"], source="寒假.xlsx")
    form = FormDefinition.objects.get(plan=plan_2022, code="childcare-winter")
    assert (saved.created, form.programme.number, form.title) == (True, 11, "寒假爱心托管班登记表")
    assert form.order > FormDefinition.objects.get(plan=plan_2022, code="nursing-rooms").order
    assert form.schema.by_code["children"].label == "托管人数"
    entry_log = AuditEntry.objects.get(event="records.form.added", object_id=str(form.pk))
    assert entry_log.actor == people["staff"]
    assert entry_log.before is None
    assert entry_log.after["title"] == "寒假爱心托管班登记表"
    assert entry_log.reason == "Excel：寒假.xlsx"


def test_replacing_a_form_keeps_its_rows_and_records_before_and_after(plan_2022, people):
    row = childcare_row(plan_2022, people["reporter"])
    entry = entry_of(plan_2022, "childcare")
    entry["title"] = "暑期爱心托管班登记表（修订）"
    entry["fields"].append({"code": "teachers", "label": "教师人数", "type": "integer", "min": 0})
    saved = save(plan_2022, 11, entry, people["staff"])
    assert saved.created is False
    form = FormDefinition.objects.get(plan=plan_2022, code="childcare")
    assert form.title == "暑期爱心托管班登记表（修订）"
    assert "teachers" in form.schema.by_code
    assert Record.objects.filter(pk=row.pk, form=form).exists()
    logged = AuditEntry.objects.get(event="records.form.replaced", object_id=str(form.pk))
    assert logged.before["title"] == "暑期爱心托管班登记表"
    assert logged.after["title"] == "暑期爱心托管班登记表（修订）"
    assert [f["code"] for f in logged.after["schema"]["fields"]][-1] == "teachers"


def test_the_same_form_again_saves_nothing_and_writes_no_audit_entry(plan_2022, people):
    saved = save(plan_2022, 11, entry_of(plan_2022, "childcare"), people["staff"])
    assert saved.form is None
    assert not AuditEntry.objects.filter(event__startswith="records.form.").exists()


def test_a_closed_plan_refuses_any_change_to_its_forms(plan_2022, people):
    Plan.objects.filter(pk=plan_2022.pk).update(status=Plan.Status.CLOSED)
    entry = entry_of(plan_2022, "childcare")
    entry["title"] = "改名"
    with pytest.raises(ServiceError, match="已结束，统计表不能再添加或修改"):
        save(plan_2022, 11, entry, people["staff"])


def test_a_field_that_holds_values_cannot_be_removed_but_an_empty_one_can(plan_2022, people):
    culture_row(plan_2022, people["reporter"], "送电影进工地")
    entry = entry_of(plan_2022, "culture")
    entry["fields"] = [f for f in entry["fields"] if f["code"] != "place"]
    with pytest.raises(
        ServiceError, match="字段「活动地点」（place）已有 1 条记录填写了内容，不能删除"
    ):
        save(plan_2022, 13, entry, people["staff"])
    entry = entry_of(plan_2022, "culture")
    entry["fields"] = [f for f in entry["fields"] if f["code"] != "showcase"]
    save(plan_2022, 13, entry, people["staff"])
    assert (
        "showcase" not in FormDefinition.objects.get(plan=plan_2022, code="culture").schema.by_code
    )


def test_a_field_that_holds_values_keeps_its_type(plan_2022, people):
    culture_row(plan_2022, people["reporter"], "送电影进工地")
    entry = entry_of(plan_2022, "culture")
    field(entry, "audience")["type"] = "text"
    with pytest.raises(ServiceError, match="类型不能从「整数」改为「文本」"):
        save(plan_2022, 13, entry, people["staff"])


def test_a_choice_in_use_cannot_be_removed_but_an_unused_one_can(plan_2022, people):
    culture_row(plan_2022, people["reporter"], "送电影进工地")
    entry = entry_of(plan_2022, "culture")
    field(entry, "kind")["choices"] = ["送文艺", "送书画", "送培训", "送讲座"]
    with pytest.raises(ServiceError, match="选项「送电影」已有 1 条记录选用"):
        save(plan_2022, 13, entry, people["staff"])
    field(entry, "kind")["choices"] = ["送文艺", "送电影", "送书画", "送培训"]
    save(plan_2022, 13, entry, people["staff"])


def test_an_indicator_counts_from_one_form_only(plan_2022, people):
    entry = entry_of(plan_2022, "nursing-rooms")
    entry["computes"].append({"indicator": "P11-units", "count": True})
    with pytest.raises(ServiceError, match="已由统计表「暑期爱心托管班登记表」计算"):
        save(plan_2022, 11, entry, people["staff"])


def test_a_code_taken_in_another_programme_is_refused(plan_2022, people):
    with pytest.raises(ServiceError, match="代码「childcare」已是专案11的统计表"):
        save(plan_2022, 1, entry_of(plan_2022, "childcare"), people["staff"])


def test_a_save_after_someone_else_changed_the_form_is_refused(plan_2022, people):
    entry = entry_of(plan_2022, "childcare")
    form = FormDefinition.objects.get(plan=plan_2022, code="childcare")
    spec = form_sheet_check(entry=entry, indicators=indicator_names(plan_2022)).spec
    base = form_change(plan=plan_2022, programme=form.programme, spec=spec).base
    other = entry_of(plan_2022, "childcare")
    other["description"] = "另一位同事改过"
    save(plan_2022, 11, other, people["staff"])
    entry["title"] = "改名"
    with pytest.raises(ServiceError, match=CHANGED_SINCE):
        save(plan_2022, 11, entry, people["staff"], base=base)


def test_a_field_made_personal_has_its_stored_values_sealed(plan_2022, people):
    row = childcare_row(plan_2022, people["reporter"])
    assert row.data["host"] == "汝州市总工会"
    entry = entry_of(plan_2022, "childcare")
    field(entry, "host")["personal"] = "text"
    save(plan_2022, 11, entry, people["staff"])
    row.refresh_from_db()
    assert crypto.is_token(row.data["host"])
    assert crypto.open(row.data["host"]) == "汝州市总工会"


def test_a_personal_field_holding_values_stays_personal(plan_2022, people):
    record_create(
        form=FormDefinition.objects.get(plan=plan_2022, code="products"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={"product": "汝州粉条", "recommender": "张三", "phone": "13812345678"},
    )
    entry = entry_of(plan_2022, "products")
    del field(entry, "phone")["personal"]
    with pytest.raises(ServiceError, match="不能取消“个人信息”"):
        save(plan_2022, 14, entry, people["staff"])


def test_uploads_waiting_on_the_old_definition_expire(plan_2022, people):
    culture = FormDefinition.objects.get(plan=plan_2022, code="culture")
    waiting = record_import_preview(
        form=culture,
        unit=people["reporter"].unit,
        actor=people["reporter"],
        uploaded=upload(
            "五送.csv",
            csv_bytes(
                [
                    ["活动名称", "“五送”类别", "活动日期", "活动地点", "受众人次（人次）"],
                    ["送电影", "送电影", "2022-05-10", "工地", "80"],
                ],
                "utf-8",
            ),
        ),
    )
    assert waiting.status == RecordImport.Status.PREVIEW
    entry = entry_of(plan_2022, "culture")
    entry["description"] = "新的说明"
    save(plan_2022, 13, entry, people["staff"])
    waiting.refresh_from_db()
    assert waiting.status == RecordImport.Status.EXPIRED


def test_an_indicator_no_longer_counted_loses_its_figures_and_counts_again_when_restored(
    plan_2022, people, settings
):
    deliveries = Indicator.objects.get(plan=plan_2022, code="P13-five-deliveries")
    ruzhou = people["reporter"].unit
    with at("2022-05-12"):
        rows = [culture_row(plan_2022, people["reporter"], f"五月活动{i}") for i in range(2)]
    settings.UNIONPLAN_TODAY = "2022-05-20"
    with at("2022-05-20"):
        records_submit(items=[(r, None) for r in rows], actor=people["reporter"])
        records_confirm(items=[(r, None) for r in rows], actor=people["head"])
        records_approve(items=[(r, None) for r in rows], reviewer=people["staff"])

    def figure(day):
        return official_values(plan_2022, day).get((ruzhou.pk, deliveries.pk))

    assert figure(dt.date(2022, 6, 30)) == Decimal(2)
    entry = entry_of(plan_2022, "culture")
    counted = entry.pop("computes")
    with at("2022-07-01"):
        save(plan_2022, 13, entry, people["staff"])
    assert figure(dt.date(2022, 6, 30)) == Decimal(2)  # as it stood then
    assert figure(dt.date(2022, 7, 31)) is None
    entry["computes"] = counted
    with at("2022-08-01"):
        save(plan_2022, 13, entry, people["staff"])
    assert figure(dt.date(2022, 8, 31)) == Decimal(2)
