"""The formula language of form definitions: safe, exact, and honest about blanks."""

import datetime as dt
from decimal import Decimal

import pytest

from records.expressions import Formula, FormulaError, Undecided


def test_arithmetic_is_exact_decimal():
    rate = Formula("attendance / (children * days) * 100")
    assert rate.evaluate({"attendance": 450, "children": 25, "days": 20}) == Decimal(90)


def test_comparisons_chain_and_combine():
    assert Formula("10 <= area and seats >= 2").evaluate({"area": Decimal("10.0"), "seats": 2})
    assert not Formula("not (area >= 10)").evaluate({"area": Decimal(12)})
    assert Formula("kind in ['线上', '线上线下结合']").evaluate({"kind": "线上"})


def test_a_blank_value_leaves_the_formula_undecided():
    with pytest.raises(Undecided) as caught:
        Formula("area >= 10").evaluate({"area": None})
    assert caught.value.names == {"area"}


def test_or_is_decided_by_one_true_side_even_if_the_other_is_blank():
    rule = Formula("mode == '线下' or present(platform)")
    assert rule.evaluate({"mode": "线下", "platform": None})
    assert not rule.evaluate({"mode": "线上", "platform": None})


def test_division_by_zero_is_undecided_not_an_error():
    with pytest.raises(Undecided):
        Formula("amount / members").evaluate({"amount": Decimal(10), "members": 0})


def test_functions_over_lists_ranges_and_dates():
    span = {"start": dt.date(2022, 7, 1), "end": dt.date(2022, 7, 31)}
    assert Formula("days(period)").evaluate({"period": span}) == 31
    assert Formula("period.end >= date('2022-07-31')").evaluate({"period": span})
    assert Formula("count(six) == 2 and has(six, '甲')").evaluate({"six": ["甲", "乙"]})
    assert Formula("count(six)").evaluate({"six": None}) == 0


@pytest.mark.parametrize(
    "start,end,months",
    [
        ((2022, 5, 1), (2022, 6, 30), 2),
        ((2022, 5, 15), (2022, 7, 14), 2),
        ((2022, 5, 15), (2022, 7, 13), 1),
        ((2022, 1, 31), (2022, 2, 26), 0),
        ((2022, 1, 31), (2022, 2, 28), 1),
        ((2022, 11, 1), (2023, 1, 31), 3),
        ((2022, 6, 1), (2022, 6, 20), 0),
    ],
)
def test_months_counts_whole_calendar_months_both_ends_included(start, end, months):
    span = {"start": dt.date(*start), "end": dt.date(*end)}
    assert Formula("months(stay)").evaluate({"stay": span}) == months
    assert Formula("months(stay) >= 2").evaluate({"stay": span}) is (months >= 2)


def test_working_days_uses_the_calendar_given():
    class Calendar:
        def working_days(self, start, end):
            return 21

    span = {"start": dt.date(2022, 9, 1), "end": dt.date(2022, 9, 30)}
    assert Formula("working_days(p)").evaluate({"p": span}, calendar=Calendar()) == 21


@pytest.mark.parametrize(
    "source,message",
    [
        ("__import__('os')", "函数「__import__」不可用"),
        ("__import__('os').system('id')", "不支持的写法"),
        ("area.__class__", "「.__class__」不可用"),
        ("[x for x in area]", "不支持的写法"),
        ("lambda: 1", "不支持的写法"),
        ("area >=", "写法有误"),
        ("days(a, b)", "需要 1 个参数"),
    ],
)
def test_anything_beyond_the_whitelist_is_refused_when_the_plan_is_read(source, message):
    with pytest.raises(FormulaError, match=message):
        Formula(source)


def test_unknown_field_names_are_reported():
    with pytest.raises(FormulaError, match="不存在的字段：aera"):
        Formula("aera >= 10", known_names={"area"})
