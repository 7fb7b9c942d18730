"""Reading an allocation table from a spreadsheet: laid out like its export or as a notice
prints it, every problem said with its row and column."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import ServiceError
from plans.importing import sheet_read
from plans.models import AllocationTable
from plans.selectors import table_get
from plans.table_import import table_sheet_read
from plans.tests.imports.sheets import T02_HEADERS, exported, table_preview, xlsx
from records.tests import crafted


def read(plan, upload, code="T02"):
    return table_sheet_read(
        table=table_get(plan=plan, code=code), sheet=sheet_read(upload), file="t"
    )


def test_every_exported_table_reads_back_as_it_stands_with_nothing_to_choose(plan_2022):
    for code in AllocationTable.objects.filter(plan=plan_2022).values_list("code", flat=True):
        preview = table_preview(plan_2022, code, exported(plan_2022, code))
        assert not preview.sheet.problems, code
        assert preview.ready, (code, preview.blockers)
        assert preview.changed_cells == 0 and not preview.removed, code
        assert preview.declared == preview.current_declared or preview.declared is None, code


def test_a_table_as_a_notice_prints_it_is_read_with_separators_wan_and_blank_cells(plan_2022):
    sheet = read(
        plan_2022,
        xlsx(
            [
                ["附件 深化产业工人队伍建设改革行动任务分解表"],
                ["序号", "单 位", *T02_HEADERS, "备注"],
                [1, "汝州市", "10", 2, "80", "1,500", "0.01万", "重点"],
                [2, "郟 县", 10, None, "—", "300人", 100, None],
                [None, "总 计", 125, 35, 900, "8,000", 2600],
            ]
        ),
    )
    assert not sheet.problems
    assert [(r.label, r.values) for r in sheet.rows] == [
        ("汝州市", [10, 2, 80, 1500, 100]),
        ("郟 县", [10, None, None, 300, 100]),
    ]
    assert sheet.total == [125, 35, 900, 8000, 2600]
    assert sheet.ignored == ["序号", "备注"]


def test_an_unknown_and_a_missing_column_are_named_in_chinese(plan_2022):
    headers = ["单位", *T02_HEADERS[:4], "工匠人数(名)"]
    sheet = read(plan_2022, xlsx([headers, ["汝州市", 1, 2, 3, 4, 5]]))
    reasons = [(p.line, p.column, p.reason) for p in sheet.problems]
    assert (
        1,
        "F列",
        "「工匠人数(名)」不是本表的指标列（本表的列："
        "「各级工匠选树(名)」、「新建创新工作室(个)」、「签订师徒协议(份)」、"
        "「职业技能培训数(人)」、「新增技能人才(人)」）",
    ) in reasons
    assert (1, "", "缺少「新增技能人才(人)」一列（表头请照导出的文件写）") in reasons
    assert not sheet.rows


def test_a_sheet_without_a_unit_column_says_where_the_names_go(plan_2022):
    sheet = read(plan_2022, xlsx([T02_HEADERS, [1, 2, 3, 4, 5]]))
    assert [p.reason for p in sheet.problems] == [
        "没有找到「单位」列：表头中应有一列名为「单位」（或「单位名称」），放单位名称"
    ]


def test_every_bad_value_is_listed_with_its_row_and_column(plan_2022):
    sheet = read(
        plan_2022,
        xlsx(
            [
                ["单位", *T02_HEADERS],
                ["汝州市", "十", -5, "1.234", "200以上", 1],
                ["郏县", 1, 2, 3, 4, "5元"],
                [None, 1, 2, 3, 4, 5],
                ["汝州市", 1, 2, 3, 4, 5],
            ]
        ),
    )
    assert [(p.line, p.column) for p in sheet.problems] == [
        (2, "各级工匠选树(名)"),
        (2, "新建创新工作室(个)"),
        (2, "签订师徒协议(份)"),
        (2, "职业技能培训数(人)"),
        (3, "新增技能人才(人)"),
        (4, "单位"),
        (5, "单位"),
    ]
    reasons = [p.reason for p in sheet.problems]
    assert reasons[1] == "不能为负数" and reasons[2] == "最多保留两位小数"
    assert reasons[3] == "「200以上」带有限定词：分解任务只写数值"
    assert reasons[4] == "「5元」的计量单位与本列的「人」不同"
    assert reasons[5] == "有数值但没有单位名称"
    assert reasons[6] == "「汝州市」与第 2 行重复"


def test_a_formula_cell_is_refused_as_imports_of_forms_refuse_it(plan_2022):
    sheet = read(plan_2022, xlsx([["单位", *T02_HEADERS], ["汝州市", "=1+1", 2, 3, 4, 5]]))
    assert [(p.line, p.column, p.reason) for p in sheet.problems] == [
        (2, "各级工匠选树(名)", "单元格含公式，请粘贴为数值")
    ]


@pytest.mark.parametrize(
    ("builder", "reason"),
    [
        (crafted.rows_without_references, "行"),
        (crafted.bloated_styles, "MB"),
        (crafted.corrupt_deflate, "损坏"),
    ],
)
def test_a_crafted_sheet_is_refused_by_the_upload_guards_before_it_is_parsed(
    plan_2022, builder, reason
):
    with pytest.raises(ServiceError) as refused:
        sheet_read(SimpleUploadedFile("表.xlsx", builder()))
    assert reason in refused.value.message


def test_a_total_printed_unlike_the_sum_is_kept_as_printed(plan_2022):
    sheet = read(
        plan_2022,
        xlsx([["单位", *T02_HEADERS], ["汝州市", 1, 2, 3, 4, 5], ["合计", 100, 2, 3, 4, 5]]),
    )
    assert sheet.total == [Decimal(100), 2, 3, 4, 5]
