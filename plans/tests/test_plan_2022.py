"""The 2022 notice loaded exactly: every table cell, printed total and text target.

The expected values below are typed from the notice independently of the plan file.
"""

from decimal import Decimal

import pytest

from plans.models import AllocationTable, Indicator, Milestone, Programme
from plans.selectors import table_layout

N = None
# table title fragment -> (rows as printed: label, values...), printed totals
TABLES = {
    "乡村振兴劳模出彩行动任务分解表": (
        [
            ("汝州市", 100, 10, 3),
            ("舞钢市", 100, 10, 3),
            ("郟 县", 100, 10, 3),
            ("宝丰县", 100, 10, 3),
            ("鲁山县", 100, 10, 3),
            ("叶 县", 100, 10, 3),
            ("新华区", 10, 2, 1),
            ("卫东区", 10, 2, 1),
            ("湛河区", 10, 2, 1),
            ("石龙区", 10, 2, 1),
            ("新城区", 5, 1, 1),
            ("高新区", 5, 1, 1),
            ("工交工会", 10, 1, 1),
            ("轻纺工会", 10, 1, 1),
            ("建设工会", 10, 1, 1),
            ("财贸工会", 10, 1, 1),
            ("文教卫工会", 10, 1, 1),
            ("平煤神马集团", 30, 3, 1),
            ("平高集团", 10, 1, N),
            ("舞钢公司", 10, 1, N),
            ("姚电公司", 3, 1, N),
            ("平顶山热电", 3, 1, N),
            ("江河机械", 3, 1, N),
            ("舞阳铁矿", 3, 1, N),
            ("供电公司", 3, 1, N),
            ("热力集团", 3, 1, N),
            ("平顶山发电", 3, 1, N),
            ("机关事业单位", 29, 3, N),
        ],
        (800, 90, 30),
    ),
    "深化产业工人队伍建设改革行动任务分解表": (
        [
            ("汝州市", 10, 2, 80, 300, 100),
            ("舞钢市", 10, 2, 80, 300, 100),
            ("郟 县", 10, 2, 80, 300, 100),
            ("宝丰县", 10, 2, 80, 300, 100),
            ("鲁山县", 10, 2, 80, 300, 100),
            ("叶 县", 10, 2, 80, 300, 100),
            ("新华区", 3, 1, 20, 300, 100),
            ("卫东区", 3, 1, 20, 300, 100),
            ("湛河区", 3, 1, 20, 300, 100),
            ("石龙区", 3, 1, 20, 100, 30),
            ("新城区", 3, 1, 20, 100, 30),
            ("高新区", 3, 1, 20, 100, 30),
            ("工交工会", 3, 1, 20, 100, 30),
            ("轻纺工会", 3, 1, 20, 100, 30),
            ("建设工会", 3, 1, 20, 100, 30),
            ("财贸工会", 2, 1, 20, 100, 30),
            ("文教卫工会", 2, 1, 20, 100, 30),
            ("平煤神马集团", 5, 2, 50, 1500, 500),
            ("平高集团", 5, 2, 50, 1000, 500),
            ("舞钢公司", 3, 1, 30, 600, 100),
            ("姚电公司", 3, 1, 10, 200, 60),
            ("平顶山热电", 3, 1, 10, 200, 50),
            ("江河机械", 3, 1, 10, 200, 50),
            ("舞阳铁矿", 3, 1, 10, 200, 50),
            ("供电公司", 3, 1, 10, 200, 50),
            ("热力集团", 3, 1, 10, 200, 50),
            ("平顶山发电", 3, 1, 10, 200, 50),
        ],
        (125, 35, 900, 8000, 2600),
    ),
    "工会专职集体协商指导员队伍建设任务分解表": (
        [
            ("平顶山市", 3),
            ("舞钢市", 3),
            ("汝州市", 3),
            ("郟县", 3),
            ("叶县", 3),
            ("宝丰县", 3),
            ("鲁山县", 3),
            ("新华区", 3),
            ("湛河区", 3),
            ("卫东区", 3),
            ("石龙区", 3),
        ],
        (33,),
    ),
    "户外劳动者爱心驿站": (
        [
            ("汝州市总工会", 3),
            ("舞钢市总工会", 3),
            ("鲁山县总工会", 3),
            ("宝丰县总工会", 3),
            ("叶县总工会", 3),
            ("郟县总工会", 3),
            ("新华区总工会", 2),
            ("卫东区总工会", 2),
            ("湛河区总工会", 2),
            ("石龙区总工会", 2),
            ("城乡一体化示范区工会", 2),
            ("高新区工会", 2),
            ("其它", 20),
        ],
        (50,),
    ),
    "暑期爱心托管和母婴室建设名额分配表": (
        [
            ("汝州市总工会", 2, 2),
            ("舞钢市总工会", 2, 2),
            ("宝丰县总工会", 2, 2),
            ("郟 县总工会", 2, 2),
            ("鲁山县总工会", 2, 2),
            ("叶 县总工会", 2, 2),
            ("新华区总工会", 1, 1),
            ("卫东区总工会", 1, 1),
            ("湛河区总工会", 1, 1),
            ("石龙区总工会", 1, 1),
            ("城乡一体化示范区工会联合会", 1, 1),
            ("高新区工会联合会", 1, 1),
            ("平煤神马集团", 2, 2),
            ("舞阳钢铁有限责任公司", 1, 1),
            ("平顶山姚孟发电有限责任公司", 1, 1),
            ("国家电投集团平顶山热电有限公司", 1, 1),
            ("河南江河机械有限责任公司", 1, 1),
            ("河南安钢集团舞阳矿业有限责任公司", 1, 1),
            ("国网河南省电力公司平顶山供电公司", 1, 1),
            ("平顶山热力集团", 1, 1),
            ("国家电投集团平顶山发电分公司", 1, 1),
            ("平高集团有限公司", 1, 1),
            ("工交工会", 1, 1),
            ("建设工会", 1, 1),
            ("财贸工会", 1, 1),
            ("科教文卫体工会", 1, 1),
            ("轻纺工会", 1, 1),
            ("市直工会", 1, 1),
        ],
        None,
    ),
    "深化就业创业服务工作目标任务分解表": (
        [
            ("汝州市", 1000, 430, 2, 2),
            ("舞钢市", 1000, 430, 2, N),
            ("宝丰县", 800, 300, 2, N),
            ("郟 县", 800, 300, 2, N),
            ("鲁山县", 800, 300, 2, N),
            ("叶 县", 800, 300, 2, N),
            ("新华区", 400, 200, 1, N),
            ("卫东区", 400, 200, 1, N),
            ("湛河区", 400, 200, 1, N),
            ("石龙区", 300, 150, 1, N),
            ("平煤集团", 1400, 530, 0, N),
            ("城乡一体化", 50, 30, 3, N),
            ("高新区", 50, 30, N, N),
            ("轻纺工会", 200, 150, N, N),
            ("工交工会", 200, 150, N, N),
            ("建设工会", 200, 150, N, N),
            ("财贸工会", 200, 150, N, N),
        ],
        (9000, 4000, 19, 2),
    ),
}

