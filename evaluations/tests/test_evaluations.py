import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from common import clock
from common.errors import ServiceError
from evaluations import selectors, services
from evaluations.models import Evaluation
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of
from plans.models import Criterion, Indicator, Rubric
from plans.planfile.spec import read_plan_bytes
from plans.services import plan_load
from reporting.models import OfficialValue
from reporting.selectors import official_figures_as_of

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "data" / "pingdingshan-2022.yaml"

SLUG = "pingdingshan-2022"


@pytest.fixture
def today(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    return dt.date(2022, 7, 20)


@pytest.fixture
def rubric(plan_2022):
    return Rubric.objects.get(programme__plan=plan_2022, programme__number=2)


def item(rubric, code) -> Criterion:
    return Criterion.objects.get(rubric=rubric, code=code)


def typed_values(rubric, unit, points=Decimal(1)):
    """Every item typed for `unit` at `points` (auto items excluded by the service)."""
    return {
        c.pk: (min(points, c.points), "已落实")
        for c in Criterion.objects.filter(rubric=rubric)
        if selectors.is_typed(c, list(Criterion.objects.filter(rubric=rubric)))
    }


def figure(unit_code, code, value, approved_on):
    OfficialValue.objects.create(
        unit=Unit.objects.get(code=unit_code),
        indicator=Indicator.objects.get(code=code, plan__slug=SLUG),
        period_end=approved_on,
        value=Decimal(value),
        approved_at=clock.start_of(approved_on) + dt.timedelta(hours=10),
    )


def scored_to_final(rubric, reporter, head, staff, points=Decimal(2)):
    unit = reporter.unit
    evaluation = services.evaluation_self_save(
        rubric=rubric, unit=unit, actor=reporter, values=typed_values(rubric, unit)
    )
    services.evaluation_move(evaluation=evaluation, action="submit", actor=reporter)
    services.evaluation_move(evaluation=evaluation, action="confirm", actor=head)
    services.evaluation_score(
        evaluation=evaluation, actor=staff, values=typed_values(rubric, unit, points)
    )
    return services.evaluation_move(evaluation=evaluation, action="approve", actor=staff)


def test_the_2022_rubric_scores_the_counties_and_industry_unions_with_three_items_tied_to_figures(
    rubric,
):
    assert rubric.evaluated
    tied = {c.code: c.auto["indicator"] for c in rubric.criteria.all() if c.auto}
    assert tied == {"4.1": "P02-bases", "5.1": "P02-models", "5.2": "P02-collectives"}


def test_a_self_assessment_confirmed_scored_and_approved_becomes_the_final_total(
    rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    evaluation = scored_to_final(rubric, ruzhou_reporter, ruzhou_head, labour_staff)
    assert evaluation.status == "approved"
    filled = selectors.evaluation_sheet(rubric=rubric, unit=evaluation.unit, evaluation=evaluation)
    # 24 typed items at 2 points each (the 2-point items at their maximum), the three auto
    # items at 0: 汝州市 has no approved figures yet.
    typed = [x for x in filled.lines if x.typed]
    assert filled.total == sum(min(Decimal(2), x.criterion.points) for x in typed) - sum(
        min(Decimal(2), x.criterion.points) for x in typed if x.criterion.auto
    )
    finals = selectors.final_totals(rubric.programme.plan, as_of=today)
    assert finals[str(rubric.pk)][evaluation.unit_id] == (filled.total, Decimal(100))
    assert selectors.final_totals(rubric.programme.plan, as_of=today - dt.timedelta(days=1)) == {}
    scored = AuditEntry.objects.filter(event="evaluations.evaluation.scored").get()
    assert scored.before["1.1"] == {"points": None, "text": ""}
    assert scored.after["1.1"] == {"points": "2", "text": "已落实"}


def test_a_reopened_evaluation_leaves_the_final_totals_from_the_day_it_was_reopened(
    rubric, ruzhou_reporter, ruzhou_head, labour_staff, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    evaluation = scored_to_final(rubric, ruzhou_reporter, ruzhou_head, labour_staff)
    settings.UNIONPLAN_TODAY = "2022-08-01"
    services.evaluation_move(
        evaluation=evaluation, action="reopen", actor=labour_staff, reason="佐证不全"
    )
    plan = rubric.programme.plan
    assert selectors.final_totals(plan, as_of=dt.date(2022, 7, 31))[str(rubric.pk)]
    assert selectors.final_totals(plan, as_of=dt.date(2022, 8, 1)) == {}
    assert selectors.final_totals(plan, as_of=dt.date(2022, 7, 19)) == {}


def test_approving_with_an_item_not_scored_is_refused(
    rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    unit = ruzhou_reporter.unit
    evaluation = services.evaluation_self_save(
        rubric=rubric, unit=unit, actor=ruzhou_reporter, values=typed_values(rubric, unit)
    )
    services.evaluation_move(evaluation=evaluation, action="submit", actor=ruzhou_reporter)
    services.evaluation_move(evaluation=evaluation, action="confirm", actor=ruzhou_head)
    with pytest.raises(services.EvaluationRefused, match="未评分"):
        services.evaluation_move(evaluation=evaluation, action="approve", actor=labour_staff)


def test_a_point_above_the_items_maximum_is_refused_in_chinese_and_the_typed_values_stay(
    client, rubric, ruzhou_reporter, today
):
    client.force_login(ruzhou_reporter)
    first, second = item(rubric, "1.1"), item(rubric, "1.2")
    url = reverse("evaluations:self", kwargs={"slug": SLUG, "rubric": rubric.pk})
    response = client.post(
        url, {f"p_{first.pk}": "5", f"n_{first.pk}": "一把手亲自抓", f"p_{second.pk}": "2.5"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "「1.1」最高 3 分。" in page
    assert 'value="5"' in page and "一把手亲自抓" in page and 'value="2.5"' in page
    assert not Evaluation.objects.filter(rubric=rubric, unit=ruzhou_reporter.unit).exists()


def test_the_service_refuses_a_point_above_the_maximum_too(rubric, ruzhou_reporter, today):
    with pytest.raises(services.EvaluationRefused, match="最高 3 分"):
        services.evaluation_self_save(
            rubric=rubric,
            unit=ruzhou_reporter.unit,
            actor=ruzhou_reporter,
            values={item(rubric, "1.1").pk: (Decimal(4), "")},
        )


def test_an_auto_item_scores_the_completion_of_the_units_figure_as_of_each_date(rubric, today):
    # 汝州市 is allotted 3 bases (P02-bases): 1 official in May, 3 from July.
    figure("ruzhou", "P02-bases", 1, dt.date(2022, 5, 31))
    figure("ruzhou", "P02-bases", 3, dt.date(2022, 7, 10))
    unit = Unit.objects.get(code="ruzhou")
    bases = item(rubric, "4.1")
    june = selectors.auto_points(
        plan=rubric.programme.plan,
        criteria=[bases],
        unit_ids={unit.pk},
        as_of=dt.date(2022, 6, 30),
    )
    july = selectors.auto_points(
        plan=rubric.programme.plan,
        criteria=[bases],
        unit_ids={unit.pk},
        as_of=dt.date(2022, 7, 20),
    )
    assert june[(unit.pk, bases.pk)].points == Decimal("2.00")  # 6 × 1/3
    assert july[(unit.pk, bases.pk)].points == Decimal("6.00")
    assert "完成 3 / 分配 3" in july[(unit.pk, bases.pk)].basis


def test_an_auto_item_cannot_be_typed(client, rubric, ruzhou_reporter, today):
    client.force_login(ruzhou_reporter)
    bases = item(rubric, "4.1")
    url = reverse("evaluations:self", kwargs={"slug": SLUG, "rubric": rubric.pk})
    page = client.get(url).content.decode()
    assert f'name="p_{bases.pk}"' not in page
    assert "按完成率自动计分" in page
    client.post(url, {f"p_{bases.pk}": "6", f"p_{item(rubric, '1.1').pk}": "3"})
    score = Evaluation.objects.get(unit=ruzhou_reporter.unit).scores.get()
    assert score.criterion.code == "1.1"


def test_results_rank_units_within_the_plans_groups(
    client, rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    scored_to_final(rubric, ruzhou_reporter, ruzhou_head, labour_staff, points=Decimal(2))
    scored_to_final(
        rubric,
        reporter_of("jiaxian", username="jx-r"),
        head_of("jiaxian", username="jx-h"),
        labour_staff,
        points=Decimal(3),
    )
    scored_to_final(
        rubric,
        reporter_of("gongjiao", username="gj-r"),
        head_of("gongjiao", username="gj-h"),
        labour_staff,
        points=Decimal(1),
    )
    results = selectors.evaluation_results(plan=rubric.programme.plan, rubric=rubric, as_of=today)
    groups = dict(results.groups)
    county = [(r.unit.code, r.rank) for r in groups["县（市、区）"] if r.rank]
    assert county == [("jiaxian", 1), ("ruzhou", 2)]
    industry = [(r.unit.code, r.rank) for r in groups["产业工会"] if r.rank]
    assert industry == [("gongjiao", 1)]
    client.force_login(labour_staff)
    url = reverse("evaluations:results_export", kwargs={"slug": SLUG, "rubric": rubric.pk})
    response = client.get(url, {"as_of": "2022-07-20"})
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True) if row[2] == "郏县"]
    assert values[0][1] == 1


def test_a_unit_cannot_open_another_units_evaluation(
    client, rubric, ruzhou_reporter, jiaxian_reporter, today
):
    evaluation = services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values={item(rubric, "1.1").pk: (Decimal(3), "")},
    )
    client.force_login(jiaxian_reporter)
    url = reverse("evaluations:evaluation", kwargs={"pk": evaluation.pk})
    assert client.get(url).status_code == 404
    submit = reverse("evaluations:submit", kwargs={"pk": evaluation.pk})
    assert client.post(submit).status_code == 404


def test_results_are_read_with_the_same_queries_for_few_and_many_evaluations(
    rubric, labour_staff, today, django_assert_max_num_queries
):
    plan = rubric.programme.plan
    units = selectors.evaluated_units(plan=plan, rubric=rubric)
    for unit in units[:2]:
        services.evaluation_self_save(
            rubric=rubric,
            unit=unit,
            actor=reporter_of(unit.code, username=f"a-{unit.code}"),
            values=typed_values(rubric, unit),
        )
    with django_assert_max_num_queries(10):
        selectors.evaluation_results(plan=plan, rubric=rubric, as_of=today)
    for unit in units[2:]:
        services.evaluation_self_save(
            rubric=rubric,
            unit=unit,
            actor=reporter_of(unit.code, username=f"a-{unit.code}"),
            values=typed_values(rubric, unit),
        )
    assert len(units) > 10
    with django_assert_max_num_queries(10):
        selectors.evaluation_results(plan=plan, rubric=rubric, as_of=today)
    with django_assert_max_num_queries(1):
        selectors.final_totals(plan, as_of=today)


def test_reportings_as_of_reader_agrees_with_the_dashboards_official_figures(plan_2022, today):
    from dashboards.selectors.official import official_values

    figure("ruzhou", "P02-bases", 1, dt.date(2022, 5, 31))
    figure("ruzhou", "P02-bases", 2, dt.date(2022, 7, 10))
    figure("jiaxian", "P02-models", 40, dt.date(2022, 6, 30))
    ids = set(Indicator.objects.filter(plan=plan_2022).values_list("pk", flat=True))
    units = set(Unit.objects.values_list("pk", flat=True))
    for day in (dt.date(2022, 6, 1), dt.date(2022, 7, 20)):
        found = official_figures_as_of(indicator_ids=ids, unit_ids=units, as_of=day)
        assert found == official_values(plan_2022, day)


def test_a_plan_file_tying_an_item_to_another_programmes_indicator_is_refused(db):
    from plans.planfile.spec import PlanFileInvalid, read_plan_bytes

    text = PLAN_FILE.read_text(encoding="utf-8").replace(
        "auto: {indicator: P02-bases", "auto: {indicator: P03-studios", 1
    )
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_bytes(text.encode("utf-8"))
    assert any("不是本专案的指标" in p for p in refused.value.problems)


def test_typing_a_new_value_then_pressing_save_and_submit_submits_the_new_value(
    client, rubric, ruzhou_reporter, today
):
    first = item(rubric, "1.1")
    services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values={first.pk: (Decimal(1), "初稿")},
    )
    client.force_login(ruzhou_reporter)
    url = reverse("evaluations:self", kwargs={"slug": SLUG, "rubric": rubric.pk})
    page = client.get(url).content.decode()
    assert "保存并提交" in page and "提交单位负责人确认</button>" not in page
    response = client.post(
        url, {f"p_{first.pk}": "2.75", f"n_{first.pk}": "已召开专题会议", "action": "submit"}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(rubric=rubric, unit=ruzhou_reporter.unit)
    assert evaluation.status == "submitted"
    score = evaluation.scores.get(criterion=first)
    assert (score.self_points, score.self_note) == (Decimal("2.75"), "已召开专题会议")


def test_save_and_submit_with_a_refused_value_keeps_the_typed_input_and_submits_nothing(
    client, rubric, ruzhou_reporter, today
):
    first, second = item(rubric, "1.1"), item(rubric, "1.2")
    client.force_login(ruzhou_reporter)
    url = reverse("evaluations:self", kwargs={"slug": SLUG, "rubric": rubric.pk})
    response = client.post(
        url,
        {
            f"p_{first.pk}": "9",
            f"n_{first.pk}": "一把手亲自抓",
            f"p_{second.pk}": "1.5",
            "action": "submit",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "「1.1」最高 3 分。" in page
    assert 'value="9"' in page and "一把手亲自抓" in page and 'value="1.5"' in page
    assert not Evaluation.objects.filter(rubric=rubric, unit=ruzhou_reporter.unit).exists()


def test_a_submit_the_service_refuses_saves_nothing_either(
    rubric, ruzhou_reporter, today, monkeypatch
):
    first = item(rubric, "1.1")
    evaluation = services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values={first.pk: (Decimal(1), "")},
    )

    def refused(**kwargs):
        raise services.EvaluationRefused("只有草稿或已退回的评分自评可以提交。")

    monkeypatch.setattr(services, "evaluation_move", refused)
    with pytest.raises(services.EvaluationRefused):
        services.evaluation_self_save(
            rubric=rubric,
            unit=ruzhou_reporter.unit,
            actor=ruzhou_reporter,
            values={first.pk: (Decimal(2), "改过")},
            submit=True,
        )
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"
    assert evaluation.scores.get(criterion=first).self_points == Decimal(1)
    assert AuditEntry.objects.filter(event="evaluations.evaluation.self_saved").count() == 1


def test_the_unit_head_is_told_the_self_assessment_was_submitted_not_the_rubric(
    rubric, ruzhou_reporter, ruzhou_head, today
):
    from reporting.models import Notification

    services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values={item(rubric, "1.1").pk: (Decimal(1), "")},
        submit=True,
    )
    message = Notification.objects.get(user=ruzhou_head).message
    assert message.startswith(f"汝州市：{rubric.title}自评已提交")


def test_the_department_total_shows_only_once_the_department_has_scored(
    client, rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    plan = rubric.programme.plan
    figure("ruzhou", "P02-bases", "1", dt.date(2022, 7, 1))
    evaluation = services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values=typed_values(rubric, ruzhou_reporter.unit),
        submit=True,
    )
    services.evaluation_move(evaluation=evaluation, action="confirm", actor=ruzhou_head)

    def ruzhou_row():
        found = selectors.evaluation_results(plan=plan, rubric=rubric, as_of=today)
        return next(r for r in found.rows if r.unit.code == "ruzhou")

    assert ruzhou_row().total is None  # only the auto items would count: not a score yet
    client.force_login(labour_staff)
    url = reverse("evaluations:list", kwargs={"slug": SLUG, "rubric": rubric.pk})
    assert '<td data-label="部门评分">—</td>' in client.get(url).content.decode()
    services.evaluation_score(
        evaluation=evaluation, actor=labour_staff, values={item(rubric, "1.1").pk: (Decimal(3), "")}
    )
    assert ruzhou_row().total > Decimal(3)  # 1.1 and the auto items


def test_results_as_at_a_past_date_call_the_state_the_current_one(
    client, rubric, labour_staff, today
):
    client.force_login(labour_staff)
    url = reverse("evaluations:results", kwargs={"slug": SLUG, "rubric": rubric.pk})
    assert "<th>当前状态</th>" not in client.get(url).content.decode()
    page = client.get(url, {"as_of": "2022-06-30"}).content.decode()
    assert "<th>当前状态</th>" in page
    export = reverse("evaluations:results_export", kwargs={"slug": SLUG, "rubric": rubric.pk})
    sheet = load_workbook(
        filename=io.BytesIO(client.get(export, {"as_of": "2022-06-30"}).content)
    ).active
    assert "当前状态" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def confirmed(rubric, reporter, head):
    unit = reporter.unit
    evaluation = services.evaluation_self_save(
        rubric=rubric, unit=unit, actor=reporter, values=typed_values(rubric, unit), submit=True
    )
    return services.evaluation_move(evaluation=evaluation, action="confirm", actor=head)


def department_points(rubric, points: str) -> dict[str, str]:
    """The scoring form as the department fills it: every typed item at `points`."""
    data = {"action": "approve"}
    for criterion_pk in typed_values(rubric, Unit.objects.get(code="ruzhou")):
        data[f"p_{criterion_pk}"] = points
        data[f"n_{criterion_pk}"] = "材料齐全"
    return data


def test_scores_typed_then_saved_and_approved_in_one_press_become_the_final_total(
    client, rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    evaluation = confirmed(rubric, ruzhou_reporter, ruzhou_head)
    client.force_login(labour_staff)
    url = reverse("evaluations:evaluation", kwargs={"pk": evaluation.pk})
    page = client.get(url).content.decode()
    # 审核通过 is part of the scoring form, not a form of its own that would drop the points.
    assert "保存评分并审核通过" in page and ">审核通过</button>" not in page
    response = client.post(url, {**department_points(rubric, "1"), "version": evaluation.version})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "approved"
    assert evaluation.scores.get(criterion=item(rubric, "1.1")).points == Decimal(1)
    finals = selectors.final_totals(rubric.programme.plan, as_of=today)
    # Each item the department types at 1 point; the auto items at 0 (no figures yet).
    typed = Criterion.objects.filter(pk__in=typed_values(rubric, ruzhou_reporter.unit))
    assert finals[str(rubric.pk)][evaluation.unit_id][0] == typed.filter(auto__isnull=True).count()


def test_save_and_approve_with_an_item_left_unscored_keeps_the_typed_points_and_saves_nothing(
    client, rubric, ruzhou_reporter, ruzhou_head, labour_staff, today
):
    evaluation = confirmed(rubric, ruzhou_reporter, ruzhou_head)
    client.force_login(labour_staff)
    data = department_points(rubric, "1.5")
    data[f"p_{item(rubric, '1.2').pk}"] = ""  # one item not scored
    data["version"] = evaluation.version
    response = client.post(reverse("evaluations:evaluation", kwargs={"pk": evaluation.pk}), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert services.UNSCORED.format(n=1) in page  # the refusal, not the help line
    assert 'value="1.5"' in page and "材料齐全" in page
    evaluation.refresh_from_db()
    assert evaluation.status == "confirmed"
    assert evaluation.scores.get(criterion=item(rubric, "1.1")).points is None
    assert not AuditEntry.objects.filter(event="evaluations.evaluation.scored").exists()


def test_a_plan_file_that_drops_a_scored_item_is_refused_and_the_scores_stay(
    rubric, ruzhou_reporter, today
):
    last = item(rubric, "1.4")
    services.evaluation_self_save(
        rubric=rubric,
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        values={last.pk: (Decimal(2), "每月报送")},
    )
    text = PLAN_FILE.read_text(encoding="utf-8")
    # Two items dropped, the first last of section 1 and scored, the other last of section 2
    # and never scored: the refusal names the scored one only.
    scored = "              - {title: 及时向市总报送工作进展情况, points: 2}\n"
    unscored = "              - {title: 下发专门文件进行安排, points: 4}\n"
    assert scored in text and unscored in text
    dropped = text.replace(scored, "").replace(unscored, "")
    with pytest.raises(ServiceError) as refused:
        plan_load(spec=read_plan_bytes(dropped.encode()))
    assert refused.value.message == (
        "不能删去评分项目「1.4 及时向市总报送工作进展情况」：已有评分自评的逐项评分引用它。"
        "请在文件中保留后再导入。"
    )
    score = Evaluation.objects.get(unit=ruzhou_reporter.unit).scores.get(criterion=last)
    assert score.self_points == Decimal(2) and score.self_note == "每月报送"
