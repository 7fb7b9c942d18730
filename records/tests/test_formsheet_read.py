"""A form definition sheet is read as people write it, in Chinese words, and every problem is
said in Chinese with its sheet, its row as Excel numbers it, and its column."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from records.formfile import FormReader
from records.formsheet import form_sheet_xlsx, form_spec_json
from records.imports import FileRefused
from records.imports.limits import MAX_SHEETS
from records.tests.crafted import CRAFTED
from records.tests.formsheets import edited, read, row_of, without_rows
from records.tests.sheets import csv_bytes

NAMES = {"P11-units": "开办暑期爱心托管班", "P13-five-deliveries": "“五送”活动场次"}


@pytest.fixture(scope="module")
def childcare(plan_2022_spec):
    form = next(f for p in plan_2022_spec.programmes for f in p.forms if f.code == "childcare")
    return form_sheet_xlsx(spec=form, indicator_names=NAMES)


def field_row(data, code):
    return row_of(data, "字段", code)


def problems_after(data, sheet, changes):
    return read(edited(data, sheet, changes), NAMES).problems


def test_an_unknown_type_word_names_the_cell_and_the_words_to_use(childcare):
    row = field_row(childcare, "children")
    assert problems_after(childcare, "字段", {(row, "类型"): "数子"}) == [
        f"字段表第{row}行「类型」：无法识别「数子」，可选：文本、整数、小数、金额、日期、"
        "日期范围、单选、多选、单位、是/否、文件、位置"
    ]


def test_yes_no_and_ranges_say_how_to_write_them(childcare):
    row = field_row(childcare, "children")
    period = field_row(childcare, "period")
    assert problems_after(
        childcare,
        "字段",
        {(row, "必填"): "也许", (row, "范围/选项"): "很多", (period, "范围/选项"): "全年"},
    ) == [
        f"字段表第{period}行「范围/选项」：「全年」看不懂：日期字段写成「2022-01-01 至 2022-12-31」"
        "「不早于 2022-01-01」或「不晚于 2022-12-31」",
        f"字段表第{row}行「必填」：应填“是”或“否”，现为「也许」",
        f"字段表第{row}行「范围/选项」：「很多」看不懂：数字字段写成「0 至 100」「≥ 0」或「≤ 100」",
    ]


def test_the_plan_file_readers_problems_come_back_with_their_place(childcare):
    children = field_row(childcare, "children")
    name = field_row(childcare, "name")
    problems = problems_after(
        childcare,
        "字段",
        {
            (children, "标准"): "kids >= 20：托管规模不足20人",
            (name, "代码"): "host",
            (name, "计算公式"): None,
        },
    )
    assert f"字段表第{children}行「标准」：公式「kids >= 20」用到了不存在的字段：kids" in problems
    assert f"字段表第{name + 1}行「代码」：字段代码「host」重复" in problems


def test_a_check_without_its_message_is_refused_with_an_example(childcare):
    row = field_row(childcare, "children")
    assert problems_after(childcare, "字段", {(row, "规则"): "children <= 500"}) == [
        f"字段表第{row}行「规则」：「children <= 500」看不懂：每行写成「条件：提示」，"
        "如 children >= 20：托管规模不足20人"
    ]


def test_settings_and_indicators_are_named_by_their_row(childcare):
    deadline = row_of(childcare, "设置", "截止日期")
    late = row_of(childcare, "设置", "逾期处理")
    data = edited(childcare, "设置", {(deadline, "内容"): "下个月", (late, "内容"): "随便"})
    data = edited(data, "指标", {(2, "指标代码"): "P99-nothing"})
    assert read(data, NAMES).problems == [
        f"设置表第{deadline}行「截止日期」：「下个月」看不懂：截止日期写成「2022-06-15、2022-11-25」"
        "「每季度结束后 5 日内」或「活动日期后 7 日内」，随时报送则留空",
        f"设置表第{late}行「逾期处理」：无法识别「随便」，可选：逾期标记、逾期不予统计",
        "指标表第2行「指标代码」：没有指标「P99-nothing」",
    ]


def test_a_misspelt_header_and_a_missing_sheet_are_named(childcare):
    data = edited(childcare, "字段", {(1, "必填"): "必须"})
    assert read(data, NAMES).problems[0] == (
        "字段表第1行：不认识的列「必须」（可用：代码、字段、类型、必填、范围/选项、计量单位、规则、"
        "标准、说明、计算公式、小数位数、格式、格式提示、只能前移、个人信息）"
    )
    wb = Workbook()
    wb.active.title = "设置"
    buffer = io.BytesIO()
    wb.save(buffer)
    assert (
        "工作簿：找不到「字段」工作表（可下载空白模板对照）"
        in read(buffer.getvalue(), NAMES).problems
    )


def test_an_excel_formula_in_a_cell_is_refused(childcare):
    row = field_row(childcare, "children")
    assert problems_after(childcare, "字段", {(row, "字段"): "=A1"}) == [
        f"字段表第{row}行「字段」：单元格含有 Excel 公式，请改为直接填写内容",
        f"字段表第{row}行「字段」：不能为空",
    ]


def test_a_form_code_unfit_for_an_address_is_refused(childcare):
    row = row_of(childcare, "设置", "代码")
    assert problems_after(childcare, "设置", {(row, "内容"): "托管班"}) == [
        f"设置表第{row}行「代码」：应为小写英文字母、数字和连字符（-），不超过 40 个字符，"
        "如 childcare"
    ]


def test_text_longer_than_the_form_can_hold_is_refused(childcare):
    row = row_of(childcare, "设置", "附件")
    assert problems_after(childcare, "设置", {(row, "内容"): "附件" * 11}) == [
        f"设置表第{row}行「附件」：不能超过 20 个字（现有 22 个）"
    ]


def test_an_overlong_formula_is_refused_before_it_is_parsed(childcare):
    row = field_row(childcare, "children")
    long = "+".join(["children"] * 400)
    assert problems_after(
        childcare, "字段", {(row, "标准"): f"{long} > 0：太多", (row, "计算公式"): long}
    ) == [
        f"字段表第{row}行「计算公式」：公式不能超过 300 个字符，请拆成几条或简化",
        f"字段表第{row}行「标准」：公式不能超过 300 个字符，请拆成几条或简化",
    ]


def test_only_xlsx_is_read(childcare):
    with pytest.raises(FileRefused, match="只能上传 xlsx 文件"):
        read(csv_bytes([["代码", "字段"]], "utf-8"), NAMES, name="表.csv")


def _as_fields_sheet(data: bytes) -> bytes:
    """The workbook with its first sheet named 字段, the sheet the reader scans and reads."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/workbook.xml":
                part = part.replace(b'name="Sheet1"', 'name="字段"'.encode())
            target.writestr(item, part)
    return buffer.getvalue()


