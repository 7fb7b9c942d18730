import pytest

from orgs.tests.factories import staff_of
from reporting.models import CityFigure

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_department_enters_a_city_figure_and_the_overview_judges_it(page, live_server, plan_2022):
    # The real date: a figure counts from the moment it is entered, and the overview reads
    # figures as at today.
    staff_of("权益保障部", username="rights-b")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("rights-b")
    page.get_by_label("密码").fill("Test@pass123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/dashboards/pingdingshan-2022/")
    row = page.locator("#overview-table tr", has_text="慰问职工")
    assert "市总统计 · 录入" in row.inner_text()

    row.get_by_role("link", name="市总统计 · 录入").click()
    page.get_by_label("数据截至").fill("2022-06-30")
    page.get_by_label("累计完成（户）").fill("-20")
    page.get_by_label("来源说明").fill("据帮扶台账统计")
    page.get_by_role("button", name="录入", exact=True).click()
    # Refused beside the field, with everything typed still there.
    assert "不能为负数" in page.locator(".invalid-feedback").first.inner_text()
    assert page.get_by_label("数据截至").input_value() == "2022-06-30"
    assert page.get_by_label("来源说明").input_value() == "据帮扶台账统计"
    assert page.get_by_label("累计完成（户）").input_value() == "-20"

    page.get_by_label("累计完成（户）").fill("2100")
    page.get_by_role("button", name="录入", exact=True).click()
    page.get_by_text("已录入").wait_for()
    assert "据帮扶台账统计" in page.locator("#city-figure-history").inner_text()
    screenshot(page, "city-figure-history")
    assert CityFigure.objects.get().value == 2100

    page.get_by_role("link", name="进度看板").click()
    row = page.locator("#overview-table tr", has_text="慰问职工")
    assert "2,100" in row.inner_text() and "35.0%" in row.inner_text()
    screenshot(page, "city-figure-overview")
