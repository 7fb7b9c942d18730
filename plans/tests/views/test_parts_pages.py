"""A plan whose money the notice prints in 万元, with a part (其中): its pages read as the
notice does."""

import re

import pytest
from django.urls import reverse

from orgs.models import Unit, User
from orgs.tests.factories import UserFactory
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_parts import MONEY
from plans.tests.planfile.test_spec import write


@pytest.fixture
def money_plan(tmp_path, db):
    return plan_load(spec=read_plan_file(write(tmp_path, MONEY))).plan


@pytest.fixture
def its_leader(client, money_plan):
    leader = UserFactory(role=User.Role.LEADER, federation=Unit.objects.get(code="fed"))
    client.force_login(leader)
    return leader


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_programme_page_shows_the_target_as_printed_and_each_part_under_its_whole(
    client, money_plan, its_leader
):
    html = client.get(reverse("plans:programme", args=[money_plan.slug, 1])).content.decode()
    text = text_of(html)
    assert "筹集帮扶资金 1,000 万元以上" in text
    assert "10,000,000" not in text
    assert text.index("筹集帮扶资金") < text.index("其中： 用于困难职工帮扶 600 万元")
    assert "其中： 用于金秋助学 300 万元" in text
    assert "走访困难职工 12,000 人以上" in text


def test_the_plans_overview_lists_a_part_under_its_whole(client, money_plan, its_leader):
    html = client.get(reverse("plans:overview", args=[money_plan.slug])).content.decode()
    text = text_of(html)
    assert "筹集帮扶资金： 1,000 万元以上 其中：用于困难职工帮扶 600 万元" in text


@pytest.mark.parametrize(
    ("target", "comparator", "shown_in", "said"),
    [
        (10_000_000, "gte", "万元", "1,000 万元以上"),
        (250_000_000, "gt", "亿元", "超过 2.5 亿元"),
        (3_000_000, "near", "万元", "近 300 万元"),
        (10_000_000, "gte", "", "10,000,000 元以上"),
    ],
)
def test_a_money_target_reads_in_the_measure_it_was_printed_in(target, comparator, shown_in, said):
    from decimal import Decimal

    from plans.models import Indicator
    from plans.templatetags.plan_format import target_text

    money = Indicator(
        name="筹集资金",
        measure="元",
        target=Decimal(target),
        comparator=comparator,
        display_measure=shown_in,
    )
    assert target_text(money) == said
