import datetime as dt
import re

import pytest

from demo.reports import demo_reports_create
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from reporting.models import Report

from .conftest import contrast, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_sees_the_overview_and_a_programme_matrix(page, live_server, plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    for code in ("ruzhou", "jiaxian", "baofeng"):
        reporter_of(code, username=f"{code}-r")
        head_of(code, username=f"{code}-h")
    staff_of("劳动和经济工作部", username="labour-b")
    demo_reports_create(plan=plan_2022, today=dt.date(2022, 7, 20))
    assert Report.objects.filter(status="approved").exists()
    UserFactory(username="leader-d")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("leader-d")
    page.get_by_label("密码").fill("Test@pass123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/dashboards/pingdingshan-2022/")
    table = page.locator("#overview-table")
    assert "深化产业工人队伍建设改革行动专案" in table.inner_text()
    page.locator("[data-chart='spark'] svg").first.wait_for()  # ECharts drew the trends
    screenshot(page, "dashboard-overview")
    # Warnings in yellow stay readable on white (WCAG AA: 4.5:1; Bootstrap's plain
    # text-warning gives 1.6:1).
    assert contrast(page.locator("#kpi-behind")) >= 4.5

    page.get_by_role("link", name="报送及时性").click()
    late = page.locator("#timeliness-table tbody td:nth-child(5) span").first
    assert int(late.inner_text()) > 0
    assert contrast(late) >= 4.5
    page.go_back()

    page.get_by_role("link", name="单位矩阵").nth(2).click()
    page.wait_for_url(re.compile(r".*/dashboards/pingdingshan-2022/programmes/3/.*"))
    page.get_by_role("link", name="汝州市").click()
    page.locator("#cell-history table").wait_for()
    assert "2022-05" in page.locator("#cell-history").inner_text()
    screenshot(page, "dashboard-matrix")
