"""本部门工作节点 on a phone and a desktop: a department marks its step done with a file, a
refusal keeps what was typed, and neither page is wider than the window."""

import pytest
from django.test import Client

from orgs.tests.factories import staff_of
from orgs.tests.personas import force_login_verified
from reporting.tests.files import JPG
from supervision.models import StepCompletion

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "pingdingshan-2022"


def signed_in(browser, live_server, user, width: int):
    client = Client()
    force_login_verified(client, user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return context


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [390, 1440])
def test_a_department_marks_its_step_done_on_a_phone_and_a_desktop(
    browser, live_server, plan_2022, settings, tmp_path, width
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    staff = staff_of("劳动和经济工作部", username=f"labour-{width}")
    context = signed_in(browser, live_server, staff, width)
    page = context.new_page()
    page.goto(f"{live_server.url}/supervision/{SLUG}/steps/?state=overdue")
    assert "本部门工作节点" in page.locator("h1").inner_text() and fits(page)
    screenshot(page, f"federation-steps-{width}")
    page.locator("#step-table a", has_text="专案1 · 安排部署").click()
    page.get_by_label("完成日期").fill("2022-04-25")
    page.get_by_label("完成情况").fill("联合市发展改革委印发竞赛通知")
    page.get_by_role("button", name="标记完成").click()
    # Nothing delivered: refused beside the file, everything typed kept.
    assert "至少一项" in page.locator("#file-error").inner_text()
    assert page.get_by_label("完成情况").input_value() == "联合市发展改革委印发竞赛通知"
    assert fits(page)
    notice = tmp_path / "竞赛通知.jpg"
    notice.write_bytes(JPG)
    page.locator("#file").set_input_files(str(notice))
    page.get_by_role("button", name="标记完成").click()
    page.get_by_text("已标记").wait_for()
    assert "已完成（4月25日）" in page.locator("#occurrence-table").inner_text()
    screenshot(page, f"federation-step-{width}")
    assert fits(page)
    assert StepCompletion.objects.get().evidence.get().original_name == "竞赛通知.jpg"
    context.close()