# Renaming the sheet means unpacking every part, which a damaged deflate stream prevents: that
# case is read_upload's (records/tests/test_import_hostile.py), through the same checks.
@pytest.mark.parametrize(
    "case",
    sorted(
        c
        for c, (name, _m, _t) in CRAFTED.items()
        if name.endswith(".xlsx") and c != "corrupt-deflate"
    ),
)
def test_a_hostile_workbook_is_refused_with_the_limits_of_any_upload(case):
    name, make, message = CRAFTED[case]
    with pytest.raises(FileRefused, match=re.escape(message)):
        read(_as_fields_sheet(make()), NAMES, name=name)


def test_a_workbook_of_too_many_sheets_is_refused_unread():
    wb = Workbook()
    for i in range(MAX_SHEETS + 1):
        wb.create_sheet(f"表{i}")
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(FileRefused, match=f"工作表超过 {MAX_SHEETS} 个"):
        read(buffer.getvalue(), NAMES)


def test_removing_a_field_row_leaves_a_form_without_it(childcare):
    row = field_row(childcare, "documents")
    back = read(without_rows(childcare, "字段", [row]), NAMES)
    assert back.problems == []
    assert "documents" not in back.spec.schema.by_code


def test_a_sheet_written_by_hand_in_chinese_words_reads_as_the_plan_file_would():
    wb = Workbook()
    fields = wb.active
    fields.title = "字段"
    fields.append(["字段", "类型", "必填", "范围/选项", "规则", "标准", "说明", "代码", "计量单位"])
    fields.append(["活动名称", "文本", "是", "最多50字", None, None, None, "name", None])
    fields.append(
        ["活动日期", "日期", "是", "2022年1月1日至2022年12月31日", None, None, None, "held_on"]
    )
    fields.append(["形式", "单选", "是", "线上，线下", None, None, None, "mode"])
    fields.append(["内容", "多选", "否", "宣讲\n咨询、调解\n义诊", None, None, None, "items"])
    fields.append(
        ["参加人数", "整数", "是", "≥0", None, ">= 20：参加人数不足20人", None, "people", "人"]
    )
    fields.append(["已备案", "是/否", "否", None, None, None, "备案后选是", "filed"])
    fields.append(["照片", "照片", "否", None, None, None, None, "photos"])
    settings = wb.create_sheet("设置")
    settings.append(["项目", "内容"])
    settings.append(["代码", "talks"])
    settings.append(["名称", "宣讲活动登记表"])
    settings.append(["识别字段", "活动名称、活动日期"])
    settings.append(["截止日期", "每季度结束后5日内"])
    settings.append(["截止日期依据", "活动日期"])
    settings.append(["逾期处理", "逾期不予统计"])
    checks = wb.create_sheet("规则")
    checks.append(["类别", "条件", "提示"])
    checks.append(["规则", "mode == '线下' or blank(people)", "线上活动不填参加人数"])
    computes = wb.create_sheet("指标")
    computes.append(["指标代码", "方式", "条件", "只计达标"])
    computes.append(["“五送”活动场次", "计数", "mode == '线下'", "是"])
    buffer = io.BytesIO()
    wb.save(buffer)
    back = read(buffer.getvalue(), NAMES)
    assert back.problems == []

    as_yaml = {
        "code": "talks",
        "title": "宣讲活动登记表",
        "key": ["name", "held_on"],
        "deadline": {"every": "quarterly", "days_after": 5, "by": "held_on"},
        "late_policy": "exclude",
        "fields": [
            {
                "code": "name",
                "label": "活动名称",
                "type": "text",
                "required": True,
                "max_length": 50,
            },
            {
                "code": "held_on",
                "label": "活动日期",
                "type": "date",
                "required": True,
                "min_date": "2022-01-01",
                "max_date": "2022-12-31",
            },
            {
                "code": "mode",
                "label": "形式",
                "type": "choice",
                "required": True,
                "choices": ["线上", "线下"],
            },
            {
                "code": "items",
                "label": "内容",
                "type": "multi_choice",
                "choices": ["宣讲", "咨询、调解", "义诊"],
            },
            {
                "code": "people",
                "label": "参加人数",
                "type": "integer",
                "required": True,
                "min": 0,
                "unit": "人",
            },
            {"code": "filed", "label": "已备案", "type": "yes_no", "help": "备案后选是"},
            {"code": "photos", "label": "照片", "type": "file"},
        ],
        "rules": [{"check": "mode == '线下' or blank(people)", "message": "线上活动不填参加人数"}],
        "standards": [{"check": "people >= 20", "message": "参加人数不足20人"}],
        "computes": [
            {
                "indicator": "P13-five-deliveries",
                "count": True,
                "where": "mode == '线下'",
                "compliant_only": True,
            }
        ],
    }
    problems = []
    [declared] = FormReader(problems, set(NAMES)).read([as_yaml], "forms")
    assert problems == []
    assert form_spec_json(back.spec) == form_spec_json(declared)
