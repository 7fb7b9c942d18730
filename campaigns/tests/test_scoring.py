"""评分 and combining: points per item within its maximum, only for admitted nominees while
scoring is open, never for a nominee of the scorer's own unit; the mean or the trimmed mean of
scorers' totals, exact to the cent, with ties sharing a rank."""

from decimal import Decimal

import pytest

from audit.models import AuditEntry
from campaigns.models import Campaign, Nomination
from campaigns.selectors.scoring import combine, results
from campaigns.services import scoring as services
from common.errors import ServiceError


@pytest.fixture
def scoring_open(nursing_campaign, settings):
    settings.UNIONPLAN_TODAY = "2022-07-05"
    return nursing_campaign


def _items(campaign):
    return services.rubric_items(campaign)


def _score(campaign, scorer, nomination, *points, comment=""):
    """Points for the items in order (1.1, 1.2, 2.1)."""
    items = _items(campaign)
    return services.score_save(
        nomination=nomination,
        actor=scorer,
        points={i.pk: p for i, p in zip(items, points, strict=True)},
        comments={items[0].pk: comment},
    )


def _with_totals(campaign, nomination, scorers, totals):
    """Each scorer gives `total`, split over the items (at most 20, 20, 60)."""
    for scorer, total in zip(scorers, totals, strict=True):
        total = Decimal(total)
        first = min(total, Decimal(20))
        second = min(total - first, Decimal(20))
        _score(campaign, scorer, nomination, first, second, total - first - second)


def test_the_mean_of_scorers_totals_rounds_half_up_to_the_cent():
    assert combine([Decimal("80"), Decimal("85"), Decimal("90.5")], "mean") == (
        Decimal("85.17"),
        False,
    )
    # 80.005 exactly: half up, never banker's rounding or a float's 80.00499…
    assert combine([Decimal("80.00"), Decimal("80.01")], "mean") == (Decimal("80.01"), False)
    assert combine([], "mean") == (None, False)


def test_the_trimmed_mean_drops_one_highest_and_one_lowest_total_with_three_scorers_or_more():
    totals = [Decimal("60"), Decimal("90"), Decimal("80"), Decimal("70")]
    assert combine(totals, Campaign.Combine.TRIMMED_MEAN) == (Decimal("75.00"), True)
    assert combine(totals[:3], Campaign.Combine.TRIMMED_MEAN) == (Decimal("80.00"), True)


def test_the_trimmed_mean_with_fewer_than_three_scorers_falls_back_to_the_mean():
    assert combine([Decimal("60"), Decimal("91")], Campaign.Combine.TRIMMED_MEAN) == (
        Decimal("75.50"),
        False,
    )


def test_results_rank_best_first_and_equal_totals_share_a_rank(
    scoring_open, admitted, seat, outside_scorers
):
    a, b, c, d = (admitted("jiaxian", f"郏县母婴室{i}") for i in "甲乙丙丁")
    scorers = [seat(s) for s in outside_scorers[:2]]
    _with_totals(scoring_open, a, scorers, ["80", "90"])  # 85
    _with_totals(scoring_open, b, scorers, ["95", "75"])  # 85
    _with_totals(scoring_open, c, scorers, ["88", "90"])  # 89
    rows = results(scoring_open)
    assert [(r.nomination.name, r.total, r.rank, r.tied) for r in rows] == [
        ("郏县母婴室丙", Decimal("89.00"), 1, False),
        ("郏县母婴室甲", Decimal("85.00"), 2, True),
        ("郏县母婴室乙", Decimal("85.00"), 2, True),
        ("郏县母婴室丁", None, None, False),
    ]
    assert [r.scorer_count for r in rows] == [2, 2, 2, 0]
    assert d.pk == rows[-1].nomination.pk


def test_two_nominees_tied_at_the_top_share_first_place_and_the_next_is_third(
    scoring_open, admitted, seat, outside_scorers
):
    scorer = seat(outside_scorers[0])
    for name, total in (("甲", "90"), ("乙", "90"), ("丙", "70")):
        _with_totals(scoring_open, admitted("jiaxian", name), [scorer], [total])
    assert [(r.rank, r.tied) for r in results(scoring_open)] == [(1, True), (1, True), (3, False)]


def test_a_trimmed_mean_campaign_trims_with_three_scorers_and_says_when_it_could_not(
    scoring_open, admitted, seat, outside_scorers
):
    scoring_open.combine = Campaign.Combine.TRIMMED_MEAN
    scoring_open.save()
    scorers = [seat(s) for s in outside_scorers]
    three, two = admitted("jiaxian", "三人评"), admitted("jiaxian", "两人评")
    _with_totals(scoring_open, three, scorers, ["60", "80", "99"])
    _with_totals(scoring_open, two, scorers[:2], ["60", "81"])
    by_name = {r.nomination.name: r for r in results(scoring_open)}
    assert (by_name["三人评"].total, by_name["三人评"].trimmed) == (Decimal("80.00"), True)
    assert (by_name["两人评"].total, by_name["两人评"].trimmed) == (Decimal("70.50"), False)


