"""A unit reporter fills the 评分自评 on a phone: each item is a card whose inputs show a
whole value and a sentence of note, and 保存并提交 submits what was just typed."""

import pytest

from evaluations.models import Evaluation
from orgs.tests.factories import reporter_of
from plans.models import Criterion, Rubric

from .conftest import screenshot
from .test_reporting_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "pingdingshan-2022"
PHONE_WIDTH = 390


def test_a_reporter_types_an_item_on_a_phone_and_saves_and_submits_it(
    browser, live_server, plan_2022, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    reporter = reporter_of("ruzhou", username="rz-eval")
    rubric = Rubric.objects.get(programme__plan=plan_2022, programme__number=2)
    first = Criterion.objects.get(rubric=rubric, code="1.1")
    page = login(browser, live_server, "rz-eval", phone=True)
    try:
        page.goto(f"{live_server.url}/evaluations/{SLUG}/rubrics/{rubric.pk}/self/")
        points, note = page.locator(f"#id_p_{first.pk}"), page.locator(f"#id_n_{first.pk}")
        points.fill("2.75")
        note.fill("已召开专题会议部署劳模出彩行动")
        # Each input takes most of the phone's width; the page does not scroll sideways.
        assert points.bounding_box()["width"] > PHONE_WIDTH / 2
        assert note.bounding_box()["width"] > PHONE_WIDTH / 2
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        screenshot(page, "evaluations-self-phone")
        page.get_by_role("button", name="保存并提交").click()
        page.wait_for_load_state()
        assert "待单位负责人确认" in page.locator("#state").inner_text()
    finally:
        page.context.close()
    evaluation = Evaluation.objects.get(rubric=rubric, unit=reporter.unit)
    score = evaluation.scores.get(criterion=first)
    assert (str(score.self_points), score.self_note) == ("2.75", "已召开专题会议部署劳模出彩行动")
