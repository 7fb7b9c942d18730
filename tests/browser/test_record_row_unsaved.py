"""A row's 提交 acts on the row as saved: with a field changed and not saved, it sends nothing
and says to save first, and what was typed stays on the page (found by a walk: the change was
silently dropped and the old value submitted)."""

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from orgs.tests.personas import force_login_verified
from records.models import Record
from records.tests.web import competition_row


def test_submitting_a_row_with_unsaved_changes_asks_to_save_first(
    page, live_server, plan_2022, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    row = competition_row(plan_2022, ruzhou_reporter, "汝州市职工技能大赛")
    client = Client()
    force_login_verified(client, ruzhou_reporter)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("records:row", args=[plan_2022.slug, row.pk]))

    page.fill("#record-form [name=name]", "汝州市职工技能大赛（复赛）")
    page.locator("#row-actions button", has_text="提交").first.click()

    page.get_by_text("本条记录有未保存的修改").wait_for()
    assert page.input_value("#record-form [name=name]") == "汝州市职工技能大赛（复赛）"
    row.refresh_from_db()
    assert row.status == Record.Status.DRAFT and row.data["name"] == "汝州市职工技能大赛"
    # The bar stays over the form as one scrolls: opaque, not showing the fields through it.
    background = "getComputedStyle(document.querySelector('#row-actions')).backgroundColor"
    assert page.evaluate(background) != "rgba(0, 0, 0, 0)"
