"""Helpers for the web tests of records: forms, rows and reading pages."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Programme
from records.models import FormDefinition, Record
from records.services import record_create

SLUG = "pingdingshan-2022"

CHILDCARE = {
    "name": "鹰城暑期托管班",
    "host": "汝州市总工会",
    "place": "汝州市工人文化宫",
    "period_start": "2022-09-01",
    "period_end": "2022-09-30",
    "children": "25",
    "attendance": "420",
    "has_agreement": "是",
    "has_insurance": "是",
}

# A form with one field of every type, under 专案1 (劳动和经济工作部), with a standard that
# depends on a file field so that uploads re-judge the row.
ALL_TYPES_SPEC = {
    "fields": [
        {"code": "name", "label": "名称", "type": "text", "required": True, "max_length": 20},
        {"code": "count", "label": "人数", "type": "integer", "unit_of_measure": "人"},
        {
            "code": "area",
            "label": "面积",
            "type": "decimal",
            "places": 1,
            "unit_of_measure": "平方米",
        },
        {"code": "money", "label": "金额", "type": "money", "unit_of_measure": "元"},
        {"code": "day", "label": "日期", "type": "date"},
        {"code": "period", "label": "起止日期", "type": "date_range"},
        {"code": "kind", "label": "类别", "type": "choice", "choices": ["甲类", "乙类"]},
        {
            "code": "items",
            "label": "设施",
            "type": "multi_choice",
            "choices": ["桌子", "椅子", "冰箱"],
        },
        {"code": "unit_name", "label": "单位名称", "type": "unit"},
        {"code": "ok", "label": "已签协议", "type": "yes_no"},
        {"code": "scan", "label": "扫描件", "type": "file"},
        {"code": "where", "label": "位置", "type": "location"},
        {
            "code": "double",
            "label": "两倍人数",
            "type": "integer",
            "compute": "count * 2",
            "unit_of_measure": "人",
        },
    ],
    "rules": [],
    "standards": [{"check": "scan >= 1", "message": "须上传扫描件"}],
}


GOOD_ALL_TYPES = {
    "name": "测试行",
    "count": "12",
    "area": "10.5",
    "money": "1,200.5",
    "day": "2022-07-11",
    "period_start": "2022-09-01",
    "period_end": "2022-09-30",
    "kind": "乙类",
    "items": ["桌子", "冰箱"],
    "ok": "否",
    "where": "33.7385，113.3081",
}


def all_types_form(plan) -> FormDefinition:
    return FormDefinition.objects.create(
        plan=plan,
        programme=Programme.objects.get(plan=plan, number=1),
        code="all-types",
        order=99,
        title="全部字段类型测试表",
        spec=ALL_TYPES_SPEC,
    )


def form(plan, code: str) -> FormDefinition:
    return FormDefinition.objects.get(plan=plan, code=code)


def url(name: str, **kwargs) -> str:
    if name in ("hub", "rows", "row_new", "row", "row_delete", "evidence_upload"):
        kwargs.setdefault("slug", SLUG)
    return reverse(f"records:{name}", kwargs=kwargs)


def childcare_row(plan, reporter, **changes) -> Record:
    raw = {k: v for k, v in CHILDCARE.items() if not k.startswith("period_")}
    raw["period"] = [CHILDCARE["period_start"], CHILDCARE["period_end"]]
    raw.update(changes)
    return record_create(form=form(plan, "childcare"), unit=reporter.unit, actor=reporter, raw=raw)


def competition_row(plan, reporter, name: str) -> Record:
    return record_create(
        form=form(plan, "competitions"),
        unit=reporter.unit,
        actor=reporter,
        raw={
            "name": name,
            "level": "县级",
            "category": "职工技能竞赛",
            "organiser": "县总工会",
            "stage": "申报",
            "period": ["2022-05-01", "2022-06-30"],
        },
    )


def block(html: str, element_id: str) -> str:
    """The text of the page from the element with `element_id` to the next field block."""
    start = html.index(f'id="{element_id}"')
    following = re.search(r'id="(field|computed)-', html[start + 10 :])
    return html[start : start + 10 + following.start()] if following else html[start:]


def queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = callable_()
    assert response.status_code == 200
    return len(captured)
