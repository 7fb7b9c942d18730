"""The system administrator, on a phone, opens the bulk creation of unit accounts from the user
list, reads the preview and confirms it; the temporary passwords arrive as a download."""

from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.test import Client
from openpyxl import load_workbook

from orgs.models import User
from orgs.tests.factories import UserFactory
from orgs.tests.personas import force_login_verified

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_administrator_creates_the_units_accounts_on_a_phone(browser, live_server, plan_2022):
    admin = UserFactory(username="sysadmin-phone", role=User.Role.SYSTEM_ADMIN)
    client = Client()
    force_login_verified(client, admin)
    name = django_settings.SESSION_COOKIE_NAME
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="zh-CN", accept_downloads=True
    )
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/users/")
    page.get_by_role("link", name="批量创建单位账号").click()
    assert no_sideways_scrolling(page)
    page.get_by_role("link", name="预览").click()
    page.get_by_text("舞钢市总工会").wait_for()
    assert no_sideways_scrolling(page)
    screenshot(page, "unit-accounts-preview-390")
    with page.expect_download() as caught:
        page.get_by_role("button", name="确认创建并下载临时密码").click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        sheet = load_workbook(BytesIO(file.read())).active
    assert sheet.cell(4, 4).value and User.objects.filter(username=sheet.cell(4, 4).value).exists()
    # The page says what happened and offers no second click.
    page.get_by_text("只此一次").wait_for()
    assert page.get_by_role("button", name="确认创建并下载临时密码").is_disabled()
    page.reload()
    page.get_by_text("没有需要创建的账号").wait_for()
    assert no_sideways_scrolling(page)
    context.close()
