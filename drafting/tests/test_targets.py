"""Targets as notices print them."""

from decimal import Decimal

import pytest

from drafting.targets import targets_in


def one(sentence):
    found = targets_in(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value", "measure", "comparator"),
    [
        ("组织开展200项以上市级、县级、行业（企业）技能竞赛", 200, "项", "gte"),
        ("各类竞赛覆盖职工超过70万人", 700000, "人", "gt"),
        ("筹集帮扶资金300万元以上", 3000000, "元", "gte"),
        ("投入专项资金2亿元", 200000000, "元", "eq"),
        ("新建户外劳动者服务站点近300个", 300, "个", "near"),
        ("组织1000名左右一线职工疗休养", 1000, "名", "about"),
        ("动员至少30家基层单位参与", 30, "家", "gte"),
        ("全市组建不少于 10 支服务分队", 10, "支", "gte"),
        ("提供免费就业服务1.4万人次", 14000, "人次", "eq"),
        ("组织职工技能培训4.6万人次", 46000, "人次", "eq"),
        ("提供法律援助8,500件", 8500, "件", "eq"),
        ("新增高技能人才约1200人", 1200, "人", "about"),
    ],
)
def test_a_printed_figure_gives_value_measure_and_comparator(sentence, value, measure, comparator):
    target = one(sentence)
    assert (target.target, target.measure, target.comparator) == (
        Decimal(value),
        measure,
        comparator,
    )
    assert target.source == sentence.replace(" ", "") or target.source == sentence


def test_a_share_in_words_is_a_ratio():
    target = one("力争劳动争议纠纷三分之一以上通过多元化解机制解决")
    assert (target.target, target.denominator, target.comparator) == (1, 3, "gte")


def test_a_percentage_is_a_ratio_of_a_hundred():
    target = one("劳动争议调解成功率达到90%以上")
    assert (target.target, target.denominator, target.comparator) == (90, 100, "gte")


def test_one_in_each_of_the_quarters_listed_counts_the_quarters():
    target = one("在二、三、四季度各举办一场线上心理健康讲座")
    assert (target.target, target.measure) == (3, "场")


@pytest.mark.parametrize(
    "sentence",
    [
        "为每位会员发放不超过2000元的年度节日慰问品",  # a limit
        "开展为期不少于2个月的蹲点活动",  # a duration
        "推动25人以上企业及新就业群体建会入会",  # a size qualifying a noun
        "会员持工会会员卡刷卡0.01元乘车",  # a fare
        "分3批组织",  # the manner
        "命名一批示范基地",  # a word, not a figure
    ],
)
def test_what_is_not_a_target_is_not_drafted(sentence):
    assert targets_in(sentence) == []


def test_a_figure_for_each_unit_is_a_per_unit_rule_with_its_scope():
    target = one("各县（市、区）总工会组织5-10场示范性文艺活动")
    assert target.target is None
    assert target.per_unit == {"min": 5, "max": 10, "scope": ["county_city", "county", "district"]}


def test_at_least_one_for_each_unit_is_a_minimum():
    target = one("每个单位至少组织一场工会主办的线下招聘活动")
    assert target.per_unit == {"min": 1}
    assert target.measure == "场"