CULTURE = {
    "汝州市": 50,
    "舞钢市": 50,
    "宝丰县": 50,
    "叶县": 50,
    "郟县": 50,
    "鲁山县": 50,
    "新华区": 35,
    "卫东区": 35,
    "湛河区": 35,
    "石龙区": 35,
    "高新区工会": 35,
    "城乡一体化 示范区工会": 35,
    "市工交工会": 10,
    "市建设工会": 10,
    "市财贸工会": 10,
    "市教科文教体工会": 10,
    "市轻纺工会": 10,
    "市直工会": 10,
    "中国平煤神马集团工会": 80,
    "中电投平顶山发电 分公司工会": 2,
    "舞钢公司工会": 8,
    "平顶山供电公司工会": 5,
    "河南江河机械公司工会": 2,
    "平顶山热力集团 公司工会": 2,
    "姚孟发电公司工会": 2,
    "平高集团工会": 5,
    "平东热电公司工会": 2,
    "舞阳矿业公司工会": 2,
    "市总工会": 10,
}


def layout_titled(plan, fragment):
    [table] = [t for t in AllocationTable.objects.filter(plan=plan) if fragment in t.title]
    table = AllocationTable.objects.prefetch_related(
        "columns__indicator", "rows__unit", "rows__allocations"
    ).get(pk=table.pk)
    return table_layout(table)


def as_number(value):
    return None if value is None else Decimal(value)


@pytest.mark.parametrize("fragment", [k for k, v in TABLES.items() if v])
def test_each_table_holds_every_printed_cell_in_printed_order(plan_2022, fragment):
    expected_rows, expected_total = TABLES[fragment]
    layout = layout_titled(plan_2022, fragment)
    got = [(row.label, *values) for row, values in layout.rows]
    assert got == [(r[0], *map(as_number, r[1:])) for r in expected_rows]
    if expected_total is None:
        assert not layout.table.has_total_row
    else:
        assert layout.declared == [as_number(v) for v in expected_total]


def test_the_culture_table_holds_every_pair_of_its_two_column_layout(plan_2022):
    layout = layout_titled(plan_2022, "文化")
    assert {row.label: values[0] for row, values in layout.rows} == {
        k: Decimal(v) for k, v in CULTURE.items()
    }
    assert layout.declared == [Decimal(700)]
    assert layout.sums == [Decimal(690)]


