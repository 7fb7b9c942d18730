"""Department staff edit a running plan in the browser, on a desktop and on a phone: an
indicator's target typed as the notice prints it, and a step's date; the programme page then
says how the units' obligations followed."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from orgs.tests.factories import staff_of
from plans.models import Indicator, Milestone

from .conftest import screenshot
from .test_table_import_phone import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_staff_change_a_target_and_a_steps_date(browser, live_server, plan_2022, width):
    staff = staff_of("劳动和经济工作部", username=f"edit-staff-{width}")
    context = signed_in(browser, live_server, staff, width)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/programmes/3/")
    page.get_by_role("link", name="修改指标「职业技能培训」").click()
    page.get_by_label("目标").fill("9,000人以上")
    page.get_by_label("比较方式").select_option("about")
    screenshot(page, f"plan-edit-indicator-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="保存").click()
    # Refused, with what was typed kept and the reason beside the comparator.
    expect(page.get_by_text("（左右 ≠ 以上）")).to_be_visible()
    expect(page.get_by_label("目标")).to_have_value("9,000人以上")
    page.get_by_label("比较方式").select_option("")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已修改指标「职业技能培训」")).to_be_visible()
    expect(page.locator("#indicator-P03-training")).to_contain_text("9,000 人以上")
    training = Indicator.objects.get(plan=plan_2022, code="P03-training")
    assert (training.target, training.comparator) == (9000, "gte")

    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/programmes/2/")
    page.locator("#step-0").get_by_role("link", name="修改").click()
    page.get_by_label("截止 / 结束日期").fill("2022-05-31")
    screenshot(page, f"plan-edit-step-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("各单位的报送任务已随之更新：新增")).to_be_visible()
    expect(page.locator("#step-0")).to_contain_text("2022年5月31日前")
    screenshot(page, f"plan-edit-done-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    step = Milestone.objects.get(programme__plan=plan_2022, programme__number=2, order=0)
    assert step.end_date == dt.date(2022, 5, 31)
    context.close()


def test_staff_change_a_table_cell_on_a_phone(browser, live_server, plan_2022):
    staff = staff_of("劳动和经济工作部", username="grid-staff")
    context = signed_in(browser, live_server, staff, 390)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/programmes/3/")
    page.locator("#edit-T02").click()
    page.locator("#cell-0-0").fill("12")
    page.locator("#total-0").fill("127")
    page.get_by_role("button", name="预览修改").click()
    expect(page.locator("#grid-preview")).to_contain_text("有 1 个数值有变化")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "plan-edit-table-390")
    page.get_by_role("button", name="确认保存").click()
    expect(page.get_by_text("已保存「深化产业工人队伍建设改革行动任务分解表」")).to_be_visible()
    context.close()
