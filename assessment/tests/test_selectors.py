"""The composite score: its weights, the re-spread of a component that does not apply, 0 for
a rubric that applies but is not final yet, the same result for
the same date after later approvals, the ranking within groups, and a fixed number of queries."""

import datetime as dt
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from assessment.selectors import assessment_results
from assessment.tests.conftest import JULY, JULY_10, JUNE, RUBRIC, SHARES, WEIGHTS, progress
from dashboards.tests.test_selectors import approve
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of
from plans.models import Allocation, Rubric
from reporting.models import Obligation
from supervision import notice_services
from supervision.models import SupervisionNotice

CENT = D("0.01")


def row_of(found, code):
    return next(r for r in found.rows if r.unit.code == code)


def completion_by_hand(plan, code, values) -> D:
    """The ranking's capped completion (out of 1) of a unit with `values` on 专案3's five
    shares and nothing yet on its others."""
    shares = Allocation.objects.filter(indicator__plan=plan, unit__code=code).count()
    done = sum(min(D(v) / D(s), D(1)) for v, s in zip(values, SHARES, strict=True))
    return (done / shares * 100).quantize(D("0.1")) / 100


def timeliness_by_hand(plan, code, as_of, on_time: int) -> D:
    due = Obligation.objects.filter(plan=plan, unit__code=code, due_date__lte=as_of).count()
    return D(on_time) / due


def test_a_units_composite_is_the_weighted_sum_of_its_components(assessed):
    found = assessment_results(plan=assessed, as_of=JULY_10)
    ruzhou = row_of(found, "ruzhou")

    completion = completion_by_hand(assessed, "ruzhou", JUNE)
    timeliness = timeliness_by_hand(assessed, "ruzhou", JULY_10, on_time=1)
    rubric, supervision = D(80) / D(100), D(1) / D(2)
    expected = 40 * completion + 30 * timeliness + 20 * rubric + 10 * supervision
    assert ruzhou.score == expected.quantize(CENT, rounding=ROUND_HALF_UP)
    assert [p.share for p in ruzhou.parts] == [completion, timeliness, rubric, supervision]
    assert [p.applied for p in ruzhou.parts] == [40, 30, 20, 10]
    assert not ruzhou.respread
    assert ruzhou.parts[3].detail == "督办按期办结 1/2"
    assert ruzhou.parts[2].detail == "评分 80/100"
    assert ruzhou.parts[2].formula == "20 × 80.0% = 16.00 分"


def test_a_rubric_not_yet_final_counts_zero_and_an_empty_component_gives_its_weight_away(
    assessed, jiaxian_head, labour_staff
):
    """郏县 is in the rubric's scope but not yet scored, so the rubric counts 0 rather than
    being left out; it has no 督办单, so that weight goes to the other three, 40 : 30 : 20."""
    approve(
        progress("jiaxian", "2022-06-30"),
        JUNE,
        reporter=reporter_of("jiaxian", username="jiaxian-reporter-test"),
        head=jiaxian_head,
        staff=labour_staff,
        confirm_on=dt.date(2022, 7, 4),
        approve_on=dt.date(2022, 7, 6),
    )
    jiaxian = row_of(assessment_results(plan=assessed, as_of=JULY_10), "jiaxian")

    completion = completion_by_hand(assessed, "jiaxian", JUNE)
    timeliness = timeliness_by_hand(assessed, "jiaxian", JULY_10, on_time=1)
    expected = (40 * completion + 30 * timeliness + 20 * 0) * 100 / 90
    assert jiaxian.score == expected.quantize(CENT, rounding=ROUND_HALF_UP)
    assert jiaxian.respread
    assert [p.component.kind for p in jiaxian.left_out] == ["supervision"]
    assert [p.applied for p in jiaxian.parts[:3]] == [
        D(40) * 100 / 90,
        D(30) * 100 / 90,
        D(20) * 100 / 90,
    ]
    rubric = jiaxian.parts[2]
    assert rubric.pending and rubric.share == 0 and rubric.points == 0
    assert rubric.detail == "评分未定稿（按 0 分计）"
    assert [p.detail for p in jiaxian.left_out] == ["无到期督办单"]


def test_a_unit_outside_the_rubrics_scope_has_its_rubric_weight_respread(assessed):
    """平煤神马集团 (a 直属企业) is not among the units the rubric scores: the rubric is left
    out for it and its weight given to the others, not counted as 0."""
    pingmei = row_of(assessment_results(plan=assessed, as_of=JULY_10), "pingmei")
    rubric = pingmei.parts[2]
    assert rubric.empty and not rubric.pending
    assert rubric.detail == "不在该评分标准的评分范围"
    assert "rubric" in [p.component.kind for p in pingmei.left_out]


def test_a_scored_unit_ranks_above_an_unscored_one_with_the_same_figures(
    assessed, jiaxian_head, labour_staff, rubric_totals
):
    """郏县 and 宝丰县 report the same June figures on time; only 郏县's rubric is final (60 of
    100), so 郏县 ranks higher: not being scored yet is no advantage."""
    for code in ("jiaxian", "baofeng"):
        approve(
            progress(code, "2022-06-30"),
            JUNE,
            reporter=reporter_of(code, username=f"{code}-reporter-test"),
            head=jiaxian_head if code == "jiaxian" else head_of(code, username=f"{code}-head-t"),
            staff=labour_staff,
            confirm_on=dt.date(2022, 7, 4),
            approve_on=dt.date(2022, 7, 6),
        )
    rubric_totals["jiaxian"] = (D(60), D(100))
    found = assessment_results(plan=assessed, as_of=JULY_10)
    jiaxian, baofeng = row_of(found, "jiaxian"), row_of(found, "baofeng")
    assert baofeng.parts[2].pending
    assert [p.share for p in jiaxian.parts[:2]] == [p.share for p in baofeng.parts[:2]]
    assert jiaxian.parts[2].points == (D(20) * 100 / 90 * D("0.6")).quantize(CENT)
    assert baofeng.parts[2].points == 0
    assert jiaxian.rank < baofeng.rank


