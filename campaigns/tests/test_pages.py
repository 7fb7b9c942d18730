"""The 评选 pages as their users meet them: a unit nominating on its phone, the department's
table of all nominations, a scorer's sheet, and what each may see."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Nomination, Score
from campaigns.services import nominations as services
from campaigns.services.scoring import rubric_items, score_save
from orgs.tests.factories import head_of, reporter_of
from orgs.tests.personas import force_login_verified


@pytest.fixture
def scoring_open(nursing_campaign, settings):
    settings.UNIONPLAN_TODAY = "2022-07-05"
    return nursing_campaign


def _login(client, user):
    force_login_verified(client, user)
    return client


def _points(campaign, *values, nomination):
    data = {"nomination": nomination.pk}
    for item, value in zip(rubric_items(campaign), values, strict=True):
        data[f"points_{item.pk}"] = value
    return data


def test_a_unit_nominates_a_room_and_a_room_under_10_square_metres_is_refused_on_the_page(
    client, nursing_campaign, nursing_room, ruzhou_reporter
):
    small = nursing_room("ruzhou", "汝州市小母婴室", area="8")
    good = nursing_room("ruzhou", "汝州市人民医院母婴室")
    _login(client, ruzhou_reporter)
    url = reverse("campaigns:nominate", kwargs={"pk": nursing_campaign.pk})
    page = client.get(url).content.decode()
    assert "汝州市小母婴室（未达标）" in page and "汝州市人民医院母婴室" in page
    refused = client.post(url, {"name": "我们的小母婴室", "record": small.pk})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "面积不足10平方米" in body and 'value="我们的小母婴室"' in body
    done = client.post(url, {"name": "汝州市人民医院母婴室", "record": good.pk, "description": "x"})
    nomination = Nomination.objects.get(campaign=nursing_campaign, record=good)
    assert done["Location"] == reverse("campaigns:nomination", kwargs={"pk": nomination.pk})
    detail = client.get(done["Location"]).content.decode()
    assert "提交单位负责人推荐" in detail and "推荐表" in detail


def test_another_units_nomination_and_its_files_are_not_found(
    client, nursing_campaign, nursing_room, ruzhou_reporter, jiaxian_reporter
):
    from reporting.tests.files import JPG, upload

    nomination = services.nomination_create(
        campaign=nursing_campaign,
        actor=ruzhou_reporter,
        name="汝州市人民医院母婴室",
        record=nursing_room("ruzhou", "汝州市人民医院母婴室"),
    )
    [file] = services.nomination_files_add(
        nomination=nomination,
        actor=ruzhou_reporter,
        material="application",
        files=[upload("推荐表.jpg", JPG)],
    )
    _login(client, jiaxian_reporter)
    for url in (
        reverse("campaigns:nomination", kwargs={"pk": nomination.pk}),
        reverse("campaigns:nomination_edit", kwargs={"pk": nomination.pk}),
        reverse("campaigns:nomination_file", kwargs={"pk": file.pk}),
    ):
        assert client.get(url).status_code == 404
    campaign_page = client.get(reverse("campaigns:campaign", kwargs={"pk": nursing_campaign.pk}))
    assert "汝州市人民医院母婴室" not in campaign_page.content.decode()


def test_the_department_admits_from_its_table_and_a_draft_stays_out_of_it(
    client, nursing_campaign, nursing_room, ruzhou_reporter, ruzhou_head, campaign_staff
):
    from reporting.tests.files import JPG, upload

    ready, draft = (
        services.nomination_create(
            campaign=nursing_campaign,
            actor=ruzhou_reporter,
            name=name,
            record=nursing_room("ruzhou", name),
        )
        for name in ("汝州市人民医院母婴室", "汝州市草稿母婴室")
    )
    services.nomination_files_add(
        nomination=ready,
        actor=ruzhou_reporter,
        material="application",
        files=[upload("推荐表.jpg", JPG)],
    )
    services.nomination_step(nomination=ready, action="submit", actor=ruzhou_reporter)
    ready = services.nomination_step(nomination=ready, action="confirm", actor=ruzhou_head)
    _login(client, campaign_staff)
    page = client.get(reverse("campaigns:campaign", kwargs={"pk": nursing_campaign.pk}))
    body = page.content.decode()
    assert "汝州市人民医院母婴室" in body and draft.name not in body
    assert "资格审查通过" in body
    done = client.post(
        reverse("campaigns:nomination_step", kwargs={"pk": ready.pk, "action": "admit"}),
        {"version": ready.version, "back": "campaign"},
    )
    assert done["Location"] == reverse("campaigns:campaign", kwargs={"pk": nursing_campaign.pk})
    assert Nomination.objects.get(pk=ready.pk).status == Nomination.Status.APPROVED


@pytest.mark.parametrize("count", [2, 9])
def test_the_departments_table_takes_the_same_queries_whatever_the_number_of_nominations(
    client, nursing_campaign, admitted, campaign_staff, django_assert_max_num_queries, count
):
    units = ["ruzhou", "jiaxian", "baofeng"]
    for i in range(count):
        admitted(units[i % 3], f"母婴室{i}")
    _login(client, campaign_staff)
    url = reverse("campaigns:campaign", kwargs={"pk": nursing_campaign.pk})
    with django_assert_max_num_queries(15):
        page = client.get(url)
    assert page.content.decode().count('data-label="推荐对象"') == 2 * count  # table and results


def test_a_scorer_of_the_nominees_unit_is_kept_from_scoring_it_on_the_page(
    client, scoring_open, admitted, seat, ruzhou_scorer
):
    own, other = admitted("ruzhou", "汝州市人民医院母婴室"), admitted("jiaxian", "郏县母婴室")
    _login(client, seat(ruzhou_scorer))
    url = reverse("campaigns:score", kwargs={"pk": scoring_open.pk})
    page = client.get(url).content.decode()
    assert page.count("本单位推荐对象，须回避") == 1 and f'value="{other.pk}"' in page
    assert f'name="nomination" value="{own.pk}"' not in page
    refused = client.post(url, _points(scoring_open, 10, 10, 30, nomination=own))
    assert refused.status_code == 200
    assert "不能为本单位的推荐对象评分" in refused.content.decode()
    assert not Score.objects.filter(nomination=own).exists()


def test_a_refused_value_keeps_what_the_scorer_typed(
    client, scoring_open, admitted, seat, outside_scorers
):
    nominee = admitted("jiaxian", "郏县母婴室")
    _login(client, seat(outside_scorers[0]))
    url = reverse("campaigns:score", kwargs={"pk": scoring_open.pk})
    data = _points(scoring_open, "18.5", "25", "44", nomination=nominee)
    data[f"comment_{rubric_items(scoring_open)[0].pk}"] = "布局合理"
    refused = client.post(url, data)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "不能超过 20 分" in body
    assert 'value="18.5"' in body and 'value="25"' in body and 'value="布局合理"' in body
    assert not Score.objects.filter(nomination=nominee).exists()
    saved = client.post(url, _points(scoring_open, "18.5", "20", "44", nomination=nominee))
    assert saved.status_code == 302
    assert "我的合计 82.50" in client.get(url).content.decode()


def test_a_scorer_sees_only_their_own_scores_until_scoring_closes(
    client, scoring_open, admitted, seat, outside_scorers, campaign_staff
):
    nominee = admitted("jiaxian", "郏县母婴室")
    mine, theirs = seat(outside_scorers[0]), seat(outside_scorers[1])
    items = rubric_items(scoring_open)
    for scorer, values in ((mine, (10, 10, 40)), (theirs, (20, 20, 55))):
        score_save(
            nomination=nominee,
            actor=scorer,
            points={i.pk: v for i, v in zip(items, values, strict=True)},
        )
    _login(client, mine)
    sheet = client.get(reverse("campaigns:score", kwargs={"pk": scoring_open.pk})).content
    sheet = sheet.decode()
    assert "我的合计 60.00" in sheet and "95.00" not in sheet and "77.50" not in sheet
    campaign_url = reverse("campaigns:campaign", kwargs={"pk": scoring_open.pk})
    assert 'id="results"' not in client.get(campaign_url).content.decode()
    scoring_open.scoring_closed_at = timezone.now()
    scoring_open.save()
    after = client.get(campaign_url).content.decode()
    assert 'id="results"' in after and "77.50" in after


def test_a_unit_sees_no_totals_while_scoring_runs_and_only_its_own_after(
    client, scoring_open, admitted, seat, outside_scorers
):
    ours, theirs = admitted("ruzhou", "汝州市人民医院母婴室"), admitted("jiaxian", "郏县母婴室")
    items = rubric_items(scoring_open)
    scorer = seat(outside_scorers[0])
    for nominee in (ours, theirs):
        score_save(nomination=nominee, actor=scorer, points={i.pk: 10 for i in items})
    _login(client, head_of("ruzhou", username="results-head"))
    url = reverse("campaigns:campaign", kwargs={"pk": scoring_open.pk})
    assert 'id="results"' not in client.get(url).content.decode()
    scoring_open.scoring_closed_at = timezone.now()
    scoring_open.save()
    body = client.get(url).content.decode()
    assert 'id="results"' in body and "30.00" in body and "郏县母婴室" not in body


def test_the_plans_campaigns_list_shows_a_units_places_and_its_own_count(
    client, nursing_campaign, admitted, plan_2022
):
    admitted("ruzhou", "汝州市人民医院母婴室")
    admitted("jiaxian", "郏县母婴室")
    _login(client, reporter_of("ruzhou", username="list-reporter"))
    page = client.get(reverse("campaigns:list", kwargs={"slug": plan_2022.slug}))
    body = page.content.decode()
    assert nursing_campaign.title in body and "2 个" in body
    assert '<td data-label="本单位推荐">1</td>' in body
