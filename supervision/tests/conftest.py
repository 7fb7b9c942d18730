import datetime as dt

import pytest

from plans.models import Milestone

SLUG = "pingdingshan-2022"


def step_of(plan, number: int, title: str) -> Milestone:
    return Milestone.objects.get(
        programme__plan=plan, programme__number=number, title__startswith=title
    )


@pytest.fixture
def today(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    return dt.date(2022, 7, 20)


@pytest.fixture
def april_step(plan_2022):
    """专案1's 安排部署 (April; 劳动和经济工作部, the programme's department)."""
    return step_of(plan_2022, 1, "安排部署")


@pytest.fixture
def may_step(plan_2022):
    """专案8's 制定下发…疗休养活动计划 (May, due 31 May; 劳动和经济工作部 and 职工服务中心)."""
    return step_of(plan_2022, 8, "制定下发2022年劳模")


@pytest.fixture
def quarterly_step(plan_2022):
    """专案8's online lectures, one a quarter from April (职工服务中心 alone)."""
    return step_of(plan_2022, 8, "举办线上心理健康讲座")


@pytest.fixture
def timely_step(plan_2022):
    """A step the plan gives no date (适时), as `when: timely` loads one: 专案2's."""
    programme = plan_2022.programmes.get(number=2)
    return Milestone.objects.create(
        programme=programme,
        order=99,
        title="适时召开乡村振兴劳模出彩行动现场观摩推进会",
        kind=Milestone.Kind.DEADLINE,
        rule="timely",
        actor=Milestone.Actor.FEDERATION,
    )