def test_the_same_date_gives_the_same_result_after_later_approvals(
    assessed, ruzhou_reporter, ruzhou_head, labour_staff
):
    before = row_of(assessment_results(plan=assessed, as_of=JULY_10), "ruzhou")
    approve(
        progress("ruzhou", "2022-07-31"),
        JULY,
        reporter=ruzhou_reporter,
        head=ruzhou_head,
        staff=labour_staff,
        confirm_on=dt.date(2022, 8, 2),
        approve_on=dt.date(2022, 8, 3),
    )
    late = SupervisionNotice.objects.get(unit__code="ruzhou", subject="报送专案3进度")
    with override_settings(UNIONPLAN_TODAY="2022-08-01"):
        late = notice_services.notice_sign(notice=late, actor=ruzhou_head)
        late = notice_services.notice_reply(notice=late, actor=ruzhou_reporter, measures="已报送")
        notice_services.notice_close(notice=late, actor=labour_staff)

    again = row_of(assessment_results(plan=assessed, as_of=JULY_10), "ruzhou")
    assert again.score == before.score
    assert [p.share for p in again.parts] == [p.share for p in before.parts]
    later = row_of(assessment_results(plan=assessed, as_of=dt.date(2022, 8, 10)), "ruzhou")
    assert later.parts[0].share == completion_by_hand(assessed, "ruzhou", JULY)
    # Closed after its due date: still not on time.
    assert later.parts[3].share == D(1) / D(2)


def test_units_are_ranked_within_their_ranking_groups_and_ties_share_a_rank(assessed):
    found = assessment_results(plan=assessed, as_of=JULY_10)
    assert [g.name for g in found.groups] == ["县（市、区）", "产业工会", "直属企业", "其他"][
        : len(found.groups)
    ]
    counties = found.groups[0]
    assert counties.rows[0].unit.code == "ruzhou"
    assert counties.rows[0].group_rank == 1
    # Every other county has nothing approved and nothing on time yet: all tie, second.
    assert {r.group_rank for r in counties.rows[1:]} == {2}
    assert {r.score for r in counties.rows[1:]} == {D("0.00")}
    industry = found.groups[1]
    assert industry.rows
    assert all(r.group == "产业工会" for r in industry.rows)
    assert industry.rows[0].group_rank == 1
    assert assessed.issuer not in [r.unit for r in found.rows]


def test_a_plan_may_rank_every_unit_in_one_list(assessed):
    assessed.assessment = {**WEIGHTS, "groups": "all"}
    found = assessment_results(plan=assessed, as_of=JULY_10)
    [group] = found.groups
    assert group.name == "全部单位"
    assert group.rows[0].unit.code == "ruzhou"


def test_a_plan_without_an_assessment_has_no_results(plan_2022):
    plan_2022.assessment = {}
    found = assessment_results(plan=plan_2022, as_of=JULY_10)
    assert not found.configured
    assert found.rows == []


def test_the_results_take_the_same_queries_for_thirty_more_units(plan_2022):
    plan_2022.assessment = WEIGHTS
    plan_2022.save(update_fields=["assessment"])
    with CaptureQueriesContext(connection) as few:
        assessment_results(plan=plan_2022, as_of=JULY_10)
    more = [
        Unit.objects.create(
            name=f"测试工会{i}", short_name=f"测试{i}", code=f"extra-{i}", kind="other", order=900
        )
        for i in range(30)
    ]
    plan_2022.units.add(*more)
    with CaptureQueriesContext(connection) as many:
        found = assessment_results(plan=plan_2022, as_of=JULY_10)
    assert len(many) == len(few) <= 10
    assert {u.pk for u in more} <= {r.unit.pk for r in found.rows}


def test_a_rubric_result_counts_from_the_day_the_department_approves_it(
    plan_2022, ruzhou_reporter, ruzhou_head, labour_staff, settings
):
    """Through the evaluations app itself: 汝州市's 乡村振兴 self-assessment scored and approved
    on 20 July counts as of that day, not the day before."""
    from evaluations.models import EvaluationResult
    from evaluations.tests.test_evaluations import scored_to_final

    plan_2022.assessment = WEIGHTS
    plan_2022.save(update_fields=["assessment"])
    rubric = Rubric.objects.get(programme__plan=plan_2022, title=RUBRIC)
    settings.UNIONPLAN_TODAY = "2022-07-20"
    scored_to_final(rubric, ruzhou_reporter, ruzhou_head, labour_staff)
    result = EvaluationResult.objects.get(evaluation__unit__code="ruzhou")

    before = row_of(assessment_results(plan=plan_2022, as_of=dt.date(2022, 7, 19)), "ruzhou")
    assert before.parts[2].pending and before.parts[2].share == 0
    on_the_day = row_of(assessment_results(plan=plan_2022, as_of=dt.date(2022, 7, 20)), "ruzhou")
    assert on_the_day.parts[2].share == result.total / result.maximum
    assert not on_the_day.parts[2].pending
    assert on_the_day.parts[2].detail.startswith("评分 ")
