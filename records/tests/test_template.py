"""The Excel template of a form: headers, drop-downs, the unit filled in, instructions."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import Unit
from records.imports.template import HEADER_ROW, HELP_SHEET
from records.models import FormDefinition

SLUG = "pingdingshan-2022"


def _book(client, user, code):
    client.force_login(user)
    response = client.get(reverse("records:import_template", kwargs={"slug": SLUG, "code": code}))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _validations(ws) -> dict[str, list[str]]:
    """Column letter → the choices its drop-down offers."""
    lists = ws.parent["选项"]
    out = {}
    for dv in ws.data_validations.dataValidation:
        source = dv.formula1.split("!")[1].replace("$", "")
        choices = [c.value for row in lists[source] for c in row]
        for ref in str(dv.sqref).split():
            out[ref.split(":")[0].rstrip("0123456789")] = choices
    return out


def test_template_has_a_header_per_field_and_two_columns_for_a_date_range(client, jiaxian_reporter):
    ws = _book(client, jiaxian_reporter, "consumption-activities").worksheets[0]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == [
        "活动名称",
        "活动起止日期（开始）",
        "活动起止日期（结束）",
        "活动开展方式",
        "组织活动平台",
        "联合单位",
        "参与人次（人次）",
        "投入资金（元）",
        "拉动消费金额（元）",
    ]
    assert "郏县总工会" in ws["A1"].value
    assert ws.freeze_panes == "A3"
    assert _validations(ws) == {"D": ["线上", "线下", "线上线下结合"]}


def test_template_offers_yes_no_and_fills_in_the_unit(client, jiaxian_reporter, plan_2022):
    book = _book(client, jiaxian_reporter, "consumption")
    ws = book.worksheets[0]
    assert ws.cell(HEADER_ROW, 1).value == "单位名称"
    assert ws.cell(HEADER_ROW + 1, 1).value == Unit.objects.get(code="jiaxian").name
    assert ws.cell(HEADER_ROW + 1, 2).value is None
    choices = _validations(ws)
    assert (
        choices["C"][0] == "河南省脱贫摘帽地区" and choices["D"][1] == "会员农副产品（慰问品之外）"
    )
    culture = _book(client, jiaxian_reporter, "culture").worksheets[0]
    assert _validations(culture)["G"] == ["是", "否"]  # 示范性文艺活动


def test_instructions_list_every_field_rule_standard_and_the_deadline(
    client, jiaxian_reporter, plan_2022
):
    ws = _book(client, jiaxian_reporter, "childcare")[HELP_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    form = FormDefinition.objects.get(plan=plan_2022, code="childcare")
    for f in form.schema.fields:
        assert f.label in text
    assert "整数" in text and "是/否" in text and "起止日期" in text
    assert "不小于 0" in text and "不大于 1000" in text
    assert "累计出勤人次不能多于托管人数 × 托管天数" in text  # a rule
    assert "托管时间不足20个工作日" in text  # a standard
    assert "由系统计算" in text and "请在网页上逐条上传附件" in text
    assert form.schema.deadline.describe() in text


@pytest.mark.parametrize("code", ["culture", "consumption", "childcare", "nursing-rooms"])
def test_a_filled_template_imports_cleanly(client, jiaxian_reporter, code):
    """The template's own headers are what the import reads (an empty template has no rows)."""
    book = _book(client, jiaxian_reporter, code)
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("records:import_upload", kwargs={"slug": SLUG, "code": code})
    from records.tests.sheets import upload

    response = client.post(url, {"file": upload("模板.xlsx", buffer.getvalue())})
    assert "文件中没有数据行" in response.content.decode()
