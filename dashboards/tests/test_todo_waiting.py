"""我的待办 lists what waits for a unit's user in 评选 (nominations) and 评分自评 (evaluations):
the head's to recommend or confirm, the reporter's drafts and returned ones."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Nomination
from dashboards.todo import unit_todo
from evaluations.models import Evaluation
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of
from plans.models import Rubric

TODO = reverse("reporting:todo")
TODAY = dt.date(2022, 7, 20)


@pytest.fixture
def today(settings):
    settings.UNIONPLAN_TODAY = TODAY.isoformat()
    return TODAY


@pytest.fixture
def campaign(plan_2022):
    """乡村振兴劳模出彩示范基地选树命名 (专案二), 推荐 by the year's end."""
    return Campaign.objects.get(plan=plan_2022, code="p02-model-bases")


@pytest.fixture
def rubric(plan_2022):
    """专案二's rubric, which scores the counties."""
    return Rubric.objects.get(programme__plan=plan_2022, programme__number=2)


def nominate(campaign, unit_code, name, status, actor, reason=""):
    return Nomination.objects.create(
        campaign=campaign,
        unit=Unit.objects.get(code=unit_code),
        name=name,
        status=status,
        created_by=actor,
        created_at=timezone.now(),
        return_reason=reason,
    )


def evaluate(rubric, unit_code, status, reason=""):
    return Evaluation.objects.create(
        rubric=rubric,
        unit=Unit.objects.get(code=unit_code),
        status=status,
        created_at=timezone.now(),
        return_reason=reason,
    )


def counter(html: str, name: str) -> int:
    return int(re.search(rf'id="count-{name}">(\d+)<', html).group(1))


def card(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</div>\n</div>", start)]


def test_the_head_of_ruzhou_sees_a_submitted_nomination_and_self_assessment_and_not_another_units(
    client, campaign, rubric, ruzhou_reporter, ruzhou_head, jiaxian_reporter, today
):
    client.force_login(ruzhou_head)
    before = counter(client.get(TODO).content.decode(), "waiting")
    ours = nominate(campaign, "ruzhou", "汝州市某村劳模基地", "submitted", ruzhou_reporter)
    nominate(campaign, "jiaxian", "郏县某村劳模基地", "submitted", jiaxian_reporter)
    evaluation = evaluate(rubric, "ruzhou", "submitted")
    evaluate(rubric, "jiaxian", "submitted")

    html = client.get(TODO).content.decode()
    nominations = card(html, "nominations-todo")
    assert "汝州市某村劳模基地" in nominations and "待单位负责人推荐" in nominations
    assert reverse("campaigns:nomination", args=[ours.pk]) in nominations
    assert "推荐截止 2022年12月31日" in nominations
    assert "郏县某村劳模基地" not in html
    evaluations = card(html, "evaluations-todo")
    assert rubric.title in evaluations and "待单位负责人确认并报送" in evaluations
    assert reverse("evaluations:self", args=[rubric.programme.plan.slug, rubric.pk]) in evaluations
    assert evaluations.count("<a ") == 1  # 郏县's is not there
    assert counter(html, "waiting") == before + 2
    # The links open: the head may act on both.
    assert client.get(reverse("campaigns:nomination", args=[ours.pk])).status_code == 200
    assert client.get(reverse("evaluations:evaluation", args=[evaluation.pk])).status_code == 302


def test_a_reporter_sees_drafts_and_returned_ones_with_the_reason_but_not_those_with_the_head(
    client, campaign, rubric, ruzhou_reporter, today
):
    client.force_login(ruzhou_reporter)
    before = counter(client.get(TODO).content.decode(), "returned")
    nominate(campaign, "ruzhou", "未提交的基地", "draft", ruzhou_reporter)
    nominate(campaign, "ruzhou", "退回的基地", "returned", ruzhou_reporter, reason="缺少推荐表")
    nominate(campaign, "ruzhou", "等负责人推荐的基地", "submitted", ruzhou_reporter)
    evaluate(rubric, "ruzhou", "returned", reason="自评说明不完整")

    html = client.get(TODO).content.decode()
    nominations = card(html, "nominations-todo")
    assert "未提交的基地" in nominations and "草稿，未提交" in nominations
    assert "退回的基地" in nominations and "被退回：缺少推荐表" in nominations
    assert nominations.index("退回的基地") < nominations.index("未提交的基地")
    assert "等负责人推荐的基地" not in html
    assert "被退回：自评说明不完整" in card(html, "evaluations-todo")
    assert counter(html, "returned") == before + 2


def test_a_nomination_past_nominate_by_counts_as_overdue_and_a_closed_campaign_drops_out(
    client, campaign, ruzhou_reporter, today
):
    client.force_login(ruzhou_reporter)
    before = counter(client.get(TODO).content.decode(), "overdue")
    nominate(campaign, "ruzhou", "迟交的基地", "draft", ruzhou_reporter)
    Campaign.objects.filter(pk=campaign.pk).update(nominate_by=dt.date(2022, 7, 1))

    html = client.get(TODO).content.decode()
    assert "已过推荐截止" in card(html, "nominations-todo")
    assert counter(html, "overdue") == before + 1

    Campaign.objects.filter(pk=campaign.pk).update(scoring_closed_at=timezone.now())
    assert "迟交的基地" not in client.get(TODO).content.decode()


def test_the_todo_page_reads_nominations_and_evaluations_in_as_many_queries_for_more_of_them(
    client, campaign, rubric, ruzhou_reporter, ruzhou_head, today, django_assert_max_num_queries
):
    client.force_login(ruzhou_head)
    nominate(campaign, "ruzhou", "基地0", "submitted", ruzhou_reporter)
    evaluate(rubric, "ruzhou", "submitted")
    client.get(TODO)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(TODO)

    for code in ("ruzhou", "jiaxian", "baofeng", "yexian"):
        reporter = reporter_of(code, username=f"waiting-{code}")
        head_of(code, username=f"waiting-head-{code}")
        for i in range(1, 6):
            nominate(campaign, code, f"{code}基地{i}", "submitted", reporter)
        for order in range(91, 95):
            extra = Rubric.objects.get_or_create(
                programme=rubric.programme, order=order, defaults={"title": f"评分表{order}"}
            )[0]
            evaluate(extra, code, "submitted")

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(TODO).content.decode()
    assert card(html, "nominations-todo").count("<a ") == 6
    assert card(html, "evaluations-todo").count("<a ") == 5
    assert unit_todo(user=ruzhou_head, today=today)["counts"]["waiting"] >= 11
