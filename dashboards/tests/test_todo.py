"""我的待办: its counters count form rows as well as reports."""

import datetime as dt
import re

from django.urls import reverse

from records.models import Record
from records.tests.web import childcare_row

TODO = reverse("reporting:todo")


def counters(client) -> dict[str, int]:
    html = client.get(TODO).content.decode()
    return {
        name: int(re.search(rf'id="count-{name}">(\d+)<', html).group(1))
        for name in ("returned", "overdue", "waiting")
    }


def test_the_todo_counters_count_returned_overdue_and_waiting_form_rows(
    client, plan_2022, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    client.force_login(ruzhou_reporter)
    before = counters(client)
    returned = [childcare_row(plan_2022, ruzhou_reporter, name=f"托管班{i}") for i in range(3)]
    Record.objects.filter(pk__in=[r.pk for r in returned]).update(
        status=Record.Status.RETURNED, due_date=dt.date(2022, 7, 1)
    )
    waiting = childcare_row(plan_2022, ruzhou_reporter, name="待确认托管班")
    Record.objects.filter(pk=waiting.pk).update(status=Record.Status.SUBMITTED)

    after = counters(client)
    assert after["returned"] == before["returned"] + 3
    assert after["overdue"] == before["overdue"] + 3
    assert after["waiting"] == before["waiting"] + 1
    html = client.get(TODO).content.decode()
    card = html[html.index('id="records-todo"') :]
    assert "被退回 3 条" in card and "已逾期 3 条" in card


def test_rows_waiting_for_the_department_count_as_waiting_like_reports_but_never_as_overdue(
    client, plan_2022, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    client.force_login(ruzhou_reporter)
    before = counters(client)
    sent = [childcare_row(plan_2022, ruzhou_reporter, name=f"已报送托管班{i}") for i in range(2)]
    Record.objects.filter(pk__in=[r.pk for r in sent]).update(
        status=Record.Status.CONFIRMED, due_date=dt.date(2022, 7, 1)
    )

    after = counters(client)
    assert after["waiting"] == before["waiting"] + 2
    assert after["overdue"] == before["overdue"]
    html = client.get(TODO).content.decode()
    assert "待部门审核 2 条" in html[html.index('id="records-todo"') :]


def test_the_todo_page_keeps_its_address_for_unit_users_only(client, leader):
    assert TODO == "/reporting/todo/"
    client.force_login(leader)
    assert client.get(TODO).status_code == 403
