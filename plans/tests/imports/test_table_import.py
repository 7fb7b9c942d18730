"""Importing an allocation table: the preview of every row, and the write, all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs.models import Unit, UnitAlias
from plans.importing import sheet_read
from plans.lifecycle import plan_status_set
from plans.models import Allocation, AllocationRow, Indicator
from plans.selectors import table_get, table_layout
from plans.table_import import allocation_table_import, table_import_preview, table_sheet_read
from plans.tests.imports.sheets import T02_HEADERS, exported, t02_rows, table_preview, xlsx
from reporting.services.official import Figure, official_record


def rows_of(preview):
    return {r.label: r for r in preview.rows}


def confirm(plan, preview, actor, choices=None, aliases=frozenset()):
    return allocation_table_import(
        actor=actor,
        table=table_get(plan=plan, code=preview.table.code),
        sheet=preview.sheet,
        choices=choices or {},
        aliases=set(aliases),
        fingerprint=preview.fingerprint,
    )


def values(plan, code="T02"):
    layout = table_layout(table_get(plan=plan, code=code))
    return {row.label: cells for row, cells in layout.rows}


def test_each_row_says_how_its_unit_was_found(plan_2022):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市总工会": [10, 2, 80, 300, 100], "汝州市": None}))
    rows = rows_of(table_preview(plan_2022, "T02", upload))
    assert (rows["汝州市总工会"].unit.code, rows["汝州市总工会"].how) == ("ruzhou", "name")
    assert (rows["平煤神马集团"].unit.code, rows["平煤神马集团"].how) == ("pingmei", "name")
    upload = xlsx(t02_rows(plan_2022, **{"平高": [5, 2, 50, 1000, 500], "平高集团": None}))
    rows = rows_of(table_preview(plan_2022, "T02", upload))
    assert (rows["平高"].unit.code, rows["平高"].how) == ("pinggao", "core")


def test_an_ambiguous_name_offers_its_candidates_and_an_unknown_one_the_closest(plan_2022):
    upload = xlsx(
        t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None, "热电": [1] * 5})
    )
    preview = table_preview(plan_2022, "T02", upload)
    rows = rows_of(preview)
    assert rows["舞钢"].how == "ambiguous"
    assert {u.code for u in rows["舞钢"].candidates} == {"wugang", "wugangsteel"}
    assert rows["热电"].how == "unknown"
    assert [u.code for u in rows["热电"].candidates] == ["redian"]
    assert rows["舞钢"].selectable and rows["热电"].selectable
    assert preview.unresolved == 2 and not preview.ready


def test_values_are_compared_with_the_table_as_it_stands(plan_2022):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市": [12, 2, None, 300, 100], "叶 县": None}))
    preview = table_preview(plan_2022, "T02", upload)
    cells = rows_of(preview)["汝州市"].cells
    assert [c.state for c in cells] == ["changed", "same", "removed", "same", "same"]
    assert (cells[0].old, cells[0].value) == (10, 12)
    assert [row.label for row, _ in preview.removed] == ["叶 县"]
    assert preview.changed_cells == 2 + 5
    sums = [s for _, _, s, _, _ in preview.total_cells]
    assert sums[0] == 125 + 2 - 10


def test_the_printed_total_is_compared_with_the_sum_and_kept_as_printed(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市": [12, 2, 80, 300, 100]}))
    preview = table_preview(plan_2022, "T02", upload)
    header, declared, total, old, mismatch = preview.total_cells[0]
    assert (header, declared, total, old, mismatch) == (T02_HEADERS[0], 125, 127, 125, True)
    confirm(plan_2022, preview, labour_staff)
    column = table_get(plan=plan_2022, code="T02").columns.all()[0]
    assert column.declared_total == 125
    assert values(plan_2022)["汝州市"][0] == 12


def test_the_confirmed_table_replaces_rows_values_and_total_and_is_audited(plan_2022, labour_staff):
    before = values(plan_2022)
    rows = t02_rows(plan_2022, **{"汝州市": [11, 2, 80, 300, 100], "叶 县": None})
    rows[-1] = ["合计", 126, 35, 900, 8000, 2600]
    preview = table_preview(plan_2022, "T02", xlsx(rows, name="2023任务.xlsx"))
    done = confirm(plan_2022, preview, labour_staff)
    after = values(plan_2022)
    assert after["汝州市"][0] == 11 and "叶 县" not in after
    assert len(after) == len(before) - 1
    assert table_get(plan=plan_2022, code="T02").columns.all()[0].declared_total == 126
    assert not Allocation.objects.filter(
        indicator__code="P03-craftsmen", indicator__plan=plan_2022, unit__code="yexian"
    ).exists()
    assert done.rows == len(after)
    entry = AuditEntry.objects.get(event="plans.table.imported")
    assert entry.actor == labour_staff and entry.reason == "Excel 导入：2023任务.xlsx"
    assert {"label": "叶 县", "unit": "yexian"}.items() <= entry.before["rows"][5].items()
    assert entry.after["rows"][0]["values"][T02_HEADERS[0]] == "11"
    assert entry.before["total"][T02_HEADERS[0]] == "125"
    assert entry.after["total"][T02_HEADERS[0]] == "126"


def test_a_label_row_of_the_table_is_kept_as_it_is_and_a_chosen_one_becomes_one(
    plan_2022, labour_staff
):
    # 附件 of 专案9 (T04) prints a row 其它 that is no unit; 专案2's 机关事业单位 is 市直工会's.
    rows = rows_of(table_preview(plan_2022, "T04", exported(plan_2022, "T04")))
    assert rows["其它"].how == "label" and rows["其它"].unit is None
    rows = rows_of(table_preview(plan_2022, "T01", exported(plan_2022, "T01")))
    assert (rows["机关事业单位"].how, rows["机关事业单位"].unit.code) == ("table", "shizhi")
    upload = xlsx(t02_rows(plan_2022, **{"其他单位": [1, 1, 1, 1, 1]}))
    preview = table_preview(plan_2022, "T02", upload)
    index = rows_of(preview)["其他单位"].index
    preview = table_preview(plan_2022, "T02", upload, choices={index: "label"})
    assert preview.ready
    confirm(plan_2022, preview, labour_staff, choices={index: "label"})
    row = AllocationRow.objects.get(table__plan=plan_2022, table__code="T02", label="其他单位")
    assert row.unit is None and row.allocations.count() == 5


def test_nothing_is_written_while_a_row_is_unresolved(plan_2022, labour_staff):
    before = values(plan_2022)
    upload = xlsx(t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    preview = table_preview(plan_2022, "T02", upload)
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert refused.value.message == "还有 1 行没有确定对应的单位，请在预览中逐行选择后再确认导入。"
    assert values(plan_2022) == before
    assert not AuditEntry.objects.filter(event="plans.table.imported").exists()


def test_a_chosen_unit_may_become_an_alias_of_it_if_the_user_asks(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    index = rows_of(table_preview(plan_2022, "T02", upload))["舞钢"].index
    steel = Unit.objects.get(code="wugangsteel")
    choices = {index: str(steel.pk)}
    preview = table_preview(plan_2022, "T02", upload, choices=choices, aliases={index})
    row = rows_of(preview)["舞钢"]
    assert (row.how, row.alias_allowed, row.alias) == ("chosen", True, True)
    confirm(plan_2022, preview, labour_staff, choices=choices, aliases={index})
    assert UnitAlias.objects.filter(unit=steel, alias="舞钢").exists()
    made = AllocationRow.objects.get(table__code="T02", table__plan=plan_2022, label="舞钢")
    assert made.unit == steel and not made.unit_assigned  # the label names it now
    entry = AuditEntry.objects.get(event="plans.units.alias_added")
    assert entry.object_id == str(steel.pk) and entry.after["alias"] == "舞钢"


def test_a_chosen_unit_gets_no_alias_unless_asked(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    index = rows_of(table_preview(plan_2022, "T02", upload))["舞钢"].index
    choices = {index: str(Unit.objects.get(code="wugangsteel").pk)}
    preview = table_preview(plan_2022, "T02", upload, choices=choices)
    confirm(plan_2022, preview, labour_staff, choices=choices)
    assert not UnitAlias.objects.filter(alias="舞钢").exists()
    made = AllocationRow.objects.get(table__code="T02", table__plan=plan_2022, label="舞钢")
    assert made.unit_assigned


def test_two_rows_of_one_unit_are_refused(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市总工会": [1, 1, 1, 1, 1]}))
    preview = table_preview(plan_2022, "T02", upload)
    assert rows_of(preview)["汝州市总工会"].notes == ["与第 2 行（汝州市）是同一单位「汝州市」"]
    with pytest.raises(ServiceError):
        confirm(plan_2022, preview, labour_staff)


def test_a_closed_plan_is_refused_with_its_reason(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市": [12, 2, 80, 300, 100]}))
    preview = table_preview(plan_2022, "T02", upload)
    plan_status_set(plan=plan_2022, status="closed", reason="年度结束")
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert "已结束" in refused.value.message
    assert values(plan_2022)["汝州市"][0] == 10


def approve(plan, unit_code, indicator_code, value="3"):
    official_record(
        [
            Figure(
                unit_id=Unit.objects.get(code=unit_code).pk,
                indicator_id=Indicator.objects.get(plan=plan, code=indicator_code).pk,
                period_end=dt.date(2022, 5, 31),
                value=Decimal(value),
                approved_at=timezone.now(),
            )
        ]
    )


def test_dropping_a_share_of_a_unit_with_approved_figures_is_refused_naming_the_units(
    plan_2022, labour_staff
):
    approve(plan_2022, "yexian", "P03-craftsmen")
    approve(plan_2022, "ruzhou", "P03-studios")
    upload = xlsx(t02_rows(plan_2022, **{"叶 县": None, "汝州市": [10, None, 80, 300, 100]}))
    preview = table_preview(plan_2022, "T02", upload)
    assert preview.blockers == [
        "以下单位已有审核通过的数据，不能删除其分解任务（请在表中保留其数值）："
        "汝州市（新建创新工作室(个)）；叶县（各级工匠选树(名)）"
    ]
    with pytest.raises(ServiceError):
        confirm(plan_2022, preview, labour_staff)
    assert values(plan_2022)["汝州市"][1] == 2


def test_a_changed_share_of_a_unit_with_approved_figures_is_allowed(plan_2022, labour_staff):
    approve(plan_2022, "ruzhou", "P03-studios")
    upload = xlsx(t02_rows(plan_2022, **{"汝州市": [10, 4, 80, 300, 100]}))
    preview = table_preview(plan_2022, "T02", upload)
    assert not preview.blockers
    confirm(plan_2022, preview, labour_staff)
    assert values(plan_2022)["汝州市"][1] == 4


def test_a_table_changed_since_the_preview_is_not_overwritten(plan_2022, labour_staff):
    upload = xlsx(t02_rows(plan_2022, **{"汝州市": [12, 2, 80, 300, 100]}))
    preview = table_preview(plan_2022, "T02", upload)
    Allocation.objects.filter(
        indicator__code="P03-training", indicator__plan=plan_2022, unit__code="jiaxian"
    ).update(value=999)
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert "自预览以来" in refused.value.message
    assert values(plan_2022)["汝州市"][0] == 10


def test_a_changed_share_that_a_derived_plan_took_as_its_target_is_pointed_out(ruzhou_plan):
    plan = ruzhou_plan.parent
    upload = xlsx(t02_rows(plan, **{"汝州市": [12, 2, 80, 300, 100]}))
    assert table_preview(plan, "T02", upload).notices == [
        f"下级方案「{ruzhou_plan.title}」的目标取自本表的分解任务，导入后请重新导入该方案以更新其目标。"
    ]
    upload = xlsx(t02_rows(plan, **{"郟 县": [12, 2, 80, 300, 100]}))
    assert table_preview(plan, "T02", upload).notices == []


def preview_queries(plan, rows) -> int:
    table = table_get(plan=plan, code="T02")
    sheet = table_sheet_read(table=table, sheet=sheet_read(xlsx(rows)), file="t.xlsx")
    with CaptureQueriesContext(connection) as queries:
        table_import_preview(table=table, sheet=sheet)
    return len(queries)


def test_a_preview_takes_as_many_queries_for_two_rows_as_for_twenty(plan_2022):
    rows = t02_rows(plan_2022)
    few = preview_queries(plan_2022, [*rows[:3], rows[-1]])
    many = preview_queries(plan_2022, [*rows[:21], rows[-1]])
    assert few == many
