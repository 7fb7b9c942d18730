"""Department staff import a task-decomposition table from Excel: on a phone they pick the unit
of an ambiguous name (the preview comes again at once) and confirm; on a desktop they see
the whole preview, the values that change and the printed total against the sum."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from orgs.models import Unit
from orgs.tests.factories import staff_of
from orgs.tests.personas import force_login_verified
from plans.selectors import table_get, table_layout
from plans.tests.imports.sheets import t02_rows, xlsx

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


def signed_in(browser, live_server, user, width):
    client = Client()
    force_login_verified(client, user)
    name = django_settings.SESSION_COOKIE_NAME
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return context


def upload_file(page, plan):
    rows = t02_rows(plan, **{"舞钢": [4, 1, 30, 600, 100], "舞钢公司": None})
    rows[1][1] = 12  # 汝州市's craftsmen, 10 before
    made = xlsx(rows, name="任务分解表.xlsx")
    page.set_input_files(
        "#import-file",
        files=[{"name": made.name, "mimeType": "application/octet-stream", "buffer": made.read()}],
    )
    page.get_by_role("button", name="上传并预览").click()


def test_staff_pick_a_unit_and_confirm_the_import_on_a_phone(browser, live_server, plan_2022):
    staff = staff_of("劳动和经济工作部", username="phone-staff")
    context = signed_in(browser, live_server, staff, PHONE_WIDTH)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/programmes/3/")
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_role("button", name="上传并预览").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    upload_file(page, plan_2022)
    page.get_by_text("有歧义").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    expect(page.locator("#import-confirm")).to_be_disabled()
    steel = Unit.objects.get(code="wugangsteel")
    page.locator("select[name^=row-]").select_option(str(steel.pk))
    expect(page.locator("#import-confirm")).to_be_enabled()  # the preview came again
    screenshot(page, "table-import-preview-390")
    page.locator("#import-confirm").click()
    page.get_by_text("已导入「深化产业工人队伍建设改革行动任务分解表」").wait_for()
    layout = table_layout(table_get(plan=plan_2022, code="T02"))
    shares = {row.label: cells[0] for row, cells in layout.rows}
    assert shares["舞钢"] == 4 and shares["汝州市"] == 12
    context.close()


def test_the_preview_on_a_desktop_shows_changes_and_the_total(browser, live_server, plan_2022):
    staff = staff_of("劳动和经济工作部", username="desk-staff")
    context = signed_in(browser, live_server, staff, 1440)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/tables/T02/import/")
    upload_file(page, plan_2022)
    page.get_by_role("cell", name="各行相加").wait_for()
    expect(page.locator("#import-rows td.table-warning").first).to_contain_text("12")
    expect(page.locator("#import-rows td.mismatch").first).to_contain_text(
        "128"
    )  # 汝州市 +2, 舞钢 +1
    screenshot(page, "table-import-preview-1440")
    context.close()
