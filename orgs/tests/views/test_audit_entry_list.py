import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from orgs.tests.personas import force_login_verified

LIST = reverse("audit:entry_list")


@pytest.fixture
def audit_client(client, audit_admin):
    force_login_verified(client, audit_admin)
    return client


def shown(client, **params) -> list[AuditEntry]:
    return list(client.get(LIST, params).context["page"].object_list)


def test_entries_are_found_by_username_event_result_and_object(audit_client, leader):
    audit_record(actor=leader, event="orgs.user.updated", target=leader)
    audit_record(actor=None, username="zhang", event="auth.login.failed", result="failed")
    audit_record(actor=None, username="zhang", event="auth.account.locked", result="denied")
    assert {e.event for e in shown(audit_client, username="zhang")} == {
        "auth.login.failed",
        "auth.account.locked",
    }
    assert [e.event for e in shown(audit_client, event="auth.account")] == ["auth.account.locked"]
    assert [e.actor_username for e in shown(audit_client, result="failed")] == ["zhang"]
    found = shown(audit_client, object_type="orgs.user", object_id=str(leader.pk))
    assert [e.event for e in found] == ["orgs.user.updated"]


def test_entries_are_found_by_local_date_range_both_days_included(audit_client, db):
    for day in (1, 2, 3, 4):
        # 23:30 in Beijing is 15:30 UTC the same day
        with time_machine.travel(dt.datetime(2026, 3, day, 15, 30, tzinfo=dt.UTC), tick=False):
            audit_record(actor=None, username=f"day{day}", event="test.event")
    found = shown(audit_client, event="test.", date_from="2026-03-02", date_to="2026-03-03")
    assert sorted(e.actor_username for e in found) == ["day2", "day3"]


def test_fifty_entries_a_page_newest_first(audit_client, db):
    for n in range(120):
        audit_record(actor=None, username=f"u{n:03d}", event="test.event")
    page = audit_client.get(LIST, {"event": "test."}).context["page"]
    assert len(page.object_list) == 50 and page.paginator.num_pages == 3
    assert page.object_list[0].actor_username == "u119"
    last = audit_client.get(LIST, {"event": "test.", "page": 3}).context["page"]
    assert len(last.object_list) == 20


def test_a_page_costs_the_same_queries_for_three_entries_as_for_fifty(audit_client, db):
    audit_client.get(LIST)
    for n in range(3):
        audit_record(actor=None, username=f"u{n}", event="test.event")
    with CaptureQueriesContext(connection) as few:
        audit_client.get(LIST, {"event": "test."})
    for n in range(100):
        audit_record(actor=None, username=f"v{n}", event="test.event")
    with CaptureQueriesContext(connection) as many:
        html = audit_client.get(LIST, {"event": "test."}).content.decode()
    assert len(many) == len(few)
    assert "v99" in html


def test_the_page_keeps_the_filters_in_the_export_link_and_pages(audit_client, db):
    for _ in range(60):
        audit_record(actor=None, username="zhang", event="test.event")
    html = audit_client.get(LIST, {"username": "zhang"}).content.decode()
    assert f"{reverse('audit:entry_export')}?username=zhang" in html
    assert "?username=zhang&amp;page=2" in html


def test_an_invalid_date_shows_an_error_not_a_500(audit_client, db):
    response = audit_client.get(LIST, {"date_from": "not-a-date"})
    assert response.status_code == 200


def test_a_range_that_ends_before_it_starts_is_named_as_such(audit_client, db):
    audit_record(actor=None, username="zhang", event="test.event")
    response = audit_client.get(LIST, {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    html = response.content.decode()
    assert "截止日期早于起始日期" in html and "zhang" not in html


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_calendar_gets_a_chinese_message(audit_client, db, field, day):
    audit_record(actor=None, username="zhang", event="test.event")
    response = audit_client.get(LIST, {field: day})
    assert response.status_code == 200
    assert "日期应在 1900-01-01 至 2100-12-31 之间" in response.content.decode()
    # Nothing is listed under a search that could not be run.
    assert "zhang" not in response.content.decode()


def test_the_page_names_roles_events_objects_and_results_in_chinese(audit_client, submitted_report):
    html = audit_client.get(LIST).content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "单位填报员" in row and "unit_reporter" not in row
    assert '提交单位负责人确认<div class="text-muted">填报</div>' in row
    assert f"填报：{submitted_report}</a>" in row and f"（编号 {submitted_report.pk}）" in row
    assert "成功" in row


def test_choosing_an_event_area_shows_every_event_of_that_area_and_no_other(
    audit_client, submitted_report, ruzhou_reporter
):
    audit_record(actor=ruzhou_reporter, event="reporting.report.saved", target=submitted_report)
    audit_record(actor=ruzhou_reporter, event="reporting.evidence.added", target=submitted_report)
    audit_record(actor=None, username="zhang", event="auth.login.failed", result="failed")
    response = audit_client.get(LIST, {"event": "reporting.report."})
    assert {e.event for e in response.context["page"]} == {
        "reporting.report.saved",
        "reporting.report.submitted",
    }
    html = response.content.decode()
    assert '<option value="reporting.report." selected>填报：全部</option>' in html
    one = shown(audit_client, event="reporting.report.saved")
    assert [e.event for e in one] == ["reporting.report.saved"]


def test_the_event_filter_offers_every_area_and_named_event_and_everything(audit_client, db):
    html = audit_client.get(LIST).content.decode()
    assert '<option value="" selected>全部事件</option>' in html
    for area in ("登录与会话", "用户管理", "填报", "统计表记录", "备份与恢复", "审计日志"):
        assert f'<optgroup label="{area}">' in html
    assert '<option value="reporting.report.returned">部门退回</option>' in html
    assert '<option value="orgs.user">用户</option>' in html


def test_a_prefix_from_a_link_still_filters_and_stays_visible_in_the_select(audit_client, db):
    audit_record(actor=None, username="zhang", event="auth.account.locked", result="denied")
    audit_record(actor=None, username="zhang", event="auth.login.failed", result="failed")
    response = audit_client.get(LIST, {"event": "auth.account"})
    assert [e.event for e in response.context["page"]] == ["auth.account.locked"]
    assert '<option value="auth.account" selected>auth.account</option>' in (
        response.content.decode()
    )


def test_text_that_is_no_event_code_is_refused_in_chinese(audit_client, db):
    response = audit_client.get(LIST, {"event": "<script>"})
    assert response.status_code == 200
    assert "请从列表中选择" in response.content.decode()


def test_an_object_links_to_every_entry_about_it(audit_client, submitted_report, leader):
    audit_record(actor=leader, event="orgs.user.updated", target=leader)
    html = audit_client.get(LIST).content.decode()
    link = f"?object_type=reporting.report&amp;object_id={submitted_report.pk}"
    assert link in html
    found = shown(audit_client, object_type="reporting.report", object_id=submitted_report.pk)
    assert [e.event for e in found] == ["reporting.report.submitted"]
