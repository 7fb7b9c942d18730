"""README's "new plan" walkthrough: a notice uploaded, reviewed beside its text with a few
corrections, generated as a draft plan and published."""

from pathlib import Path

import pytest

from orgs.tests.factories import staff_of
from plans.models import Plan
from reporting.models import Obligation

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTICE = Path(__file__).resolve().parents[2] / "drafting/tests/notices/pingdingshan-2023-short.txt"


def test_staff_turn_a_notice_into_a_published_plan(browser, live_server, plan_2022):
    staff_of("权益保障部", username="rights-draft")
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        _walk(context.new_page(), live_server)
    finally:
        context.close()


def _walk(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("rights-draft")
    page.get_by_label("密码").fill("Test@pass123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/dashboards/**")

    # 1. Upload the notice.
    page.goto(f"{live_server.url}/drafting/")
    page.set_input_files("input[name=file]", str(NOTICE))
    page.get_by_role("button", name="识别并起草").click()
    page.wait_for_url("**/drafting/*/")
    assert page.locator("#notice mark").count() >= 3  # the drafted items in the notice's text
    screenshot(page, "drafting-review-1440")

    # 2. The plan's name, which the notice does not print on a line of its own.
    page.locator("summary", has_text="方案信息").click()
    page.get_by_label("方案名称").fill("平顶山市总工会2023年送温暖专案")
    page.get_by_role("button", name="保存方案信息").click()
    page.wait_for_url("**/drafting/*/")

    # 3. A correction in the notice's words: the funds are 650万元, not 600.
    page.locator("[data-edit='P01-1']").click()
    page.get_by_label("目标").fill("六百五十万")
    page.get_by_role("button", name="保存并确认").click()
    assert "不是数字" in page.locator(".invalid-feedback").first.inner_text()
    assert page.get_by_label("目标").input_value() == "六百五十万"
    page.get_by_label("目标").fill("650万元")
    page.get_by_role("button", name="保存并确认").click()
    page.wait_for_url("**/drafting/*/#item-P01-1")

    # 4. A row that names no unit of the federation, and the 适时 step given a date.
    page.locator("[data-row^='T01a']", has_text="选择单位").click()
    page.get_by_label("对应单位").select_option(label="不是单位（保留为标签行）")
    page.get_by_role("button", name="保存").click()
    undated = page.locator("li", has_text="适时").locator("[data-edit]")
    undated.click()
    page.get_by_label("时间类型").select_option(label="期间（……至……）")
    page.get_by_label("开始日期").fill("2023-06-01")
    page.get_by_label("截止 / 结束日期").fill("2023-06-30")
    page.get_by_role("button", name="保存并确认").click()
    page.wait_for_url("**/drafting/*/#item-*")

    # 5. Everything else accepted as drafted.
    while page.locator("[data-accept]").count():
        button = page.locator("[data-accept]").first
        key = button.get_attribute("data-accept")
        button.click()
        page.locator(f"#item-{key} [data-state='accepted']").first.wait_for()
    assert "检查通过" in page.locator("#checks").inner_text()
    screenshot(page, "drafting-reviewed-1440")

    # 6. Generate the plan (a draft: units see nothing yet), then publish it.
    page.get_by_role("button", name="生成方案（草稿）").click()
    page.wait_for_url("**/plans/pds-2023/")
    assert page.get_by_text("草稿：各单位尚看不到").is_visible()
    page.get_by_role("link", name="发布方案…").click()
    page.get_by_role("button", name="确认发布并生成报送任务").click()
    page.get_by_text("方案已发布").wait_for()
    plan = Plan.objects.get(slug="pds-2023")
    assert plan.status == Plan.Status.PUBLISHED
    assert plan.indicators.get(target=6_500_000).measure == "元"
    assert Obligation.objects.filter(plan=plan, unit__code="ruzhou").exists()
    screenshot(page, "drafting-published-1440")


def test_the_review_page_fits_a_phone(browser, live_server, plan_2022, labour_staff):
    from drafting.notice import read_text
    from drafting.services import draft_create

    draft = draft_create(actor=labour_staff, notice=read_text(NOTICE.read_text()), name="通知.txt")
    staff_of("权益保障部", username="rights-phone")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill("rights-phone")
        page.get_by_label("密码").fill("Test@pass123")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/dashboards/**")
        page.goto(f"{live_server.url}/drafting/{draft.pk}/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        assert page.locator("[data-accept]").first.is_visible()
        screenshot(page, "drafting-review-390")
    finally:
        context.close()
