"""A reporter on a phone (390 px) never loses a typed figure on the report page: wrong figures
come back marked beside their fields, a submission without saving first comes back with the
missing ones marked, and an upload keeps (and saves) the figures typed beside it."""

import pytest

from orgs.tests.factories import reporter_of
from reporting.models import Obligation, Report

from .conftest import screenshot
from .test_reporting_flow import JPG, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


def figures(page):
    return page.locator("input[name^='value_']")


def typed(page) -> list[str]:
    inputs = figures(page)
    return [inputs.nth(i).input_value() for i in range(inputs.count())]


def type_in(page, values):
    inputs = figures(page)
    for i, value in enumerate(values):
        inputs.nth(i).fill(value)


def marked(page) -> list[bool]:
    inputs = figures(page)
    return [
        "is-invalid" in (inputs.nth(i).get_attribute("class") or "").split()
        for i in range(inputs.count())
    ]


def test_a_reporter_on_a_phone_keeps_every_typed_figure_through_refusals_and_an_upload(
    browser, live_server, plan_2022, settings, tmp_path
):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    reporter_of("ruzhou", username="rz-typist")
    obligation = Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(JPG)
    page = login(browser, live_server, "rz-typist", phone=True)
    try:
        page.goto(f"{live_server.url}/reporting/obligations/{obligation.pk}/")
        assert page.locator("#report-status").inner_text() == "未填报"

        # 60.5 people, -1 and 两个: each refused beside its own field, nothing saved.
        wrong = ["60.5", "-1", "两个", "120", "40"]
        type_in(page, wrong)
        page.get_by_role("button", name="保存草稿").click()
        page.locator("#form-errors").wait_for()
        assert typed(page) == wrong
        assert marked(page) == [True, True, True, False, False]
        feedback = page.locator(".invalid-feedback:visible")
        assert feedback.count() == 3
        assert "应填写整数" in feedback.nth(0).inner_text()
        assert "不能为负数" in feedback.nth(1).inner_text()
        assert page.locator("#report-status").inner_text() == "未填报"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        screenshot(page, "phone-report-wrong-figures")

        # Corrected, two left empty, submitted without saving first.
        partial = ["4", "1", "30", "", ""]
        type_in(page, partial)
        page.get_by_role("button", name="提交单位负责人确认").click()
        page.get_by_text("以下指标尚未填写").wait_for()
        assert typed(page) == partial
        assert marked(page) == [False, False, False, True, True]
        assert page.locator("#report-status").inner_text() == "未填报"

        # Filled in, then a photo attached: the photo is kept and so is every figure.
        complete = ["4", "1", "30", "120", "40"]
        type_in(page, complete)
        page.set_input_files("input[type=file]", str(photo))
        page.get_by_role("button", name="上传").click()
        page.get_by_text("已上传 1 个文件").wait_for()
        assert typed(page) == complete
        assert page.get_by_role("link", name="签到表.jpg").count() == 1
        assert page.locator("#report-status").inner_text() == "草稿"
        screenshot(page, "phone-report-after-upload")
        assert Report.objects.get(obligation=obligation).status == Report.Status.DRAFT
    finally:
        page.context.close()
