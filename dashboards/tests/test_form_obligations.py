"""统计表报送: a unit that sends no 附件3 rows by 6月15日 is overdue in 我的待办, 催报 and the
timeliness figures, is reminded, and stops being so once it sends a row or declares 本期无."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors import timeliness_by_unit
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of, staff_of
from records.models import FormDefinition
from records.services import record_create, records_confirm, records_submit
from records.services.nil_returns import nil_return_declare
from reporting.models import Obligation
from reporting.selectors import chase_rows, todo_for
from reporting.services import obligations_generate, reminders_due

TODO = reverse("reporting:todo")
JUNE = dt.date(2022, 6, 15)
ATTACHMENT_3 = "附件3 消费惠农统计表（6月15日前报送）"


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou", username="fo-reporter"),
        "head": head_of("ruzhou", username="fo-head"),
        "other": reporter_of("jiaxian", username="fo-other"),
        "staff": staff_of("权益保障部", username="fo-rights"),
    }


def june_obligation(code: str) -> Obligation:
    return Obligation.objects.get(
        kind=Obligation.Kind.FORM, form_code="consumption", unit__code=code, period_end=JUNE
    )


def send_row(plan, people, settings, *, on: str) -> None:
    """One 附件3 purchase of 汝州市, submitted and confirmed by its head on the day `on`."""
    settings.UNIONPLAN_TODAY = on
    row = record_create(
        form=FormDefinition.objects.get(plan=plan, code="consumption"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={
            "unit_name": "汝州市",
            "product": "郏县红牛肉",
            "origin": "我市脱贫摘帽地区",
            "method": "活动奖品纪念品",
            "purchased_on": "2022-06-01",
            "amount": "3000",
        },
    )
    records_submit(items=[(row, row.version)], actor=people["reporter"])
    records_confirm(items=[(row, None)], actor=people["head"])


def todo_page(client, user) -> str:
    client.force_login(user)
    return client.get(TODO).content.decode()


def counter(html: str, name: str) -> int:
    return int(re.search(rf'id="count-{name}">(\d+)<', html).group(1))


def chase_cells(staff, plan) -> dict[str, list[str]]:
    """The 附件3 (6月15日) line of 催报: each column's unit names."""
    rows = chase_rows(user=staff, plan=plan, today=dt.date(2022, 6, 16), programme=14)
    [line] = [r for r in rows if r.title == ATTACHMENT_3]
    return {key: [u.short_name for u in units] for key, units in line.cells}


def test_a_unit_without_attachment_3_rows_on_16_june_is_overdue_in_todo_chase_and_timeliness(
    client, plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    html = todo_page(client, people["reporter"])
    item = html[html.index(ATTACHMENT_3) - 600 : html.index(ATTACHMENT_3) + 400]
    assert "已逾期 1 天" in item
    rows_url = reverse("records:rows", args=[plan_2022.slug, "consumption"])
    assert f'href="{rows_url}#form-periods"' in item
    assert "汝州市" in chase_cells(people["staff"], plan_2022)["overdue"]
    client.force_login(people["staff"])
    chase = client.get(reverse("reporting:chase", args=[plan_2022.slug]), {"programme": 14})
    assert ATTACHMENT_3 in chase.content.decode()
    # Of 专案14, only 附件3 falls due between 14 and 16 June: owed, and missing.
    unit = people["reporter"].unit_id
    t14 = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 14), programme=14)[unit]
    t16 = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 16), programme=14)[unit]
    assert (t16.expected, t16.missing) == (t14.expected + 1, t14.missing + 1)


def test_a_unit_that_sent_a_row_by_15_june_is_not_overdue_and_counts_on_time(
    client, plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    overdue_before = counter(todo_page(client, people["reporter"]), "overdue")
    # 郏县 owes the same as 汝州市 under 专案14 and sends nothing: the yardstick.
    before = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 16), programme=14)
    assert before[people["reporter"].unit_id] == before[people["other"].unit_id]

    send_row(plan_2022, people, settings, on="2022-06-14")

    settings.UNIONPLAN_TODAY = "2022-06-16"
    obligation = june_obligation("ruzhou")
    assert (timezone.localdate(obligation.met_at), obligation.met_late) == (
        dt.date(2022, 6, 14),
        False,
    )
    html = todo_page(client, people["reporter"])
    assert ATTACHMENT_3 not in html
    assert counter(html, "overdue") == overdue_before - 1
    cells = chase_cells(people["staff"], plan_2022)
    assert "汝州市" in cells["approved"] and "汝州市" not in cells["overdue"]
    assert "郏县" in cells["overdue"]
    after = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 16), programme=14)
    ruzhou, jiaxian = after[people["reporter"].unit_id], after[people["other"].unit_id]
    assert (ruzhou.on_time, ruzhou.missing) == (jiaxian.on_time + 1, jiaxian.missing - 1)