def test_table_values_belong_to_the_unit_each_row_names(plan_2022):
    layout = layout_titled(plan_2022, "乡村振兴劳模出彩行动任务分解表")
    units = {
        row.label: (row.unit.code if row.unit else None, row.unit_assigned)
        for row, _ in layout.rows
    }
    assert units["郟 县"] == ("jiaxian", False)
    assert units["新城区"] == ("chengxiang", False)
    assert units["文教卫工会"] == ("kejiao", False)
    assert units["姚电公司"] == ("yaomeng", False)
    assert units["机关事业单位"] == ("shizhi", True)


def test_non_unit_rows_are_kept_with_their_values(plan_2022):
    layout = layout_titled(plan_2022, "户外劳动者爱心驿站")
    other = [(row, values) for row, values in layout.rows if row.label == "其它"]
    assert [(row.unit, values) for row, values in other] == [(None, [Decimal(20)])]
    assert layout.sums == [Decimal(50)]


def test_the_merged_help_centre_block_groups_six_rows(plan_2022):
    layout = layout_titled(plan_2022, "就业创业")
    grouped = [row.label for row, _ in layout.rows if row.group == "帮扶中心"]
    assert grouped == ["城乡一体化", "高新区", "轻纺工会", "工交工会", "建设工会", "财贸工会"]


# code-independent: (programme number, measure, target, comparator) for every text target
TEXT_TARGETS = [
    (1, "项", 200, "gte"),
    (1, "人", 700000, "gt"),
    (2, "名", 750, "gte"),
    (2, "家", 90, "gte"),
    (2, "个", 25, "eq"),
    (3, "家", 35, "eq"),
    (3, "名", 125, "eq"),
    (3, "份", 900, "eq"),
    (3, "人", 8000, "gte"),
    (3, "人", 2600, "gte"),
    (4, "家", 300, "eq"),
    (4, "人", 30000, "eq"),
    (4, "家", 50, "eq"),
    (5, "支", 10, "gte"),
    (6, "元", 3000000, "gte"),
    (6, "元", 6000000, "gte"),
    (6, "户", 6000, "gte"),
    (6, "元", 4000000, "gte"),
    (7, "元", 150000, "eq"),
    (8, "名", 120, "eq"),
    (8, "名", 1000, "about"),
    (8, "名", 10000, "eq"),
    (9, "家", 50, "eq"),
    (11, "家", 30, "gte"),
    (11, "个", 1000, "eq"),
    (11, "家", 10, "eq"),
    (12, "人次", 9000, "eq"),
    (12, "人次", 14000, "eq"),
    (12, "人次", 4000, "eq"),
    (12, "场次", 19, "gte"),
    (12, "人次", 300, "gte"),
    (13, "场", 10, "eq"),
    (13, "场", 20, "eq"),
]


@pytest.mark.parametrize(("number", "measure", "target", "comparator"), TEXT_TARGETS)
def test_every_text_target_is_loaded_with_its_comparator(
    plan_2022, number, measure, target, comparator
):
    found = Indicator.objects.filter(
        programme__plan=plan_2022,
        programme__number=number,
        target=target,
        target_denominator=1,
        comparator=comparator,
    )
    assert [i.measure for i in found if i.measure == measure], (
        f"专案{number}: no indicator {target} {measure} ({comparator}); have "
        f"{[(i.name, i.target, i.measure, i.comparator) for i in found]}"
    )


def test_the_one_third_target_is_kept_as_an_exact_fraction(plan_2022):
    ratio = Indicator.objects.get(
        programme__plan=plan_2022, programme__number=5, target_denominator=3
    )
    assert (ratio.target, ratio.comparator) == (Decimal(1), "gte")


def test_fourteen_programmes_five_actions_and_nine_practical_matters(plan_2022):
    categories = list(Programme.objects.filter(plan=plan_2022).values_list("category", flat=True))
    assert len(categories) == 14
    assert categories.count("action") == 5
    assert categories.count("practical_matter") == 9


def test_consumption_statistics_deadlines_exclude_late_reports(plan_2022):
    statistics = Milestone.objects.get(
        programme__plan=plan_2022, programme__number=14, kind="dates"
    )
    assert statistics.dates == ["2022-06-15", "2022-11-25"]
    assert statistics.late_policy == "exclude"


def test_relative_and_recurring_deadlines_are_stored_as_rules(plan_2022):
    relative = Milestone.objects.get(
        programme__plan=plan_2022, programme__number=14, kind="relative"
    )
    assert (relative.relative_event, relative.relative_days) == ("activity_end", 7)
    assert Milestone.objects.filter(
        programme__plan=plan_2022, programme__number=13, kind="recurring", recurrence="quarterly"
    ).exists()
