"""Allocation tables read as notices print them."""

from decimal import Decimal

from drafting.notice import read_text
from drafting.tables import read_table


def table(text):
    notice = read_text(text)
    return read_table(next(b for b in notice.blocks if not hasattr(b, "text")))


def test_rows_values_and_the_printed_total_are_kept_even_when_they_disagree():
    drafted = table("单 位\t劳模 (名)\t基地 (个)\n汝州市\t100\t3\n叶 县\t10\t\n合 计\t800\t30\n")
    assert drafted.kind == "allocation"
    assert drafted.measures == ["名", "个"]
    assert [(r.label, r.values) for r in drafted.rows] == [
        ("汝州市", [Decimal(100), Decimal(3)]),
        ("叶县", [Decimal(10), None]),
    ]
    assert drafted.declared_total == [Decimal(800), Decimal(30)]


def test_a_serial_column_is_dropped_and_a_total_under_it_is_still_read():
    drafted = table("序 号\t单 位\t数量（人）\n1\t平顶山市\t3\n2\t舞钢市\t3\n合 计\t\t33\n")
    assert drafted.headers == ["数量（人）"]
    assert [r.label for r in drafted.rows] == ["平顶山市", "舞钢市"]
    assert drafted.declared_total == [Decimal(33)]


def test_two_units_side_by_side_become_two_rows_and_a_total_in_a_cell_is_read():
    drafted = table("单位\t场次\t单位\t场次\n汝州市\t50\t新华区\t35\n市总工会\t10\t总计：700\t\n")
    assert [(r.label, r.values[0]) for r in drafted.rows] == [
        ("汝州市", Decimal(50)), ("新华区", Decimal(35)), ("市总工会", Decimal(10)),
    ]  # fmt: skip
    assert drafted.declared_total == [Decimal(700)]


def test_a_merged_cell_on_the_left_groups_the_rows_under_it():
    drafted = table(
        "单 位\t培训 (人)\t就业 (人)\n石龙区\t300\t150\n"
        "帮扶中心\t城乡一体化\t50\t30\n\t高新区\t50\t30\n"
    )
    assert [(r.group, r.label, r.values) for r in drafted.rows] == [
        ("", "石龙区", [Decimal(300), Decimal(150)]),
        ("帮扶中心", "城乡一体化", [Decimal(50), Decimal(30)]),
        ("帮扶中心", "高新区", [Decimal(50), Decimal(30)]),
    ]


def test_a_form_to_fill_and_a_scoring_rubric_are_not_allocation_tables():
    form = table("序号\t推荐产品\t推荐人\t联系电话\n1\t\t\t\n2\t\t\t\n")
    rubric = table("项 目\t内 容\t得分\n组织领导 (10分)\t主要领导高度重视(3分)\t\n")
    assert form.kind == "form"
    assert rubric.kind == "rubric"
