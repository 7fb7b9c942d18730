import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from plans.models import Indicator
from reporting import services
from reporting.models import Obligation, Report
from reporting.services import ValueInput
from reporting.services.reports import STALE

Status = Report.Status


def fill(obligation, values, explanation=""):
    return [
        ValueInput(i.pk, str(v), explanation)
        for i, v in zip(obligation.indicators.order_by("order"), values, strict=True)
    ]


def saved(obligation, user, values, **kwargs):
    report = services.report_for(obligation=obligation)
    return services.report_save(
        report=report,
        actor=user,
        version=report.version,
        values=fill(obligation, values, **kwargs),
        note="",
    )


def submitted_and_confirmed(obligation, reporter, head, values=(4, 1, 30, 120, 40)):
    report = saved(obligation, reporter, values)
    report = services.report_submit(report=report, actor=reporter, version=report.version)
    return services.report_confirm(report=report, actor=head, version=report.version)


@pytest.fixture
def before_deadline(settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"


@pytest.fixture
def after_deadline(settings):
    settings.UNIONPLAN_TODAY = "2022-06-20"


def test_the_whole_flow_with_a_return_and_a_resubmission(
    may_reform, ruzhou_reporter, ruzhou_head, labour_staff, before_deadline
):
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    assert report.status == Status.CONFIRMED and not report.is_late

    report = services.report_return(
        report=report, reviewer=labour_staff, version=report.version, reason="请补充培训签到表"
    )
    assert (report.status, report.return_reason) == (Status.RETURNED, "请补充培训签到表")

    report = services.report_save(
        report=report,
        actor=ruzhou_reporter,
        version=report.version,
        values=fill(may_reform, (4, 1, 30, 150, 40)),
        note="已补充",
    )
    report = services.report_submit(report=report, actor=ruzhou_reporter, version=report.version)
    report = services.report_confirm(report=report, actor=ruzhou_head, version=report.version)
    report = services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    assert report.status == Status.APPROVED and report.counts_officially
    training = report.values.get(indicator__name__contains="职业技能培训")
    assert training.value == 150

    events = list(
        AuditEntry.objects.filter(object_id=str(report.pk))
        .order_by("id")
        .values_list("event", "actor_username")
    )
    assert [e for e, _ in events] == [
        "reporting.report.saved",
        "reporting.report.submitted",
        "reporting.report.confirmed",
        "reporting.report.returned",
        "reporting.report.saved",
        "reporting.report.submitted",
        "reporting.report.confirmed",
        "reporting.report.approved",
    ]
    second_save = (
        AuditEntry.objects.order_by("id")
        .filter(object_id=str(report.pk), event="reporting.report.saved")
        .last()
    )
    key = str(training.indicator_id)
    assert (second_save.before["figures"][key], second_save.after["figures"][key]) == (
        "120.00",
        "150.00",
    )
    returned = AuditEntry.objects.get(object_id=str(report.pk), event="reporting.report.returned")
    assert returned.reason == "请补充培训签到表" and returned.actor_username == "staff-test"


def test_two_people_editing_the_same_report_cannot_overwrite_each_other(
    may_reform, ruzhou_reporter, ruzhou_head
):
    report = services.report_for(obligation=may_reform)
    seen_by_both = report.version
    services.report_save(
        report=report,
        actor=ruzhou_reporter,
        version=seen_by_both,
        values=fill(may_reform, (1, 1, 1, 1, 1)),
        note="甲",
    )
    with pytest.raises(ServiceError) as refused:
        services.report_save(
            report=report,
            actor=ruzhou_head,
            version=seen_by_both,
            values=fill(may_reform, (9, 9, 9, 9, 9)),
            note="乙",
        )
    assert refused.value.message == STALE
    report.refresh_from_db()
    assert report.note == "甲"


def test_a_double_clicked_submit_submits_once(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, (1, 1, 1, 1, 1))
    version = report.version
    first = services.report_submit(report=report, actor=ruzhou_reporter, version=version)
    second = services.report_submit(report=report, actor=ruzhou_reporter, version=version)
    assert first.pk == second.pk and second.status == Status.SUBMITTED
    assert (
        AuditEntry.objects.filter(
            object_id=str(report.pk), event="reporting.report.submitted"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-3", "不能为负数"),
        ("2.5", "应填写整数"),
        ("十", "应填写数字"),
        ("1e400", "数值过大"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(may_reform, ruzhou_reporter, raw, message):
    with pytest.raises(ServiceError, match=message):
        saved(may_reform, ruzhou_reporter, (raw, 1, 1, 1, 1))


def test_thousands_separators_are_accepted(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, ("1,200", 1, 1, 1, 1))
    assert report.values.order_by("indicator__order").first().value == 1200


def test_a_value_below_the_last_approved_needs_an_explanation(
    may_reform, june_reform, ruzhou_reporter, ruzhou_head, labour_staff
):
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    with pytest.raises(ServiceError, match="累计值 3 低于上期已审核的 4，请在说明中写明原因"):
        saved(june_reform, ruzhou_reporter, (3, 1, 30, 120, 40))
    report = saved(june_reform, ruzhou_reporter, (3, 1, 30, 120, 40), explanation="更正重复统计")
    assert "below_previous" in report.values.order_by("indicator__order").first().flags


def test_a_value_far_above_the_allocation_is_flagged_for_the_reviewer(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, (21, 1, 1, 1, 1))  # allocation 10
    assert report.values.order_by("indicator__order").first().flags == ["far_above_allocation"]


def test_an_incomplete_report_cannot_be_submitted(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, (1, "", 1, 1, 1))
    with pytest.raises(ServiceError, match="以下指标尚未填写：新建劳模和工匠人才创新工作室"):
        services.report_submit(report=report, actor=ruzhou_reporter, version=report.version)


def test_a_late_report_is_flagged_and_still_counts_under_the_flag_policy(
    may_reform, ruzhou_reporter, ruzhou_head, labour_staff, after_deadline
):
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    report = services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    assert report.is_late and report.counts_officially


def test_a_late_report_under_exclude_is_kept_but_not_counted(
    may_reform, ruzhou_reporter, ruzhou_head, labour_staff, after_deadline
):
    may_reform.late_policy = "exclude"
    may_reform.save()
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    report = services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    assert report.is_late and report.status == Status.APPROVED
    assert not report.counts_officially


def test_approved_figures_are_locked_until_a_reviewer_reopens_them_with_a_reason(
    may_reform, ruzhou_reporter, ruzhou_head, labour_staff
):
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    report = services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    with pytest.raises(ServiceError, match="只有草稿或已退回的填报可以修改"):
        services.report_save(
            report=report,
            actor=ruzhou_reporter,
            version=report.version,
            values=fill(may_reform, (9, 9, 9, 9, 9)),
            note="",
        )
    with pytest.raises(ServiceError, match="请填写原因"):
        services.report_reopen(
            report=report, reviewer=labour_staff, version=report.version, reason=" "
        )
    report = services.report_reopen(
        report=report, reviewer=labour_staff, version=report.version, reason="数据口径调整"
    )
    assert report.status == Status.RETURNED
    assert (
        AuditEntry.objects.get(object_id=str(report.pk), event="reporting.report.reopened").reason
        == "数据口径调整"
    )


def test_values_for_other_indicators_are_ignored_not_trusted(may_reform, ruzhou_reporter):
    foreign = Indicator.objects.exclude(programme=may_reform.programme).first()
    report = services.report_for(obligation=may_reform)
    services.report_save(
        report=report,
        actor=ruzhou_reporter,
        version=report.version,
        values=[ValueInput(foreign.pk, "5")],
        note="",
    )
    assert not report.values.filter(indicator=foreign).exists()


def test_the_deadline_is_judged_when_the_head_confirms(
    may_reform, ruzhou_reporter, ruzhou_head, settings
):
    settings.UNIONPLAN_TODAY = str(may_reform.due_date)  # confirmed on the last day
    assert not submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head).is_late


@pytest.fixture
def december_ruzhou(plan_2022):
    """专案2's 2022年12月进度, which the demo's 2022-07-20 must not accept."""
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=2, kind="progress", period_end="2022-12-31"
    )


def test_a_period_that_has_not_begun_is_neither_saved_nor_submitted(
    december_ruzhou, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    not_open = "该期（2022年12月）尚未开始，12月1日起可填报。"
    full_year = fill(december_ruzhou, (10, 2, 20))
    with pytest.raises(ServiceError) as refused:
        services.report_save(
            report=Report(obligation=december_ruzhou),
            actor=ruzhou_reporter,
            version=1,
            values=full_year,
            note="",
        )
    assert refused.value.message == not_open
    with pytest.raises(ServiceError) as refused:
        services.report_submit(
            report=Report(obligation=december_ruzhou),
            actor=ruzhou_reporter,
            version=1,
            values=full_year,
        )
    assert refused.value.message == not_open
    assert not Report.objects.filter(obligation=december_ruzhou).exists()


def test_a_period_can_be_reported_from_its_first_day(december_ruzhou, ruzhou_reporter, settings):
    settings.UNIONPLAN_TODAY = "2022-12-01"
    report = services.report_submit(
        report=Report(obligation=december_ruzhou),
        actor=ruzhou_reporter,
        version=1,
        values=fill(december_ruzhou, (10, 2, 20)),
    )
    assert report.status == Status.SUBMITTED


def test_saving_what_is_already_saved_changes_nothing_and_logs_nothing(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, (1, 2, 3, 4, 5))
    again = saved(may_reform, ruzhou_reporter, (1, 2, 3, 4, 5))
    assert again.version == report.version
    assert (
        AuditEntry.objects.filter(object_id=str(report.pk), event="reporting.report.saved").count()
        == 1
    )


def test_figures_sent_with_the_submission_are_saved_and_submitted_together(
    may_reform, ruzhou_reporter
):
    report = services.report_submit(
        report=Report(obligation=may_reform),
        actor=ruzhou_reporter,
        version=1,
        values=fill(may_reform, (4, 1, 30, 120, 40)),
    )
    assert report.status == Status.SUBMITTED and report.values.count() == 5
    events = AuditEntry.objects.filter(object_id=str(report.pk)).order_by("id")
    assert [e.event for e in events] == ["reporting.report.saved", "reporting.report.submitted"]


def test_a_refused_submission_keeps_none_of_the_figures_sent_with_it(may_reform, ruzhou_reporter):
    report = saved(may_reform, ruzhou_reporter, (1, 1, 1, 1, 1))
    with pytest.raises(services.FiguresRefused) as refused:
        services.report_submit(
            report=report,
            actor=ruzhou_reporter,
            version=report.version,
            values=fill(may_reform, (9, 9, 9, "", "")),
        )
    assert set(refused.value.errors) == {i.pk for i in may_reform.indicators.order_by("order")[3:]}
    assert sorted(v.value for v in report.values.all()) == [1] * 5
