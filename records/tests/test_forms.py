"""The row form generated from a schema: every field type renders as the right input and comes
back through the web unchanged; bad input is answered in Chinese next to its field."""

import pytest

from records.forms import BatchForm, RecordForm
from records.models import Record
from records.tests.web import GOOD_ALL_TYPES, all_types_form, block, url

GOOD = GOOD_ALL_TYPES


@pytest.fixture
def all_types(plan_2022):
    return all_types_form(plan_2022)


def test_each_field_type_renders_as_its_input(client, ruzhou_reporter, all_types):
    client.force_login(ruzhou_reporter)
    html = client.get(url("row_new", code="all-types")).content.decode()
    assert 'name="name"' in block(html, "field-name")
    assert 'inputmode="numeric"' in block(html, "field-count")
    assert "人</span>" in block(html, "field-count")
    assert 'inputmode="decimal"' in block(html, "field-area")
    assert "平方米" in block(html, "field-area")
    assert 'inputmode="decimal"' in block(html, "field-money")
    assert 'type="date"' in block(html, "field-day")
    period = block(html, "field-period")
    assert 'name="period_start"' in period and 'name="period_end"' in period
    assert period.count('type="date"') == 2
    kind = block(html, "field-kind")
    assert "<select" in kind and '<option value="乙类">' in kind
    assert block(html, "field-items").count('type="checkbox"') == 3
    ok = block(html, "field-ok")
    assert ok.count('type="radio"') == 2 and 'value="是"' in ok and 'value="否"' in ok
    unit = block(html, "field-unit_name")
    assert "disabled" in unit and f'value="{ruzhou_reporter.unit_id}" selected' in unit
    assert "纬度" in block(html, "field-where")
    # Files are attached after saving; computed fields are never typed in.
    assert 'name="scan"' not in html and 'name="double"' not in html
    assert "扫描件：保存本条记录后即可上传" in html


def test_every_field_type_round_trips_through_the_web_form(client, ruzhou_reporter, all_types):
    client.force_login(ruzhou_reporter)
    response = client.post(url("row_new", code="all-types"), GOOD)
    assert response.status_code == 302
    record = Record.objects.get(form=all_types)
    assert record.data == {
        "name": "测试行",
        "count": 12,
        "area": "10.5",
        "money": "1200.50",
        "day": "2022-07-11",
        "period": {"start": "2022-09-01", "end": "2022-09-30"},
        "kind": "乙类",
        "items": ["桌子", "冰箱"],
        "unit_name": ruzhou_reporter.unit_id,
        "ok": False,
        "where": {"lat": "33.7385", "lng": "113.3081"},
        "double": 24,
    }
    html = client.get(response["Location"]).content.decode()
    assert 'value="12"' in block(html, "field-count")
    assert 'value="10.5"' in block(html, "field-area")
    assert 'value="1200.50"' in block(html, "field-money")
    assert 'value="2022-07-11"' in block(html, "field-day")
    period = block(html, "field-period")
    assert 'value="2022-09-01"' in period and 'value="2022-09-30"' in period
    assert '<option value="乙类" selected>' in block(html, "field-kind")
    items = block(html, "field-items")
    assert items.count("checked") == 2 and 'value="椅子" class="form-check-input" id' in items
    assert 'value="否" class="form-check-input" id="id_ok_1" checked' in block(html, "field-ok")
    assert 'value="33.7385,113.3081"' in block(html, "field-where")
    assert "24 人" in block(html, "computed-double")

    # Saving the page as it is changes nothing but the version.
    again = dict(GOOD, version=record.version)
    assert client.post(url("row", pk=record.pk), again).status_code == 302
    record.refresh_from_db()
    assert record.version == 2 and record.data["money"] == "1200.50"


def test_the_unit_field_is_never_read_from_the_post(client, ruzhou_reporter, all_types):
    client.force_login(ruzhou_reporter)
    other = ruzhou_reporter.unit_id + 1
    client.post(url("row_new", code="all-types"), dict(GOOD, unit_name=str(other)))
    assert Record.objects.get(form=all_types).data["unit_name"] == ruzhou_reporter.unit_id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("count", "十二", "「十二」不是数字"),
        ("count", "1.5", "应为整数"),
        ("area", "10.55", "最多 1 位小数"),
        ("money", "-3", "金额不能为负数"),
        ("day", "2022-02-30", "不是有效日期"),
        ("kind", "丙类", "不是可选项"),
        ("items", ["桌子", "沙发"], "「沙发」不是可选项"),
        ("ok", "也许", "应填“是”或“否”"),
        ("where", "113.3,33.7,5", "应填写“纬度,经度”"),
        ("where", "120,33", "纬度应在 -90 到 90 之间"),
        ("name", "长" * 21, "不能超过 20 个字"),
        ("name", "", "必填"),
        ("name", "长" * 6000, "内容过长"),
    ],
)
def test_bad_input_is_answered_in_chinese_next_to_its_field(
    client, ruzhou_reporter, all_types, field, value, message
):
    client.force_login(ruzhou_reporter)
    response = client.post(url("row_new", code="all-types"), dict(GOOD, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in block(html, f"field-{field}")
    assert "is-invalid" in block(html, f"field-{field}")
    assert not Record.objects.filter(form=all_types).exists()


def test_half_a_date_range_is_refused_next_to_the_range(client, ruzhou_reporter, all_types):
    client.force_login(ruzhou_reporter)
    data = dict(GOOD, period_end="")
    html = client.post(url("row_new", code="all-types"), data).content.decode()
    assert "应填写开始和结束两个日期" in block(html, "field-period")
    data = dict(GOOD, period_start="2022-09-30", period_end="2022-09-01")
    html = client.post(url("row_new", code="all-types"), data).content.decode()
    assert "结束日期不能早于开始日期" in block(html, "field-period")


def test_a_garbled_version_is_a_message_not_an_error_page(client, ruzhou_reporter, all_types):
    client.force_login(ruzhou_reporter)
    client.post(url("row_new", code="all-types"), GOOD)
    record = Record.objects.get(form=all_types)
    response = client.post(url("row", pk=record.pk), dict(GOOD, version="x"))
    assert response.status_code == 200
    assert "页面已过期，请刷新后重试" in response.content.decode()


def test_the_batch_form_reads_rows_with_their_versions_and_wants_a_reason_to_return():
    form = BatchForm({"action": "return", "rows": ["12.3", "14.1"], "reason": " "})
    assert not form.is_valid()
    assert form.errors["reason"] == ["请填写退回原因。"]
    form = BatchForm({"action": "approve", "rows": ["12.3", "14.1"]})
    assert form.is_valid() and form.cleaned_data["rows"] == {12: 3, 14: 1}
    assert not BatchForm({"action": "approve", "rows": ["12"]}).is_valid()
    assert BatchForm({"action": "approve"}).errors["rows"] == ["请先选择记录。"]
    assert "action" in BatchForm({"action": "delete", "rows": ["1.1"]}).errors


def test_a_record_form_prefills_a_saved_row(plan_2022, ruzhou_reporter, all_types):
    record = Record(form=all_types, unit=ruzhou_reporter.unit, data={"count": 3}, version=4)
    form = RecordForm(
        form=all_types, unit_choices=[], own_unit=ruzhou_reporter.unit_id, record=record
    )
    assert form.initial["count"] == "3" and form.initial["version"] == 4