def test_a_unit_that_declared_nothing_to_report_is_not_overdue(client, plan_2022, people, settings):
    settings.UNIONPLAN_TODAY = "2022-06-10"
    nil_return_declare(
        obligation=june_obligation("ruzhou"), actor=people["reporter"], reason="本期未采购农副产品"
    )
    settings.UNIONPLAN_TODAY = "2022-06-16"
    assert ATTACHMENT_3 not in todo_page(client, people["reporter"])
    cells = chase_cells(people["staff"], plan_2022)
    assert "汝州市" in cells["approved"] and "汝州市" not in cells["overdue"]
    timeliness = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 16), programme=14)
    ruzhou, jiaxian = timeliness[people["reporter"].unit_id], timeliness[people["other"].unit_id]
    assert ruzhou.on_time == jiaxian.on_time + 1


def test_a_row_first_sent_on_17_june_meets_the_obligation_late(client, plan_2022, people, settings):
    send_row(plan_2022, people, settings, on="2022-06-17")
    obligation = june_obligation("ruzhou")
    assert (timezone.localdate(obligation.met_at), obligation.met_late) == (
        dt.date(2022, 6, 17),
        True,
    )
    assert ATTACHMENT_3 not in todo_page(client, people["reporter"])
    timeliness = timeliness_by_unit(plan=plan_2022, as_of=dt.date(2022, 6, 17), programme=14)
    ruzhou, jiaxian = timeliness[people["reporter"].unit_id], timeliness[people["other"].unit_id]
    # Received, but late: it counts in completeness, not in timeliness.
    assert (ruzhou.received, ruzhou.on_time) == (jiaxian.received + 1, jiaxian.on_time)
    assert ruzhou.late == jiaxian.late + 1


def test_a_form_due_within_a_week_counts_as_due_soon_until_a_row_is_sent(
    client, plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-10"
    html = todo_page(client, people["reporter"])
    assert ATTACHMENT_3 in html
    due_soon = counter(html, "due-soon")
    send_row(plan_2022, people, settings, on="2022-06-10")
    assert counter(todo_page(client, people["reporter"]), "due-soon") == due_soon - 1


def test_reminders_name_the_form_until_a_row_is_sent(plan_2022, people, settings, capsys):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    obligation = june_obligation("ruzhou")
    due = {r.obligation.pk: r for r in reminders_due(today=dt.date(2022, 6, 16), days=3)}
    assert due[obligation.pk].kind == "overdue"
    assert due[obligation.pk].message().startswith(f"【逾期】{obligation.title}")
    call_command("remind", "--days", "3", "--dry-run")
    assert f"汝州市\t已逾期\t截止 2022-06-15\t{obligation.title}" in capsys.readouterr().out

    send_row(plan_2022, people, settings, on="2022-06-16")
    due = reminders_due(today=dt.date(2022, 6, 16), days=3)
    assert obligation.pk not in {r.obligation.pk for r in due}


def test_a_form_reminder_leads_to_the_forms_page(plan_2022, people, settings):
    from reporting.models import Notification
    from reporting.services import reminder_send

    settings.UNIONPLAN_TODAY = "2022-06-16"
    obligation = june_obligation("ruzhou")
    [reminder] = [
        r
        for r in reminders_due(today=dt.date(2022, 6, 16), days=3)
        if r.obligation.pk == obligation.pk
    ]
    assert reminder_send(reminder=reminder, today=dt.date(2022, 6, 16))
    note = Notification.objects.get(user=people["reporter"], message__contains=ATTACHMENT_3)
    assert note.url == reverse("records:rows", args=[plan_2022.slug, "consumption"])


def add_units(plan, n: int) -> None:
    """`n` more county unions in the plan, each owing 附件3 like the others."""
    for i in range(n):
        unit = Unit.objects.create(
            code=f"extra-{i}", name=f"加测县{i}总工会", short_name=f"加测县{i}", kind="county"
        )
        plan.units.add(unit)
    obligations_generate(plan=plan)


def page_queries(client, user, url: str, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_todo_and_chase_read_as_many_queries_for_more_units(
    client, plan_2022, people, settings, django_assert_num_queries
):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    chase = reverse("reporting:chase", args=[plan_2022.slug])
    small = (
        page_queries(client, people["reporter"], TODO),
        page_queries(client, people["staff"], chase, programme=14),
    )
    # One for the obligations, two for the working days of their 黄牌 / 红牌.
    with django_assert_num_queries(3):
        todo_for(user=people["reporter"], today=dt.date(2022, 6, 16))
    with django_assert_num_queries(3):
        chase_rows(user=people["staff"], plan=plan_2022, today=dt.date(2022, 6, 16))
    add_units(plan_2022, 12)
    with django_assert_num_queries(3):
        lines = chase_rows(user=people["staff"], plan=plan_2022, today=dt.date(2022, 6, 16))
    assert "加测县11" in [u.short_name for line in lines for u in line.units["overdue"]]
    extra = reporter_of("extra-3", username="fo-extra")
    with django_assert_num_queries(3):
        assert todo_for(user=extra, today=dt.date(2022, 6, 16)).counts["overdue"]
    large = (
        page_queries(client, people["reporter"], TODO),
        page_queries(client, people["staff"], chase, programme=14),
    )
    assert large == small
