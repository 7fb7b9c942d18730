"""Department staff change a programme's words and an allocation table's values in the
browser; a table goes through the table import's preview and write."""

from decimal import Decimal

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from plans.editing import (
    FieldRefused,
    ProgrammeInput,
    allocation_table_edit,
    cell_name,
    programme_update,
    table_grid,
    table_grid_preview,
    total_name,
)
from plans.models import Programme
from plans.selectors import table_get, table_layout
from plans.tests.editing.helpers import approve


def words(programme, **changes) -> ProgrammeInput:
    return ProgrammeInput(
        **{
            "title": programme.title,
            "category": programme.category,
            "goal": programme.goal,
            "measures": programme.measures,
            "requirements": programme.requirements,
            **changes,
        }
    )


def test_a_programmes_title_and_group_change_on_record(plan_2022, labour_staff):
    programme = Programme.objects.get(plan=plan_2022, number=3)
    done = programme_update(
        actor=labour_staff,
        programme=programme,
        values=words(programme, title="产业工人队伍建设改革专案", category="practical_matter"),
    )
    programme.refresh_from_db()
    assert (programme.title, programme.category) == ("产业工人队伍建设改革专案", "practical_matter")
    entry = AuditEntry.objects.get(event="plans.programme.updated", object_id=str(programme.pk))
    assert entry.before == {"title": "深化产业工人队伍建设改革行动专案", "category": "action"}
    assert entry.after["title"] == "产业工人队伍建设改革专案"
    assert done.message.startswith("已修改专案3「产业工人队伍建设改革专案」")


def test_a_programme_goes_only_into_one_of_the_plans_groups(plan_2022, labour_staff):
    programme = Programme.objects.get(plan=plan_2022, number=3)
    with pytest.raises(FieldRefused) as caught:
        programme_update(
            actor=labour_staff, programme=programme, values=words(programme, category="other")
        )
    assert caught.value.field == "category"
    assert caught.value.message == "「other」不是本方案的分组（可选：五大行动、十件实事）。"


def grid_data(table, **typed) -> dict:
    """The grid as it stands, with `typed` ({input name: text}) changed."""
    grid = table_grid(table=table)
    return {**grid.typed, **typed}


def test_a_cell_typed_in_the_grid_is_previewed_then_saved_through_the_table_import(
    plan_2022, labour_staff
):
    table = table_get(plan=plan_2022, code="T02")
    data = grid_data(table, **{cell_name(0, 0): "12", total_name(0): "127"})
    grid = table_grid(table=table, data=data)
    preview = table_grid_preview(grid=grid)
    assert preview.changed_cells == 1 and preview.ready
    done = allocation_table_edit(
        actor=labour_staff, table=table, grid=grid, fingerprint=preview.fingerprint
    )
    layout = table_layout(table_get(plan=plan_2022, code="T02"))
    assert layout.rows[0][1][0] == 12 and layout.declared[0] == 127
    assert done.message.startswith(
        "已保存「深化产业工人队伍建设改革行动任务分解表」：27 行，1 个数值有变化"
    )
    entry = AuditEntry.objects.get(event="plans.table.imported", object_id=str(table.pk))
    assert entry.reason == "Excel 导入：网页表格（逐格修改）"


def test_a_cell_that_is_no_number_is_said_beside_it_and_nothing_is_written(plan_2022):
    table = table_get(plan=plan_2022, code="T02")
    data = grid_data(table, **{cell_name(1, 2): "八十", cell_name(0, 0): "4.6万"})
    grid = table_grid(table=table, data=data)
    assert grid.sheet is None
    assert list(grid.problems) == [cell_name(1, 2)]  # 4.6万 is read as the notice writes it
    assert grid.problems[cell_name(1, 2)].startswith("「八十」不是数字")
    assert grid.typed[cell_name(1, 2)] == "八十"  # kept as typed
    assert grid.problem_text == "有 1 个格子的数值无法识别，请按格子下的提示改正。"


def test_a_grid_changed_since_its_preview_is_refused(plan_2022, labour_staff):
    table = table_get(plan=plan_2022, code="T02")
    previewed = table_grid(table=table, data=grid_data(table, **{cell_name(0, 0): "12"}))
    fingerprint = table_grid_preview(grid=previewed).fingerprint
    other = table_grid(table=table, data=grid_data(table, **{cell_name(0, 0): "13"}))
    with pytest.raises(ServiceError) as caught:
        allocation_table_edit(actor=labour_staff, table=table, grid=other, fingerprint=fingerprint)
    assert "自预览以来" in caught.value.message


def test_blanking_the_share_of_a_unit_with_approved_figures_is_refused(plan_2022, labour_staff):
    approve("P03-craftsmen", "ruzhou")
    table = table_get(plan=plan_2022, code="T02")
    grid = table_grid(table=table, data=grid_data(table, **{cell_name(0, 0): ""}))
    preview = table_grid_preview(grid=grid)
    assert not preview.ready
    assert "以下单位已有审核通过的数据" in preview.blockers[0]
    with pytest.raises(ServiceError):
        allocation_table_edit(
            actor=labour_staff, table=table, grid=grid, fingerprint=preview.fingerprint
        )
    assert table_layout(table_get(plan=plan_2022, code="T02")).rows[0][1][0] == Decimal(10)
