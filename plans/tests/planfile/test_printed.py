"""A plan file may copy a target as the notice prints it: the number in the base measure, the
comparator from its words, and a clear Chinese reason for what cannot be read."""

from decimal import Decimal

import pytest

from plans.planfile.printed import PrintedInvalid, read_printed
from plans.planfile.spec import read_plan_file
from plans.tests.planfile.test_spec import GOOD_HEAD, problems_of, write


@pytest.mark.parametrize(
    ("text", "value", "measure", "comparator"),
    [
        ("1000万元", Decimal(10_000_000), "元", None),
        ("2亿元", Decimal(200_000_000), "元", None),
        ("4.6万", Decimal(46_000), "", None),
        ("8,500,000", Decimal(8_500_000), "", None),
        ("２００项以上", Decimal(200), "项", "gte"),
        ("超过70万人", Decimal(700_000), "人", "gt"),
        ("不少于 10 支", Decimal(10), "支", "gte"),
        ("3000万元左右", Decimal(30_000_000), "元", "about"),
        ("750 名以上", Decimal(750), "名", "gte"),
        ("近300人", Decimal(300), "人", "near"),
    ],
)
def test_a_printed_figure_is_read_in_the_base_measure(text, value, measure, comparator):
    printed = read_printed(text)
    assert (printed.value, printed.measure, printed.comparator) == (value, measure, comparator)
    assert str(printed.value) == str(value)  # 46000, not 46000.0 or 4.6E+4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("一千万元", "不是数字"),
        ("1,00,000", "千位分隔符"),
        ("不少于200项左右", "矛盾"),
    ],
)
def test_what_cannot_be_read_is_said_in_chinese(text, reason):
    with pytest.raises(PrintedInvalid, match=reason):
        read_printed(text)


def indicators(tmp_path, lines: str):
    return write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    indicators:
"""
        + lines,
    )


def test_a_plan_file_takes_the_notices_figures_and_words(tmp_path):
    path = indicators(
        tmp_path,
        """      - {code: F, name: 帮扶资金, measure: 元, target: 300万元以上}
      - {code: W, name: 覆盖职工, measure: 人, target: 超过70万人}
      - {code: C, name: 工匠, measure: 名, target: 125名}
      - {code: S, name: 服务分队, measure: 支, target: 10, comparator: 不少于}
""",
    )
    money, workers, craftsmen, teams = read_plan_file(path).programmes[0].indicators
    assert (money.target, money.comparator) == (Decimal(3_000_000), "gte")
    assert (workers.target, workers.comparator) == (Decimal(700_000), "gt")
    assert (craftsmen.target, craftsmen.comparator) == (Decimal(125), "eq")
    assert (teams.target, teams.comparator) == (Decimal(10), "gte")


def test_a_printed_measure_or_word_that_disagrees_with_the_file_is_refused_with_its_place(
    tmp_path,
):
    path = indicators(
        tmp_path,
        """      - {code: F, name: 帮扶资金, measure: 元, target: 300万人}
      - {code: W, name: 覆盖职工, measure: 人, target: 超过70万人, comparator: 左右}
""",
    )
    problems = problems_of(path)
    assert any(
        p.startswith("programmes[0].indicators[0].target") and "「人」与 measure「元」" in p
        for p in problems
    )
    assert any(
        p.startswith("programmes[0].indicators[1].comparator") and "不一致" in p for p in problems
    )


def test_near_is_shown_as_printed_and_a_table_above_it_is_reported(db):
    from plans.consistency import _against_target
    from plans.models import Indicator
    from plans.templatetags.plan_format import target_text

    near = Indicator(name="帮扶", measure="人", target=Decimal(300), comparator="near")
    assert target_text(near) == "近 300 人"
    assert "近300" in _against_target(near, Decimal(310))
    assert _against_target(near, Decimal(290)) == ""


def test_a_measure_in_ten_thousands_is_refused_with_the_way_to_write_it(tmp_path):
    path = indicators(
        tmp_path, "      - {code: F, name: 帮扶资金, measure: 万元, target: 200, comparator: gte}\n"
    )
    [problem] = problems_of(path)
    assert problem.startswith("programmes[0].indicators[0].measure")
    assert "请写「元」" in problem and "target: 200万元" in problem
