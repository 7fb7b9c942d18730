"""Every form of the 2022 plan written as a spreadsheet and read back is the form the plan file
declares, and a stored form exported and imported again changes nothing."""

import pytest

from records.formchange import form_change
from records.formsheet import form_sheet_xlsx, form_spec_json
from records.models import FormDefinition
from records.tests.formsheets import read, rows, stored_sheet

FORMS_2022 = [
    "competitions",
    "stays",
    "new-form-federations",
    "legal-teams",
    "legal-activities",
    "law-training",
    "risk-screening",
    "rest-batches",
    "stations",
    "breakfast-survey",
    "childcare",
    "nursing-rooms",
    "employment-events",
    "culture",
    "products",
    "consumption-activities",
    "consumption",
]


@pytest.fixture(scope="module")
def declared(plan_2022_spec):
    forms = {f.code: f for p in plan_2022_spec.programmes for f in p.forms}
    names = {i.code: i.name for p in plan_2022_spec.programmes for i in p.indicators}
    return forms, names


def test_the_round_trip_covers_every_form_of_the_plan(declared):
    forms, _names = declared
    assert sorted(forms) == sorted(FORMS_2022)


@pytest.mark.parametrize("code", FORMS_2022)
def test_a_form_of_the_plan_comes_back_from_its_sheet_unchanged(declared, code):
    forms, names = declared
    back = read(form_sheet_xlsx(spec=forms[code], indicator_names=names), names)
    assert back.problems == []
    assert form_spec_json(back.spec) == form_spec_json(forms[code])


def test_the_sheet_speaks_in_chinese_words_not_code_names(declared):
    forms, names = declared
    data = form_sheet_xlsx(spec=forms["childcare"], indicator_names=names)
    fields = rows(data, "字段")
    assert fields[0][:9] == [
        "代码",
        "字段",
        "类型",
        "必填",
        "范围/选项",
        "计量单位",
        "规则",
        "标准",
        "说明",
    ]
    children = next(r for r in fields if r[0] == "children")
    assert children[1:6] == ["托管人数", "整数", "是", "0 至 1000", "人"]
    assert children[7] == "children >= 20：托管规模不足20人"
    period = next(r for r in fields if r[0] == "period")
    assert period[2:5] == ["日期范围", "是", "2022-01-01 至 2022-12-31"]
    settings = {r[0]: r[1] for r in rows(data, "设置")}
    assert settings["名称"] == "暑期爱心托管班登记表"
    assert settings["逾期处理"] == "逾期标记"
    assert rows(data, "指标")[1][:3] == ["P11-units", names["P11-units"], "计数"]


def test_choices_holding_a_separator_are_written_one_a_line(declared):
    forms, names = declared
    data = form_sheet_xlsx(spec=forms["nursing-rooms"], indicator_names=names)
    facilities = next(r for r in rows(data, "字段") if r[0] == "facilities")
    assert facilities[4].split("\n")[1] == "②明亮私密、防滑地面和垃圾桶"
    kind = next(r for r in rows(data, "字段") if r[0] == "kind")
    assert kind[4] == "公共场所、单位内部"


def test_a_check_over_several_fields_goes_to_the_rules_sheet_in_order(declared):
    forms, names = declared
    data = form_sheet_xlsx(spec=forms["nursing-rooms"], indicator_names=names)
    checks = rows(data, "规则")
    # The check on 类型 and 配套设施 is the ninth standard: it and those after it keep their
    # order on the 规则 sheet.
    assert [r[0] for r in checks[1:]] == ["标准", "标准", "标准"]
    assert checks[1][2] == "公共场所母婴室缺少⑧带安全扣的婴儿尿布台、婴儿床"
    assert checks[3][2] == "缺少使用登记、清洁管理、安全管理制度"


@pytest.mark.django_db
def test_every_stored_form_exported_and_imported_again_changes_nothing(plan_2022):
    names = dict(plan_2022.indicators.values_list("code", "name"))
    for form in FormDefinition.objects.filter(plan=plan_2022).select_related("programme"):
        back = read(stored_sheet(form), names)
        assert back.problems == [], form.code
        change = form_change(plan=plan_2022, programme=form.programme, spec=back.spec)
        assert (change.changes, change.refusals, change.changed) == ([], [], False), form.code


def test_a_blank_sheet_has_every_sheet_and_header_and_says_what_is_missing():
    data = form_sheet_xlsx(spec=None, indicator_names={"P11-units": "托管班"})
    assert rows(data, "字段") == [
        ["代码", "字段", "类型", "必填", "范围/选项", "计量单位", "规则", "标准", "说明"]
        + ["计算公式", "小数位数", "格式", "格式提示", "只能前移", "个人信息"]
    ]
    assert [r[0] for r in rows(data, "设置")][1:4] == ["代码", "名称", "附件"]
    assert rows(data, "指标一览")[1] == ["P11-units", "托管班"]
    blank = read(data, {"P11-units": "托管班"})
    assert set(blank.problems) == {
        "设置表第2行「代码」：不能为空",
        "设置表第3行「名称」：不能为空",
        "字段表：应列出至少一个字段",
    }
