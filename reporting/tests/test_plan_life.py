"""A plan's life: a closed plan is read-only for everyone, reminds no one and owes nothing
new; its history stays on the dashboards; closing and reopening are on record."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEntry
from common.errors import ServiceError
from plans.lifecycle import plan_status_set
from plans.models import Indicator, Plan
from plans.services import plan_load
from records.models import FormDefinition, Record
from records.services.rows import record_create, record_delete
from records.tests.web import competition_row
from reporting import services, workflow
from reporting.services import obligations_generate, reminders_due
from reporting.services.city_figures import city_figure_enter
from reporting.services.evidence import evidence_add, evidence_remove
from reporting.tests.files import JPG, upload
from reporting.tests.test_report_flow import saved, submitted_and_confirmed

CLOSED = "已结束，只能查看，不能再填报、审核或修改"


@pytest.fixture
def before_deadline(settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"


def close(plan):
    return plan_status_set(plan=plan, status=Plan.Status.CLOSED)


def test_closing_a_plan_is_on_record_and_reopening_it_needs_a_reason(plan_2022):
    close(plan_2022)
    entry = AuditEntry.objects.filter(event="plans.plan.status_changed").get()
    assert (entry.before, entry.after) == ({"status": "published"}, {"status": "closed"})
    with pytest.raises(ServiceError, match="重新开放已结束的方案须写明原因"):
        plan_status_set(plan=plan_2022, status=Plan.Status.PUBLISHED)
    plan_status_set(plan=plan_2022, status=Plan.Status.PUBLISHED, reason="补录12月数据")
    plan_2022.refresh_from_db()
    assert plan_2022.status == Plan.Status.PUBLISHED and plan_2022.closed_at is None


def test_nothing_of_a_closed_plan_can_be_saved_submitted_or_reviewed(
    plan_2022, may_reform, june_reform, ruzhou_reporter, ruzhou_head, labour_staff, before_deadline
):
    confirmed = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    close(plan_2022)
    with pytest.raises(ServiceError, match=CLOSED):
        saved(june_reform, ruzhou_reporter, (5, 1, 30, 120, 40))
    with pytest.raises(ServiceError, match=CLOSED):
        services.report_approve(report=confirmed, reviewer=labour_staff, version=confirmed.version)
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"
    assert workflow.actions_for(labour_staff, confirmed, services.REPORT) == []


def test_a_closed_plan_takes_no_form_row_and_no_city_figure(
    plan_2022, ruzhou_reporter, labour_staff, before_deadline
):
    close(plan_2022)
    form = FormDefinition.objects.filter(plan=plan_2022).first()
    with pytest.raises(ServiceError, match=CLOSED):
        record_create(form=form, unit=ruzhou_reporter.unit, actor=ruzhou_reporter, raw={})
    indicator = Indicator.objects.filter(
        plan=plan_2022, programme__departments=labour_staff.department
    ).first()
    with pytest.raises(ServiceError, match=CLOSED):
        city_figure_enter(
            indicator=indicator,
            actor=labour_staff,
            period_end=dt.date(2022, 5, 31),
            raw_value="1",
            note="台账",
        )


def test_a_closed_plan_reminds_no_one_and_owes_nothing_new(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    today = dt.date(2022, 7, 20)
    assert any(r.obligation.plan_id == plan_2022.pk for r in reminders_due(today=today, days=3))
    closed = close(plan_2022)
    assert not any(r.obligation.plan_id == plan_2022.pk for r in reminders_due(today=today, days=3))
    with pytest.raises(ServiceError, match=CLOSED):
        obligations_generate(plan=closed)


def test_remind_dry_run_lists_nothing_of_a_closed_plan(plan_2022, settings, capsys):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    call_command("planstatus", plan_2022.slug, "closed")
    call_command("remind", "--dry-run")
    assert "将发送 0 条提醒" in capsys.readouterr().out


def test_a_closed_plans_file_is_not_loaded_over_it(plan_2022, plan_2022_spec):
    close(plan_2022)
    with pytest.raises(ServiceError, match=CLOSED):
        plan_load(spec=plan_2022_spec)


def test_the_dashboard_of_a_closed_plan_still_shows_its_figures_and_says_it_is_closed(
    client, plan_2022, leader
):
    close(plan_2022)
    client.force_login(leader)
    html = client.get(reverse("dashboards:overview", args=[plan_2022.slug])).content.decode()
    assert 'id="plan-closed"' in html and "已结束，只能查看" in html
    assert 'id="overview-table"' in html


def test_planstatus_names_a_missing_plan_and_a_status_it_already_has(plan_2022):
    with pytest.raises(CommandError, match="没有标识为「nothing」的方案"):
        call_command("planstatus", "nothing", "closed")
    with pytest.raises(CommandError, match="已是「执行中」"):
        call_command("planstatus", plan_2022.slug, "published")


def test_the_report_page_of_a_closed_plan_says_why_nothing_can_be_filled_in(
    client, plan_2022, may_reform, ruzhou_reporter, before_deadline
):
    close(plan_2022)
    client.force_login(ruzhou_reporter)
    html = client.get(reverse("reporting:report", kwargs={"pk": may_reform.pk})).content.decode()
    assert 'id="not-open"' in html and CLOSED in html
    assert "保存草稿" not in html


def test_a_closed_plan_keeps_its_draft_rows_and_report_files(
    plan_2022, may_reform, ruzhou_reporter, before_deadline
):
    row = competition_row(plan_2022, ruzhou_reporter, "岗位练兵")
    report = services.report_for(obligation=may_reform)
    [photo] = evidence_add(report=report, actor=ruzhou_reporter, files=[upload("照片.jpg", JPG)])
    close(plan_2022)
    with pytest.raises(ServiceError, match=CLOSED):
        record_delete(record=row, actor=ruzhou_reporter, version=row.version)
    with pytest.raises(ServiceError, match=CLOSED):
        evidence_remove(evidence=photo, actor=ruzhou_reporter)
    assert Record.objects.filter(pk=row.pk).exists()
    assert report.evidence.filter(pk=photo.pk).exists()
