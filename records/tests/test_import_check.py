"""Checking an upload row by row, and saving all valid rows or none."""

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs.models import Unit
from records.imports.checking import LOCKED
from records.models import FormDefinition, Record, RecordImport
from records.services import imports as import_services
from records.services.imports import record_import_preview, record_import_save
from records.tests.sheets import csv_bytes, filled_template, shared_strings_xlsx, upload

GOOD = {
    "产品名称": "香菇",
    "产品来源": "定点扶贫村",
    "采购方式": "年度节日慰问品",
    "采购日期": "2022-05-01",
    "金额（元）": 15000,
    "发放会员人数（人）": 10,
}


@pytest.fixture
def consumption(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    return FormDefinition.objects.get(plan=plan_2022, code="consumption")


@pytest.fixture
def jiaxian(plan_2022):
    return Unit.objects.get(code="jiaxian")


def _preview(form, unit, user, data, name="消费惠农.xlsx"):
    return record_import_preview(form=form, unit=unit, actor=user, uploaded=upload(name, data))


def test_a_file_mixing_good_and_bad_rows_lists_every_problem_by_row_column_and_reason(
    consumption, jiaxian, jiaxian_reporter
):
    data = filled_template(
        consumption,
        jiaxian,
        [
            GOOD,
            {**GOOD, "产品名称": "木耳", "采购日期": "2022-13-01", "金额（元）": -5},
            {**GOOD, "产品名称": "小米", "采购方式": "送礼"},
            {**GOOD, "产品名称": "蜂蜜", "单位名称": "汝州市总工会"},
            {**GOOD, "产品名称": "", "金额（元）": 100},
            {**GOOD, "产品名称": "红薯", "金额（元）": 30000},  # 3,000 元 a member: kept, flagged
        ],
    )
    imp = _preview(consumption, jiaxian, jiaxian_reporter, data)
    assert imp.errors == [
        {"row": 4, "column": "采购日期", "reason": "「2022-13-01」不是有效日期"},
        {"row": 4, "column": "金额（元）", "reason": "金额不能为负数"},
        {
            "row": 5,
            "column": "采购方式",
            "reason": "「送礼」不是可选项（可选：年度节日慰问品、会员农副产品（慰问品之外）、"
            "活动奖品纪念品、春秋游消暑游消费、电商平台采购、其他）",
        },
        {"row": 6, "column": "单位名称", "reason": "只能填写本单位（郏县）的数据"},
        {"row": 7, "column": "产品名称", "reason": "必填"},
    ]
    assert (imp.new_count, imp.update_count, imp.error_count, imp.noncompliant_count) == (
        2,
        0,
        4,
        1,
    )
    flagged = [r for r in imp.rows if not r["is_compliant"]]
    assert [(r["row"], r["issues"]) for r in flagged] == [(8, ["年度节日慰问品人均超过2000元"])]
    assert not Record.objects.filter(form=consumption).exists()  # nothing saved yet


def test_saving_writes_every_valid_row_once_with_source_import_and_audit(
    consumption, jiaxian, jiaxian_reporter
):
    rows = [{**GOOD, "产品名称": f"产品{i}"} for i in range(3)]
    imp = _preview(
        consumption, jiaxian, jiaxian_reporter, filled_template(consumption, jiaxian, rows)
    )
    record_import_save(record_import=imp, actor=jiaxian_reporter)
    saved = Record.objects.filter(form=consumption, unit=jiaxian)
    assert saved.count() == 3
    assert {r.source for r in saved} == {Record.Source.IMPORT}
    assert {r.data["unit_name"] for r in saved} == {jiaxian.pk}
    assert AuditEntry.objects.filter(event="records.record.created").count() == 3
    summary = AuditEntry.objects.get(event="records.import.saved")
    assert summary.after["created"] == 3
    imp.refresh_from_db()
    assert imp.status == RecordImport.Status.SAVED
    with pytest.raises(ServiceError, match="已保存"):  # a second click saves nothing
        record_import_save(record_import=imp, actor=jiaxian_reporter)
    assert saved.count() == 3


def test_uploading_the_same_file_again_adds_nothing(consumption, jiaxian, jiaxian_reporter):
    data = filled_template(consumption, jiaxian, [GOOD, {**GOOD, "产品名称": "木耳"}])
    record_import_save(
        record_import=_preview(consumption, jiaxian, jiaxian_reporter, data), actor=jiaxian_reporter
    )
    again = _preview(consumption, jiaxian, jiaxian_reporter, data)
    assert (again.new_count, again.update_count, again.unchanged_count) == (0, 0, 2)
    with pytest.raises(ServiceError, match="没有可保存"):
        record_import_save(record_import=again, actor=jiaxian_reporter)
    assert Record.objects.filter(form=consumption).count() == 2


def test_a_changed_draft_is_updated_but_a_submitted_row_is_not(
    consumption, jiaxian, jiaxian_reporter
):
    first = filled_template(consumption, jiaxian, [GOOD, {**GOOD, "产品名称": "木耳"}])
    record_import_save(
        record_import=_preview(consumption, jiaxian, jiaxian_reporter, first),
        actor=jiaxian_reporter,
    )
    Record.objects.filter(data__product="木耳").update(status=Record.Status.SUBMITTED)
    # The key is product + date + method: a new amount changes the same row.
    changed = filled_template(
        consumption,
        jiaxian,
        [{**GOOD, "金额（元）": 18000}, {**GOOD, "产品名称": "木耳", "金额（元）": 1}],
    )
    imp = _preview(consumption, jiaxian, jiaxian_reporter, changed)
    assert imp.errors == [{"row": 4, "column": "", "reason": LOCKED}]
    assert (imp.new_count, imp.update_count) == (0, 1)
    record_import_save(record_import=imp, actor=jiaxian_reporter)
    updated = Record.objects.get(data__product="香菇")
    assert (updated.data["amount"], updated.version) == ("18000.00", 2)
    entry = AuditEntry.objects.get(event="records.record.saved", object_id=str(updated.pk))
    assert (entry.before["data"]["amount"], entry.after["data"]["amount"]) == (
        "15000.00",
        "18000.00",
    )


def test_the_save_is_all_or_nothing(consumption, jiaxian, jiaxian_reporter, monkeypatch):
    rows = [{**GOOD, "产品名称": f"产品{i}"} for i in range(5)]
    imp = _preview(
        consumption, jiaxian, jiaxian_reporter, filled_template(consumption, jiaxian, rows)
    )

    def fail(**kwargs):
        raise RuntimeError("disk full")  # after the rows were inserted

    monkeypatch.setattr(import_services, "audit_record_many", fail)
    with pytest.raises(RuntimeError):
        record_import_save(record_import=imp, actor=jiaxian_reporter)
    assert not Record.objects.filter(form=consumption).exists()
    imp.refresh_from_db()
    assert imp.status == RecordImport.Status.PREVIEW


def test_a_row_added_since_the_preview_refuses_the_whole_save(
    consumption, jiaxian, jiaxian_reporter
):
    data = filled_template(consumption, jiaxian, [GOOD, {**GOOD, "产品名称": "木耳"}])
    first = _preview(consumption, jiaxian, jiaxian_reporter, data)
    second = _preview(consumption, jiaxian, jiaxian_reporter, data)
    record_import_save(record_import=first, actor=jiaxian_reporter)
    with pytest.raises(ServiceError, match="已有变化"):
        record_import_save(record_import=second, actor=jiaxian_reporter)
    assert Record.objects.filter(form=consumption).count() == 2


def test_only_the_uploader_can_save_and_a_preview_expires(
    consumption, jiaxian, jiaxian_reporter, settings
):
    from orgs.tests.factories import head_of

    imp = _preview(
        consumption, jiaxian, jiaxian_reporter, filled_template(consumption, jiaxian, [GOOD])
    )
    with pytest.raises(ServiceError, match="只有上传"):
        record_import_save(record_import=imp, actor=head_of("jiaxian", username="jx-head"))
    RecordImport.objects.filter(pk=imp.pk).update(
        created_at=imp.created_at - import_services.dt.timedelta(hours=25)
    )
    done = record_import_save(record_import=imp, actor=jiaxian_reporter)
    assert done.status == RecordImport.Status.EXPIRED
    assert not Record.objects.filter(form=consumption).exists()


def test_unit_names_go_through_the_resolver(consumption, jiaxian, jiaxian_reporter):
    data = filled_template(
        consumption,
        jiaxian,
        [{**GOOD, "单位名称": "郟县总工会"}, {**GOOD, "产品名称": "木耳", "单位名称": "某某工会"}],
    )
    imp = _preview(consumption, jiaxian, jiaxian_reporter, data)
    assert [r["data"]["unit_name"] for r in imp.rows] == [jiaxian.pk]
    assert imp.errors == [{"row": 4, "column": "单位名称", "reason": "无法识别单位「某某工会」"}]


HEADER = [
    "单位名称",
    "产品名称",
    "产品来源",
    "采购方式",
    "采购日期",
    "金额（元）",
    "发放会员人数（人）",
]
ROW = ["郏县", "香菇", "定点扶贫村", "年度节日慰问品", "2022/5/1", "1,500.5", "1"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_and_utf8_with_or_without_bom(
    consumption, jiaxian, jiaxian_reporter, encoding
):
    data = csv_bytes([HEADER, ROW, ["", "", "", "", "", "", ""]], encoding)
    imp = _preview(consumption, jiaxian, jiaxian_reporter, data, name="消费.csv")
    assert imp.errors == []
    [row] = imp.rows
    assert (row["data"]["product"], row["data"]["amount"]) == ("香菇", "1500.50")
    assert row["data"]["purchased_on"] == "2022-05-01"


def test_an_excel_or_wps_file_with_shared_strings_is_read(consumption, jiaxian, jiaxian_reporter):
    data = shared_strings_xlsx(
        [["标题行"], HEADER, ["郏县总工会", "香菇", "定点扶贫村", "其他", 44682, 2000, None]]
    )
    imp = _preview(consumption, jiaxian, jiaxian_reporter, data)
    assert imp.errors == []
    assert imp.rows[0]["data"]["purchased_on"] == "2022-05-01"  # an Excel serial date
    assert imp.rows[0]["row"] == 3


def test_columns_are_found_by_header_in_any_order_with_spaces_and_half_width_brackets(
    consumption, jiaxian, jiaxian_reporter
):
    header = [
        " 金额(元) ",
        "序号",
        "采购日期",
        "产品名称",
        "产品来源",
        "采购方式",
        "单位 名称",
        "颜色",
    ]
    row = [100, 1, "2022-05-01", "香菇", "定点扶贫村", "其他", "郏县", "红"]
    imp = _preview(consumption, jiaxian, jiaxian_reporter, shared_strings_xlsx([header, row]))
    assert imp.errors == []
    assert imp.rows[0]["data"]["amount"] == "100.00"
    assert imp.warnings == ["以下列不属于本表，已忽略：颜色"]


def test_a_missing_required_column_refuses_the_whole_file(consumption, jiaxian, jiaxian_reporter):
    header = ["单位名称", "产品名称", "产品来源", "采购日期"]
    with pytest.raises(ServiceError, match="缺少必填的列：采购方式、金额（元）"):
        _preview(
            consumption,
            jiaxian,
            jiaxian_reporter,
            shared_strings_xlsx([header, ["郏县", "a", "其他", "2022-05-01"]]),
        )
    assert not RecordImport.objects.exists()


def test_a_date_range_is_read_from_its_two_columns_or_one(plan_2022, jiaxian, jiaxian_reporter):
    form = FormDefinition.objects.get(plan=plan_2022, code="consumption-activities")
    base = {
        "活动名称": "展销",
        "活动开展方式": "线下",
        "参与人次（人次）": 10,
        "投入资金（元）": 1,
        "拉动消费金额（元）": 2,
    }
    two = filled_template(
        form,
        jiaxian,
        [{**base, "活动起止日期（开始）": "2022-05-01", "活动起止日期（结束）": "2022-05-03"}],
    )
    imp = _preview(form, jiaxian, jiaxian_reporter, two)
    assert imp.rows[0]["data"]["period"] == {"start": "2022-05-01", "end": "2022-05-03"}
    assert imp.rows[0]["due_date"] == "2022-05-10"
    header = ["活动名称", "活动起止日期", "活动开展方式", "参与人次", "投入资金", "拉动消费金额"]
    one = shared_strings_xlsx([header, ["展销", "2022-05-03 至 2022-05-01", "线下", 10, 1, 2]])
    imp = _preview(form, jiaxian, jiaxian_reporter, one)
    assert imp.errors == [
        {"row": 2, "column": "活动起止日期", "reason": "结束日期不能早于开始日期"}
    ]
