"""A notice's 其中 (筹集资金1000万元，其中600万元用于…) and its money in 万元: a part names the
indicator it is a part of, and a target printed in 万元 is kept in 元 but shown as printed.
What cannot be so is refused with its place, as printed."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plans.planfile.spec import read_plan_file
from plans.tests.planfile.test_spec import GOOD_HEAD, problems_of, write

MONEY = (
    GOOD_HEAD
    + """
programmes:
  - number: 1
    title: 帮扶专案
    category: practical_matter
    departments: [{name: 组织部, source: text}]
    indicators:
      - {code: F, name: 筹集帮扶资金, measure: 元, target: 1000万元以上,
         contributors: [县（市、区）]}
      - {code: F1, name: 用于困难职工帮扶, measure: 元, target: 600万元, part_of: F,
         contributors: [县（市、区）]}
      - {code: F2, name: 用于金秋助学, measure: 元, target: 3000000, comparator: eq,
         shown_in: 万元, part_of: F, contributors: [县（市、区）]}
      - {code: V, name: 走访困难职工, measure: 人, target: 1.2万人以上}
"""
)


def indicators(tmp_path, lines: str, more: str = ""):
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
        + lines
        + more,
    )


def test_a_part_names_its_whole_and_money_keeps_the_measure_it_was_printed_in(tmp_path):
    whole, part, shown, visits = read_plan_file(write(tmp_path, MONEY)).programmes[0].indicators
    assert (whole.target, whole.display_measure, whole.part_of) == (Decimal(10**7), "万元", "")
    assert (part.target, part.display_measure, part.part_of) == (Decimal(6 * 10**6), "万元", "F")
    assert (shown.target, shown.display_measure) == (Decimal(3 * 10**6), "万元")
    # Only money is shown as printed: 1.2万人 is 12000 人.
    assert (visits.target, visits.display_measure) == (Decimal(12000), "")


def test_a_target_printed_in_hundred_millions_is_shown_in_them(tmp_path):
    path = indicators(tmp_path, "      - {code: F, name: 资金, measure: 元, target: 2亿元}\n")
    [money] = read_plan_file(path).programmes[0].indicators
    assert (money.target, money.display_measure) == (Decimal(2 * 10**8), "亿元")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (
            "{code: P, name: 人数, measure: 人, target: 100, comparator: gte, shown_in: 万元}",
            "只有 measure 为「元」的金额指标可写 shown_in",
        ),
        (
            "{code: P, name: 资金, measure: 元, target: 100, comparator: gte, shown_in: 千元}",
            "「千元」不能作显示单位：只能写「万元」或「亿元」",
        ),
        (
            "{code: P, name: 资金, measure: 元, target: 300万元, shown_in: 亿元}",
            "与 target「300万元」的写法不一致（亿元 ≠ 万元）",
        ),
        (
            '{code: P, name: 资金, measure: 元, target: "1/3", comparator: gte, shown_in: 万元}',
            "分数目标",
        ),
    ],
)
def test_a_shown_in_that_cannot_be_is_refused_with_its_place(tmp_path, line, said):
    [problem] = problems_of(indicators(tmp_path, f"      - {line}\n"))
    assert problem.startswith("programmes[0].indicators[0].shown_in: ")
    assert said in problem and problem.endswith("（专案1 第1个指标）")


def test_every_part_that_cannot_be_is_refused_with_its_place_as_printed(tmp_path):
    path = indicators(
        tmp_path,
        """      - {code: F, name: 筹集资金, measure: 元, target: 1000万元}
      - {code: F1, name: 用于帮扶, measure: 元, target: 1200万元, part_of: F}
      - {code: G, name: 其中的其中, measure: 元, part_of: F1}
      - {code: H, name: 人数, measure: 人, part_of: F}
      - {code: X, name: 写错, measure: 元, part_of: NOPE}
      - {code: C1, name: 环一, measure: 元, part_of: C2}
      - {code: C2, name: 环二, measure: 元, part_of: C1}
""",
        """  - number: 2
    title: 专案二
    category: action
    indicators:
      - {code: Y, name: 别处, measure: 元, part_of: F}
""",
    )
    problems = "\n".join(problems_of(path))
    for said in (
        "programmes[0].indicators[1].target: 其中项目标 1,200 万元 大于所属指标「F」的目标 "
        "1,000 万元（专案1 第2个指标）",
        "programmes[0].indicators[2].part_of: 指标「F1」本身是「F」的其中项，其中项只能有一层"
        "（可写 part_of: F）（专案1 第3个指标）",
        "programmes[0].indicators[3].measure: 计量单位「人」与所属指标「F」的「元」不同",
        "programmes[0].indicators[4].part_of: 没有代码为「NOPE」的指标（专案1 第5个指标）",
        "programmes[0].indicators[5].part_of: 其中项首尾相连（C1 → C2 → C1）",
        "programmes[1].indicators[0].part_of: 指标「F」在专案1中：其中项应与所属指标写在同一专案"
        "（专案2 第1个指标）",
    ):
        assert said in problems


def test_parts_adding_up_to_more_than_their_whole_are_refused_at_the_whole(tmp_path):
    path = indicators(
        tmp_path,
        """      - {code: F, name: 筹集资金, measure: 元, target: 1000万元以上}
      - {code: F1, name: 用于帮扶, measure: 元, target: 600万元, part_of: F}
      - {code: F2, name: 用于助学, measure: 元, target: 500万元, part_of: F}
""",
    )
    [problem] = problems_of(path)
    assert problem == (
        "programmes[0].indicators[0].target: 其中项（F1、F2）的目标合计 1,100 万元 大于本指标目标 "
        "1,000 万元（专案1 第1个指标）"
    )


def test_loadplan_check_says_a_part_problem_with_its_place_and_loads_nothing(tmp_path, db, capsys):
    path = indicators(tmp_path, "      - {code: F1, name: 用于帮扶, measure: 元, part_of: NOPE}\n")
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path), "--check")
    assert "没有代码为「NOPE」的指标（专案1 第1个指标）" in capsys.readouterr().err
