"""Department staff add units to a plan from an Excel list on a phone: the preview says what
happens to each unit, then they confirm."""

import pytest
from playwright.sync_api import expect

from orgs.tests.factories import staff_of
from plans.tests.imports.sheets import xlsx

from .conftest import screenshot
from .test_table_import_phone import PHONE_WIDTH, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_import_a_unit_list_on_a_phone(browser, live_server, plan_2022):
    staff = staff_of("劳动和经济工作部", username="phone-units")
    context = signed_in(browser, live_server, staff, PHONE_WIDTH)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/units/")
    page.get_by_role("link", name="从 Excel 导入单位").click()
    page.get_by_role("button", name="上传并预览").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    made = xlsx(
        [
            ["名称", "简称", "类型", "上级", "代码", "别名"],
            ["平顶山市邮政工会", "邮政工会", "直属企业工会", "", "", "邮政局工会"],
            ["舞钢市总工会", "舞钢", "", "", "", ""],
            ["汝州市总工会", "汝州市", "县级市总工会", "", "", ""],
        ],
        name="单位名单.xlsx",
    )
    page.set_input_files(
        "#import-file",
        files=[{"name": made.name, "mimeType": "application/octet-stream", "buffer": made.read()}],
    )
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("youzhenggonghui").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(page, "unit-import-preview-390")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入单位名单：新增 1 个单位，修改 1 个。")).to_be_visible()
    assert plan_2022.units.filter(code="youzhenggonghui").exists()
    context.close()
