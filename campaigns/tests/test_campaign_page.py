"""What a browser walk of the 评选 pages found: who may nominate in words, closing scoring
only after the nomination window and after a question, a unit with nothing left to nominate
told so up front, the campaign's dates checked against each other, a campaign without a
rubric shown without scorers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.describe import nominators_text
from campaigns.models import Campaign, Nomination
from campaigns.services.scoring import scoring_close
from campaigns.steps import timeline_warnings
from common.errors import ServiceError
from orgs.tests.factories import staff_of
from orgs.tests.personas import force_login_verified


@pytest.fixture
def model_sites(plan_2022):
    """The plan file's 专案4 campaign: 县（市、区） nominate by May, 命名 by the end of June."""
    return Campaign.objects.get(plan=plan_2022, code="p04-model-sites")


def _page(client, user, campaign):
    force_login_verified(client, user)
    return client.get(reverse("campaigns:campaign", kwargs={"pk": campaign.pk})).content.decode()


def test_who_may_nominate_reads_as_the_notice_words_it_not_as_codes(
    client, model_sites, campaign_staff
):
    page = _page(client, campaign_staff, model_sites)
    assert '<dd class="col-8 col-sm-10" id="campaign-nominators">县（市、区）</dd>' in page
    listed = client.get(reverse("campaigns:list", args=[model_sites.plan.slug])).content.decode()
    assert '<td data-label="推荐范围">县（市、区）</td>' in listed
    assert "county_city" not in page + listed
    assert (
        nominators_text(["zone", "county", "district", "county_city"])
        == "功能区工会联合会、县（市、区）"
    )
    assert nominators_text(["county", "ruzhou"]) == "县总工会、ruzhou"
    assert nominators_text([]) == "本方案各单位"


def test_scoring_cannot_be_closed_before_the_nomination_deadline_on_the_page_or_behind_it(
    client, nursing_campaign, campaign_staff
):
    with pytest.raises(ServiceError, match="推荐截止（2022年6月30日）后才能结束评分"):
        scoring_close(campaign=nursing_campaign, actor=campaign_staff)
    page = _page(client, campaign_staff, nursing_campaign)
    assert "推荐截止（2022年6月30日）后才能结束评分" in page and "close-scoring-form" not in page
    url = reverse("campaigns:scoring_close", kwargs={"pk": nursing_campaign.pk})
    refused = client.post(url, follow=True).content.decode()
    assert "推荐截止（2022年6月30日）后才能结束评分" in refused
    assert Campaign.objects.get(pk=nursing_campaign.pk).scoring_closed_at is None


def test_closing_scoring_and_refusing_a_nominee_ask_before_they_act(
    client, nursing_campaign, campaign_staff, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-05"
    Nomination.objects.create(
        campaign=nursing_campaign,
        unit=nursing_campaign.plan.units.get(code="ruzhou"),
        name="待审查的母婴室",
        status=Nomination.Status.CONFIRMED,
        created_by=campaign_staff,
        created_at=timezone.now(),
    )
    page = _page(client, campaign_staff, nursing_campaign)
    assert 'data-confirm="确定结束评分吗？' in page
    assert 'data-confirm="确定认定「待审查的母婴室」不符合条件吗？' in page
    assert "/static/js/confirm.js" in page


def test_a_unit_with_no_row_left_to_nominate_is_told_before_it_types_anything(
    client, nursing_campaign, nursing_room, ruzhou_reporter
):
    force_login_verified(client, ruzhou_reporter)
    url = reverse("campaigns:nominate", kwargs={"pk": nursing_campaign.pk})
    empty = client.get(url).content.decode()
    assert "本单位没有可推荐的已审核记录（已推荐的不能重复推荐）" in empty
    assert "nomination-form" not in empty
    room = nursing_room("ruzhou", "汝州市人民医院母婴室")
    assert "nomination-form" in client.get(url).content.decode()
    client.post(url, {"name": "汝州市人民医院母婴室", "record": room.pk})
    again = client.get(url).content.decode()
    assert "本单位没有可推荐的已审核记录" in again and "nomination-form" not in again


def test_a_saved_nomination_asks_for_materials_only_when_the_campaign_wants_some(
    client, nursing_campaign, nursing_room, ruzhou_reporter
):
    force_login_verified(client, ruzhou_reporter)
    url = reverse("campaigns:nominate", kwargs={"pk": nursing_campaign.pk})
    room = nursing_room("ruzhou", "汝州市人民医院母婴室")
    asked = client.post(url, {"name": "甲", "record": room.pk}, follow=True).content.decode()
    assert "已保存推荐对象「甲」，请上传申报材料后提交" in asked
    Campaign.objects.filter(pk=nursing_campaign.pk).update(materials=[])
    other = nursing_room("ruzhou", "汝州市第二母婴室")
    plain = client.post(url, {"name": "乙", "record": other.pk}, follow=True).content.decode()
    assert "已保存推荐对象「乙」，请提交单位负责人推荐" in plain
    assert "请上传申报材料" not in plain


def test_the_department_is_warned_of_a_naming_deadline_too_close_or_passed(
    client, model_sites, settings, ruzhou_reporter
):
    organisers = staff_of("组织部", username="organiser-test")
    settings.UNIONPLAN_TODAY = "2022-06-10"
    page = _page(client, organisers, model_sites)
    assert "命名截止（2022-06-30）距评选截止（2022-06-30）不足公示期（5 个自然日）" in page
    assert "已超过命名截止" not in page
    settings.UNIONPLAN_TODAY = "2022-07-20"
    assert "已超过命名截止（2022-06-30），尚未命名" in _page(client, organisers, model_sites)
    assert "timeline-warning" not in _page(client, ruzhou_reporter, model_sites)
    model_sites.named_on = dt.date(2022, 7, 1)
    model_sites.score_by = dt.date(2022, 6, 20)
    assert timeline_warnings(model_sites, dt.date(2022, 7, 20)) == []


def test_a_campaign_without_a_rubric_shows_no_scorers_and_no_unscored_results(
    client, model_sites, settings
):
    organisers = staff_of("组织部", username="organiser-test")
    settings.UNIONPLAN_TODAY = "2022-06-10"
    Nomination.objects.create(
        campaign=model_sites,
        unit=model_sites.plan.units.get(code="ruzhou"),
        name="汝州市城关镇总工会",
        status=Nomination.Status.APPROVED,
        created_by=organisers,
        created_at=timezone.now(),
    )
    page = _page(client, organisers, model_sites)
    assert "本次评选没有评分标准，不设评委打分" in page
    assert "尚未指定评委" not in page and "未评分" not in page and "results-table" not in page
    assert 'id="close-scoring-form"' in page
