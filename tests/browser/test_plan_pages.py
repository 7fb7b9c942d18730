import pytest

from orgs.tests.factories import UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, password="Test@pass123"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_leader_logs_in_and_opens_the_overview_and_a_programme(page, live_server, plan_2022):
    UserFactory(username="leader-b")
    login(page, live_server, "leader-b")

    page.wait_for_url(f"{live_server.url}/dashboards/pingdingshan-2022/")
    page.goto(f"{live_server.url}/plans/pingdingshan-2022/")
    assert page.locator("h2", has_text="五大行动").is_visible()
    assert page.locator("h2", has_text="十件实事").is_visible()
    assert page.locator("a[href*='/programmes/']").count() == 14
    screenshot(page, "overview")

    page.get_by_role("link", name="13. 万场文化活动进基层专案").click()
    page.wait_for_url("**/programmes/13/")
    table = page.locator("table[id^='table-']").first
    assert "合计（印发）" in table.inner_text()
    assert page.locator("td.mismatch").count() == 1
    assert page.locator("svg.up-timeline rect").count() > 0
    screenshot(page, "programme-13")


def test_a_wrong_password_shows_a_chinese_message(page, live_server, plan_2022):
    UserFactory(username="leader-c")
    login(page, live_server, "leader-c", password="wrong-password")
    assert page.get_by_text("用户名或密码不正确").is_visible()


def test_a_unit_reporter_on_a_phone_reads_each_step_as_a_card_with_every_field_in_view(
    browser, live_server, plan_2022
):
    from orgs.models import Unit, User

    ruzhou = Unit.objects.get(code="ruzhou")
    UserFactory(username="ruzhou-phone", role=User.Role.UNIT_REPORTER, unit=ruzhou)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, "ruzhou-phone")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/plans/pingdingshan-2022/units/ruzhou/")
        steps = page.locator("table.up-rows").nth(1)
        first = steps.locator("tbody tr").first
        for label in ("时间", "专案", "事项", "报送材料"):
            cell = first.locator(f"td[data-label='{label}']")
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
        # The column's name is read beside its value, since the header row is hidden.
        assert not steps.locator("thead").is_visible()
        screenshot(page, "unit-checklist-phone")
    finally:
        context.close()
