import datetime as dt
from io import BytesIO

import docx
import pytest
from django.urls import reverse

from dashboards.bulletin import bulletin_docx
from orgs.models import Unit
from orgs.tests.personas import force_login_verified
from supervision import notice_selectors as selectors
from supervision import notice_services as services
from supervision.tests.notice_helpers import issue, replied

CODES = ["ruzhou", "jiaxian", "yexian", "baofeng", "lushan", "wugang"]


@pytest.fixture(autouse=True)
def today(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"


def test_a_department_issues_from_a_warning_link_with_the_unit_and_indicator_prefilled(
    client, plan_2022, labour_staff
):
    indicator = plan_2022.indicators.filter(programme__number=3).first()
    force_login_verified(client, labour_staff)
    url = reverse("supervision:notice_issue", args=[plan_2022.slug])
    page = client.get(url, {"source": "warning", "unit": "ruzhou", "indicator": indicator.pk})
    form = page.context["form"]
    assert form.initial["units"] == [Unit.objects.get(code="ruzhou").pk]
    assert form.initial["subject"] == f"专案3 {indicator.name}进度滞后"
    data = {
        "units": form.initial["units"],
        "subject": form.initial["subject"],
        "reason": "完成率低于时间进度",
        "due_date": "2022-08-05",
        "source": "warning",
        "indicator": indicator.pk,
    }
    assert client.post(url, data).status_code == 302
    [notice] = selectors.notice_list(actor=labour_staff, plan=plan_2022, today=dt.date(2022, 7, 20))
    assert notice.indicator == indicator and notice.source == "warning"


def test_a_refused_issue_keeps_what_was_typed(client, plan_2022, labour_staff):
    force_login_verified(client, labour_staff)
    url = reverse("supervision:notice_issue", args=[plan_2022.slug])
    page = client.post(url, {"subject": "督办职工书屋", "reason": "", "due_date": "2022-13-01"})
    assert page.status_code == 200
    assert "督办职工书屋" in page.content.decode()
    assert page.context["form"].errors.keys() == {"units", "reason", "due_date"}


def test_the_issue_page_says_the_plans_working_days_to_sign(client, plan_2022, labour_staff):
    plan_2022.sign_days = 5
    plan_2022.save(update_fields=["sign_days"])
    force_login_verified(client, labour_staff)
    page = client.get(reverse("supervision:notice_issue", args=[plan_2022.slug]))
    assert "单位负责人须在下发后 5 个工作日内签收" in page.content.decode()


def test_a_unit_head_signs_and_a_reporter_replies_on_the_notice_page(
    client, plan_2022, labour_staff, ruzhou_head, ruzhou_reporter
):
    [notice] = issue(plan_2022, labour_staff)
    force_login_verified(client, ruzhou_head)
    todo = client.get(reverse("reporting:todo"))
    assert notice.reference in todo.content.decode()
    page = client.get(reverse("supervision:notice", args=[notice.pk]))
    assert "sign" in page.context["actions"]
    client.post(reverse("supervision:notice_sign", args=[notice.pk]), {"version": 1})
    force_login_verified(client, ruzhou_reporter)
    refused = client.post(
        reverse("supervision:notice_reply", args=[notice.pk]), {"version": 2, "measures": ""}
    )
    assert "请填写办理情况" in refused.content.decode()
    client.post(
        reverse("supervision:notice_reply", args=[notice.pk]),
        {"version": 2, "measures": "已整改完毕"},
    )
    notice.refresh_from_db()
    assert notice.status == "replied" and notice.measures == "已整改完毕"


def test_the_leaders_overview_counts_overdue_notices_and_links_to_them(
    client, plan_2022, labour_staff, leader, settings
):
    issue(plan_2022, labour_staff)
    settings.UNIONPLAN_TODAY = "2022-07-25"  # signed by 22 July: not done
    force_login_verified(client, leader)
    page = client.get(reverse("dashboards:overview", args=[plan_2022.slug]))
    assert page.context["notices_overdue"] == 1
    listed = client.get(reverse("supervision:notices", args=[plan_2022.slug]), {"overdue": "1"})
    assert [n.overdue for n in listed.context["notices"]] == ["逾期未签收"]


def test_a_unit_page_shows_its_notice_history(client, plan_2022, labour_staff, leader):
    [notice] = issue(plan_2022, labour_staff)
    force_login_verified(client, leader)
    page = client.get(reverse("supervision:unit_notices", args=[plan_2022.slug, "ruzhou"]))
    assert notice.reference in page.content.decode()
    other = client.get(reverse("supervision:unit_notices", args=[plan_2022.slug, "jiaxian"]))
    assert "暂无督办事项" in other.content.decode()


@pytest.mark.parametrize("size", [2, 6])
def test_the_lists_take_a_fixed_number_of_queries(
    plan_2022, labour_staff, ruzhou_reporter, django_assert_num_queries, size
):
    for code in CODES[:size]:
        issue(plan_2022, labour_staff, code)
    day = dt.date(2022, 7, 25)
    with django_assert_num_queries(1):
        rows = selectors.notice_list(actor=labour_staff, plan=plan_2022, today=day, overdue=True)
    assert len(rows) == size
    with django_assert_num_queries(0):
        assert all(n.unit.short_name and n.department.name for n in rows)
    with django_assert_num_queries(1):
        assert len(selectors.notices_todo(user=ruzhou_reporter, today=day)) == 1
    with django_assert_num_queries(1):
        assert selectors.notice_summary(plan=plan_2022, as_of=day).issued == size
    with django_assert_num_queries(1):
        assert selectors.overdue_count(plan=plan_2022, today=day) == size


def test_the_bulletin_counts_notices_as_at_its_date_and_names_the_overdue(
    plan_2022, labour_staff, ruzhou_head, ruzhou_reporter, settings
):
    notice = replied(plan_2022, labour_staff, ruzhou_head, ruzhou_reporter)
    services.notice_close(notice=notice, actor=labour_staff)
    issue(plan_2022, labour_staff, "jiaxian", subject="补报慰问数据")
    summary = selectors.notice_summary(plan=plan_2022, as_of=dt.date(2022, 7, 25))
    assert (summary.issued, summary.signed, summary.replied, summary.closed) == (2, 1, 1, 1)
    assert [n.unit.code for n in summary.overdue] == ["jiaxian"]
    assert selectors.notice_summary(plan=plan_2022, as_of=dt.date(2022, 7, 19)).issued == 0
    document = docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=dt.date(2022, 7, 25))))
    text = "\n".join(p.text for p in document.paragraphs)
    section = text.split("五、督办情况")[1].split("六、下一步工作要求")[0]
    assert "共下发督办单 2 份，已签收 1 份，已回复办理情况 1 份，已办结 1 份，逾期 1 份" in section
    assert "郏县（督办〔2022〕2号「补报慰问数据」，逾期未签收）" in section
