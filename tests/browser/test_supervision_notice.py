"""督办 from end to end in a browser: a department issues a notice from an early warning, the
unit head signs it on a phone, the reporter replies with a photo, the department closes it, and
the bulletin's 督办情况 counts it."""

import datetime as dt
from io import BytesIO

import docx
import pytest
from django.test import Client

from dashboards.bulletin import bulletin_docx
from orgs.tests.factories import head_of, reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from plans.models import Indicator
from reporting.tests.files import JPG
from supervision.models import SupervisionNotice

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


def test_a_notice_goes_from_a_warning_to_closed_and_the_bulletin_counts_it(
    browser, live_server, plan_2022, settings, tmp_path
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    staff = staff_of("劳动和经济工作部", username="labour-notice")
    head = head_of("ruzhou", username="ruzhou-head-notice")
    reporter = reporter_of("ruzhou", username="ruzhou-notice")
    indicator = Indicator.objects.filter(plan=plan_2022, programme__number=3).first()

    # The department follows a warning's 督办 link (as the warnings list draws it).
    desk = signed_in(browser, live_server, staff, 1440)
    page = desk.new_page()
    page.goto(
        f"{live_server.url}/supervision/{SLUG}/notices/new/?source=warning&unit=ruzhou"
        f"&indicator={indicator.pk}&reason=%E8%BF%9B%E5%BA%A6%E8%90%BD%E5%90%8E"
    )
    assert page.get_by_label("汝州市").is_checked()
    assert page.get_by_label("督办原因").input_value() == "进度落后"
    page.get_by_label("办理期限").fill("2022-08-05")
    page.get_by_role("button", name="下发督办单").click()
    page.get_by_text("已下发督办〔2022〕1号").wait_for()
    notice = SupervisionNotice.objects.get()
    assert notice.source == "warning" and notice.indicator == indicator

    # The unit head signs it on a phone, from 我的待办.
    phone = signed_in(browser, live_server, head, 390)
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/reporting/todo/")
    mobile.locator("#notices-todo a", has_text="督办〔2022〕1号").click()
    # Measure the notice's page once it has loaded, not the list it is leaving.
    mobile.wait_for_url(f"**/supervision/notices/{notice.pk}/")
    mobile.get_by_role("button", name="签收").wait_for()
    assert fits(mobile)
    mobile.get_by_role("button", name="签收").click()
    mobile.get_by_text("已签收").first.wait_for()
    screenshot(mobile, "notice-signed-390")
    assert fits(mobile)
    phone.close()

    # The reporter replies with a photo (on a phone too).
    phone = signed_in(browser, live_server, reporter, 390)
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/supervision/notices/{notice.pk}/")
    mobile.get_by_label("采取的措施和结果").fill("已召开推进会，落实整改措施")
    photo = tmp_path / "推进会.jpg"
    photo.write_bytes(JPG)
    mobile.locator("#files").set_input_files(str(photo))
    mobile.get_by_role("button", name="提交办理情况").click()
    mobile.get_by_text("已提交办理情况").wait_for()
    assert "推进会.jpg" in mobile.locator("#notice-files").inner_text()
    assert fits(mobile)
    phone.close()

    # The department closes it.
    page.goto(f"{live_server.url}/supervision/notices/{notice.pk}/")
    page.get_by_role("button", name="办结").click()
    page.get_by_text("已办结「督办〔2022〕1号」").wait_for()
    screenshot(page, "notice-closed-1440")
    desk.close()
    notice.refresh_from_db()
    assert notice.status == "closed"

    document = docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=dt.date(2022, 7, 20))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "共下发督办单 1 份，已签收 1 份，已回复办理情况 1 份，已办结 1 份，逾期 0 份" in text
