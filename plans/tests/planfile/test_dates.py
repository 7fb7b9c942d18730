import datetime as dt

import pytest

from plans.planfile.dates import DateRuleError, parse_point, parse_rule


def test_a_month_is_its_first_day_as_a_start_and_its_last_day_as_an_end():
    assert parse_point("2022-04", as_end=False) == dt.date(2022, 4, 1)
    assert parse_point("2022-04", as_end=True) == dt.date(2022, 4, 30)
    assert parse_point("2022-02", as_end=True) == dt.date(2022, 2, 28)


def test_parts_of_a_month_follow_shang_zhong_xia_xun():
    assert parse_point("2022-05-mid", as_end=False) == dt.date(2022, 5, 11)
    assert parse_point("2022-05-mid", as_end=True) == dt.date(2022, 5, 20)
    assert parse_point("2022-05-late", as_end=True) == dt.date(2022, 5, 31)
    assert parse_point("2022-04-early", as_end=True) == dt.date(2022, 4, 10)


def test_year_end_deadline_is_31_december():
    rule = parse_rule({"due": 2022})
    assert rule.kind == "deadline"
    assert rule.end == dt.date(2022, 12, 31)
    assert rule.describe() == "2022年12月31日前"


def test_quarterly_rule_is_due_at_each_quarter_end_within_its_window():
    rule = parse_rule({"recurring": "quarterly", "start": "2022-04", "end": "2022-11"})
    assert rule.occurrences() == [dt.date(2022, 6, 30), dt.date(2022, 9, 30), dt.date(2022, 12, 31)]


def test_relative_rule_is_kept_as_a_rule():
    rule = parse_rule({"relative": "activity_end", "days": 7})
    assert rule.kind == "relative"
    assert rule.occurrences() == []
    assert rule.describe() == "单项活动结束后7日内"


def test_several_fixed_deadlines():
    rule = parse_rule({"dates": ["2022-11-25", "2022-06-15"]})
    assert rule.occurrences() == [dt.date(2022, 6, 15), dt.date(2022, 11, 25)]


@pytest.mark.parametrize(
    "when",
    [
        {"due": "2022-13"},
        {"due": "四月底"},
        {"start": "2022-06", "end": "2022-04"},
        {"recurring": "weekly", "start": "2022-01", "end": "2022-12"},
        {"relative": "x", "days": 7},
        {"due": "2022-04", "end": "2022-05"},
        "2022-04",
    ],
)
def test_malformed_rules_are_refused_with_a_reason(when):
    with pytest.raises(DateRuleError):
        parse_rule(when)
