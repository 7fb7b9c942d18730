"""Dated steps and who acts, as notices write them."""

import pytest

from drafting.actors import actor, delivery, departments_named
from drafting.steps import dates_in


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("4月15日前发送至邮箱", {"due": "2022-04-15"}),
        ("4月底前报市总", {"due": "2022-04"}),
        ("5月底前各县推荐候选单位", {"due": "2022-05"}),
        ("年底前命名一批基地", {"due": 2022}),
        ("5月中下旬召开会议", {"start": "2022-05-mid", "end": "2022-05-late"}),
        ("3月至5月开展集中要约行动", {"start": "2022-03", "end": "2022-05"}),
        ("动员部署阶段（3月中旬-4月下旬）", {"start": "2022-03-mid", "end": "2022-04-late"}),
        ("筹划部署阶段（4月1日至4月30日）", {"start": "2022-04-01", "end": "2022-04-30"}),
        ("2022年7月—10月", {"start": "2022-07", "end": "2022-10"}),
        ("时间安排：2022年全年", {"start": "2022-01", "end": "2022-12"}),
        ("4月初印发行动方案", {"due": "2022-04-early"}),
        ("10月底完成全部疗休养批次", {"due": "2022-10"}),
        ("此表请于单项活动结束后一周内发送", {"relative": "activity_end", "days": 7}),
        (
            "从4月起每季度向市总报告",
            {"recurring": "quarterly", "start": "2022-04", "end": "2022-12"},
        ),
        ("适时召开现场观摩推进会", None),
    ],
)
def test_a_printed_date_becomes_the_plan_files_rule(text, when):
    found = dates_in(text, 2022)
    assert [step.when for step in found] == [when]


def test_a_sentence_with_several_dates_gives_a_step_for_each():
    found = dates_in(
        "4月至5月中旬全力筹备会议，5月中下旬召开会议，6月开始全面推进，11月初进行总结", 2022
    )
    assert [s.when for s in found] == [
        {"start": "2022-04", "end": "2022-05-mid"},
        {"start": "2022-05-mid", "end": "2022-05-late"},
        {"start": "2022-06", "end": "2022-11-early"},
        {"due": "2022-11-early"},
    ]


def test_a_year_printed_in_the_text_wins_over_the_plans():
    assert dates_in("2023年3月底前完成", 2022)[0].when == {"due": "2023-03"}


def test_units_named_as_the_subject_act_and_to_whom_they_deliver_is_read():
    sentence = (
        "4月底前，各县（市、区）总工会、城乡一体化示范区、高新区工会联合会，各产业工会拟定实施方案，"
        "并将相关实施方案报市总劳动和经济工作部"
    )
    assert actor(sentence) == (
        "units",
        ["county_city", "county", "district", "zone", "industry_union"],
    )
    assert delivery(sentence) == ("相关实施方案", "劳动和经济工作部")


def test_without_units_as_subject_the_federation_acts():
    assert actor("年底联合市相关部门对竞赛实效进行评估总结") == ("federation", [])


def test_responsible_departments_are_read_from_their_usual_phrases():
    text = "责任部门：法律和社会工作部。（市职工服务中心负责）报市总宣传部。"
    assert departments_named(text) == ["法律和社会工作部", "市职工服务中心", "宣传部"]
