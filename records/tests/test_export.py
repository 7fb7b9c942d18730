"""Exports of a form's rows: the full list and the notice's 附件 layouts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import Unit
from orgs.tests.factories import staff_of
from personal import crypto
from records.models import FormDefinition, Record

SLUG = "pingdingshan-2022"


def _record(form, unit, user, n, **data):
    values = {
        "unit_name": unit.pk,
        "product": f"产品{n}",
        "origin": "定点扶贫村",
        "method": "其他",
        "purchased_on": "2022-05-01",
        "amount": "12345.67",
        "members": None,
        "per_member": None,
        **data,
    }
    return Record.objects.create(
        form=form, unit=unit, row_key=f"k{unit.pk}-{n}", data=values, created_by=user
    )


@pytest.fixture
def consumption(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    return FormDefinition.objects.get(plan=plan_2022, code="consumption")


def _get(client, user, name, code="consumption"):
    client.force_login(user)
    response = client.get(reverse(f"records:{name}", kwargs={"slug": SLUG, "code": code}))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_a_unit_exports_its_own_rows_typed_and_formula_safe(
    client, consumption, jiaxian_reporter, ruzhou_reporter
):
    jiaxian = jiaxian_reporter.unit
    _record(consumption, jiaxian, jiaxian_reporter, 1, product="=HYPERLINK(1)")
    record = _record(consumption, jiaxian, jiaxian_reporter, 2)
    Record.objects.filter(pk=record.pk).update(is_compliant=False, issues=["人均超过2000元"])
    _record(consumption, ruzhou_reporter.unit, ruzhou_reporter, 3)
    ws = _book = _get(client, jiaxian_reporter, "export").worksheets[0]
    headers = [c.value for c in ws[3]]
    assert headers[:3] == ["单位", "单位名称", "产品名称"]
    assert headers[-7:] == [
        "状态",
        "是否达标",
        "未达标原因",
        "截止日期",
        "是否逾期",
        "来源",
        "最后修改",
    ]
    assert "数据截至 2022年6月1日" in ws["A2"].value
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == 2  # 汝州's row is not there
    by = dict(zip(headers, rows[0], strict=True))
    assert by["产品名称"] == "'=HYPERLINK(1)"
    assert by["金额（元）"] == pytest.approx(12345.67)
    assert by["采购日期"].date() == dt.date(2022, 5, 1)  # a real date cell, not text
    assert by["状态"] == "草稿"
    second = dict(zip(headers, rows[1], strict=True))
    assert (second["是否达标"], second["未达标原因"]) == ("未达标", "人均超过2000元")


def test_attachment_3_prints_money_in_ten_thousands_with_a_total_per_unit(
    client, consumption, jiaxian_reporter, plan_2022
):
    jiaxian = jiaxian_reporter.unit
    _record(consumption, jiaxian, jiaxian_reporter, 1, amount="12345.67")
    _record(consumption, jiaxian, jiaxian_reporter, 2, amount="500")
    ws = _get(client, jiaxian_reporter, "attachment").worksheets[0]
    assert ws["A1"].value == f"{jiaxian.name}消费惠农统计表"
    assert [c.value for c in ws[3]] == [
        "单位名称",
        "产品名称",
        "产品来源",
        "采购方式",
        "金额（单位：万元）",
        "合计（单位：万元）",
    ]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)] == [
        [jiaxian.name, "产品1", "定点扶贫村", "其他", 1.2346, 1.2846],
        [None, "产品2", "定点扶贫村", "其他", 0.05, None],
    ]
    assert ws["E4"].number_format == "0.0000"
    assert "A4:A5" in {str(r) for r in ws.merged_cells.ranges}


def test_attachment_1_is_numbered_and_titled_with_the_unit(client, plan_2022, jiaxian_reporter):
    form = FormDefinition.objects.get(plan=plan_2022, code="products")
    unit = jiaxian_reporter.unit
    for n, product in enumerate(["香菇", "木耳"]):
        Record.objects.create(
            form=form,
            unit=unit,
            row_key=str(n),
            created_by=jiaxian_reporter,
            data={
                "product": product,
                "recommender": "张三",
                "phone": crypto.seal("13800000000"),
                "note": None,
            },
        )
    ws = _get(client, jiaxian_reporter, "attachment", "products").worksheets[0]
    assert ws["A1"].value == f"{unit.name}优质农副产品推荐统计表"
    assert [c.value for c in ws[3]] == ["序号", "推荐产品", "推荐人", "联系电话", "备注"]
    assert [c.value for c in ws[4]] == [1, "香菇", "张三", "138****0000", None]


def test_culture_statistics_count_rows_per_unit_two_units_a_line(client, plan_2022, leader):
    form = FormDefinition.objects.get(plan=plan_2022, code="culture")
    staff = staff_of("宣传教育部", username="culture-staff")
    ruzhou = Unit.objects.get(code="ruzhou")
    for n in range(3):
        Record.objects.create(
            form=form, unit=ruzhou, row_key=str(n), created_by=staff, data={"name": str(n)}
        )
    ws = _get(client, staff, "attachment", "culture").worksheets[0]
    assert [c.value for c in ws[3]] == ["单位", "“五送”活动场次"] * 2
    assert [c.value for c in ws[4]] == ["汝州市总工会", 3, "新华区总工会", 0]
    last = [c.value for c in ws[ws.max_row] if c.value is not None]
    assert last[-1] == "总计：3"


def test_a_form_without_a_layout_has_no_attachment_export(client, plan_2022, jiaxian_reporter):
    client.force_login(jiaxian_reporter)
    url = reverse("records:attachment", kwargs={"slug": SLUG, "code": "childcare"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["export", "attachment"])
def test_export_queries_do_not_grow_with_rows_or_units(
    client, consumption, django_assert_max_num_queries, name
):
    staff = staff_of("权益保障部", username="rights-staff")
    client.force_login(staff)
    url = reverse(f"records:{name}", kwargs={"slug": SLUG, "code": "consumption"})
    units = list(Unit.objects.filter(plans=consumption.plan)[:6])
    for size in (2, 6):
        for unit in units[:size]:
            for n in range(size):
                _record(consumption, unit, staff, f"{size}-{n}")
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