def test_a_scorer_cannot_score_a_nominee_of_their_own_unit(
    scoring_open, admitted, seat, ruzhou_scorer
):
    scorer = seat(ruzhou_scorer)
    own = admitted("ruzhou", "汝州市人民医院母婴室")
    with pytest.raises(ServiceError, match="不能为本单位的推荐对象评分"):
        _score(scoring_open, scorer, own, 10, 10, 50)
    _score(scoring_open, scorer, admitted("jiaxian", "郏县母婴室"), 10, 10, 50)
    assert results(scoring_open)[0].scorer_count == 1


def test_points_must_lie_within_each_items_maximum(scoring_open, admitted, seat, outside_scorers):
    scorer, nominee = seat(outside_scorers[0]), admitted("jiaxian", "郏县母婴室")
    item = _items(scoring_open)[0]
    with pytest.raises(services.ScoreRefused, match="「面积与布局」的得分应在 0 至 20 分之间") as e:
        _score(scoring_open, scorer, nominee, "20.5", 10, 10)
    assert e.value.field == f"points_{item.pk}"
    with pytest.raises(services.ScoreRefused, match="应在 0 至 20 分之间"):
        _score(scoring_open, scorer, nominee, "-1", 10, 10)
    with pytest.raises(services.ScoreRefused, match="请为每一项打分"):
        _score(scoring_open, scorer, nominee, "", 10, 10)
    assert not nominee.scores.exists()


def test_only_an_assigned_scorer_scores_only_admitted_nominees_only_while_scoring_is_open(
    nursing_campaign, admitted, seat, outside_scorers, settings, campaign_staff
):
    nominee = admitted("jiaxian", "郏县母婴室")
    with pytest.raises(ServiceError, match="推荐截止（2022年6月30日）后才能开始评分"):
        _score(nursing_campaign, seat(outside_scorers[0]), nominee, 10, 10, 10)
    settings.UNIONPLAN_TODAY = "2022-07-05"
    with pytest.raises(ServiceError, match="您不是本次评选的评委"):
        _score(nursing_campaign, outside_scorers[1], nominee, 10, 10, 10)
    Nomination.objects.filter(pk=nominee.pk).update(status=Nomination.Status.CONFIRMED)
    with pytest.raises(ServiceError, match="只能为已入围的推荐对象评分"):
        _score(nursing_campaign, outside_scorers[0], nominee, 10, 10, 10)
    Nomination.objects.filter(pk=nominee.pk).update(status=Nomination.Status.APPROVED)
    services.scoring_close(campaign=nursing_campaign, actor=campaign_staff)
    with pytest.raises(ServiceError, match="评分已结束"):
        _score(nursing_campaign, outside_scorers[0], nominee, 10, 10, 10)


def test_a_changed_score_is_audited_with_its_points_before_and_after(
    scoring_open, admitted, seat, outside_scorers
):
    scorer, nominee = seat(outside_scorers[0]), admitted("jiaxian", "郏县母婴室")
    _score(scoring_open, scorer, nominee, 10, 10, 40)
    _score(scoring_open, scorer, nominee, 12, 10, 40, comment="设施齐全")
    entry = AuditEntry.objects.filter(event="campaigns.score.saved").order_by("id").last()
    assert entry.before["1.1"] == {"points": "10.00"}
    assert entry.after["1.1"] == {"points": "12.00", "comment": "设施齐全"}
    assert results(scoring_open)[0].total == Decimal("62.00")


def test_closing_scoring_is_the_departments_and_audited(scoring_open, campaign_staff, labour_staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.scoring_close(campaign=scoring_open, actor=labour_staff)
    services.scoring_close(campaign=scoring_open, actor=campaign_staff)
    entry = AuditEntry.objects.get(event="campaigns.campaign.scoring_closed")
    assert (entry.before, entry.after) == ({"scoring_closed": False}, {"scoring_closed": True})
    with pytest.raises(ServiceError, match="评分已经结束"):
        services.scoring_close(campaign=scoring_open, actor=campaign_staff)


def test_a_scorer_of_the_nominees_unit_cannot_be_assigned_twice_and_leaves_only_unscored(
    scoring_open, campaign_staff, outside_scorers, admitted
):
    scorer = outside_scorers[0]
    seat = services.scorer_assign(campaign=scoring_open, actor=campaign_staff, user=scorer)
    with pytest.raises(ServiceError, match="已是本次评选的评委"):
        services.scorer_assign(campaign=scoring_open, actor=campaign_staff, user=scorer)
    _score(scoring_open, scorer, admitted("jiaxian", "郏县母婴室"), 1, 1, 1)
    with pytest.raises(ServiceError, match="已经评分，不能取消评委"):
        services.scorer_unassign(campaign=scoring_open, actor=campaign_staff, seat=seat)


@pytest.mark.parametrize("count", [2, 12])
def test_results_take_two_queries_whatever_the_number_of_nominees(
    scoring_open, admitted, seat, outside_scorers, count, django_assert_num_queries
):
    scorers = [seat(s) for s in outside_scorers]
    for i in range(count):
        _with_totals(scoring_open, admitted("jiaxian", f"母婴室{i}"), scorers, ["50", "60", "70"])
    campaign = Campaign.objects.get(pk=scoring_open.pk)
    with django_assert_num_queries(2):
        rows = results(campaign)
        assert all(r.nomination.unit.short_name for r in rows)
    assert len(rows) == count
