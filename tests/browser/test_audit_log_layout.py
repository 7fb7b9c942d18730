"""The audit page on a phone (390 px) and a wide screen (1440 px): the page never scrolls
sideways; the table scrolls inside its own box."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import Client

from audit.services import audit_record
from orgs.tests.factories import reporter_of
from orgs.tests.personas import force_login_verified
from records.models import FormDefinition
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def auditor(db):
    from orgs.models import User
    from orgs.tests.factories import UserFactory

    return UserFactory(username="auditadmin-layout", role=User.Role.AUDIT_ADMIN)


@contextmanager
def signed_in(browser, live_server, user, width: int):
    """A page of a window `width` wide, signed in as `user` past the second factor."""
    client = Client()
    force_login_verified(client, user)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    try:
        yield context.new_page()
    finally:
        # Open connections would outlive the live server and fail a later test on SQLite.
        context.close()


@pytest.mark.parametrize("width", [390, 1440])
def test_the_audit_log_fits_the_window_and_its_table_scrolls_in_its_box(
    browser, live_server, plan_2022, auditor, width
):
    reporter = reporter_of("ruzhou", username="a-rather-long-reporter-username-for-width")
    form = FormDefinition.objects.filter(plan=plan_2022).first()
    for n in range(12):
        audit_record(
            actor=reporter,
            event="records.import.refused",
            target=form,
            before={"note": "长" * 200, "n": n},
            after={"file": "x" * 150 + ".xlsx"},
            result="failed",
            reason="文件不是有效的 Excel 工作簿" * 5 + "y" * 120,
        )
    with signed_in(browser, live_server, auditor, width) as page:
        page.goto(f"{live_server.url}/audit/")
        page.locator("details").first.locator("summary").click()
        screenshot(page, f"audit-entry-list-{width}")

        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#audit-entries").get_by_text("拒收导入文件").first.is_visible()
        box = page.locator("#audit-entries")
        assert box.evaluate("b => b.getBoundingClientRect().right") <= width
        if width == 390:
            assert box.evaluate("b => b.scrollWidth > b.clientWidth")

        page.get_by_label("事件").select_option(label="统计表导入：全部")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url("**event=records.import.**")
        assert page.locator("#audit-entries tbody tr").count() == 12
