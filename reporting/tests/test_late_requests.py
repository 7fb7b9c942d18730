"""补报申请: a late report under 逾期未报送不予统计 counts once its unit's request is approved by
the reviewing department, from the approval on, still marked late; never before, never when
rejected, and no longer once the approval is revoked."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from common.errors import ServiceError
from dashboards import selectors as dashboards
from dashboards.bulletin.late_requests import late_requests_text
from orgs.models import Unit
from reporting import late_selectors, services
from reporting.models import LateSubmissionRequest, Notification, Obligation
from reporting.tests.files import JPG, upload
from reporting.tests.test_lateness import on
from reporting.tests.test_report_flow import submitted_and_confirmed

REASON = "汛期抗洪抢险，材料未能按时报送"


@pytest.fixture
def june(june_reform):
    june_reform.late_policy = "exclude"
    june_reform.save()
    return june_reform


@pytest.fixture
def late_approved_report(june, ruzhou_reporter, ruzhou_head, labour_staff):
    """June's report, first confirmed on 20 July (due 5 July) and approved that day."""
    with on("2022-07-20"):
        report = submitted_and_confirmed(june, ruzhou_reporter, ruzhou_head)
        return services.report_approve(report=report, reviewer=labour_staff, version=report.version)


def achieved(june, day: str):
    """The overview's total of 职业技能培训 as at `day`."""
    overview = dashboards.city_overview(plan=june.plan, as_of=dt.date.fromisoformat(day))
    [row] = [
        r
        for r in overview.rows
        if "职业技能培训" in r.indicator.name and r.indicator.programme.number == 3
    ]
    return row.achieved


def requested(june, actor, day="2022-07-21", **kwargs):
    with on(day):
        return services.late_request_create(obligation=june, actor=actor, reason=REASON, **kwargs)


def approved(request, staff, day="2022-07-22"):
    with on(day):
        return services.late_request_approve(
            request=request, reviewer=staff, version=request.version
        )


def test_a_late_report_under_not_counting_is_left_out_of_the_overview(late_approved_report, june):
    assert late_approved_report.is_late
    assert not late_approved_report.counts_officially
    assert achieved(june, "2022-07-21") == achieved(june, "2022-07-19")


def test_an_approved_request_makes_the_late_figures_count_from_the_approval_on(
    late_approved_report, june, ruzhou_reporter, labour_staff
):
    before = achieved(june, "2022-07-21")
    request = requested(june, ruzhou_reporter)
    assert achieved(june, "2022-07-21") == before  # a pending request counts nothing
    approved(request, labour_staff)
    # Counted from the approval on (120 people trained added); earlier dates stay as they were.
    assert achieved(june, "2022-07-22") == before + 120
    assert achieved(june, "2022-07-21") == before
    late_approved_report.refresh_from_db()
    assert late_approved_report.is_late and late_approved_report.counts_officially


def test_a_report_approved_after_the_request_counts_from_its_own_approval(
    june, ruzhou_reporter, ruzhou_head, labour_staff
):
    before = achieved(june, "2022-07-19")
    request = requested(june, ruzhou_reporter, day="2022-07-10")  # overdue, not yet reported
    approved(request, labour_staff, day="2022-07-11")
    with on("2022-07-20"):
        report = submitted_and_confirmed(june, ruzhou_reporter, ruzhou_head)
        services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    assert achieved(june, "2022-07-20") == before + 120


def test_a_rejected_request_counts_nothing_and_another_may_follow(
    late_approved_report, june, ruzhou_reporter, labour_staff
):
    before = achieved(june, "2022-07-21")
    request = requested(june, ruzhou_reporter)
    with on("2022-07-22"):
        with pytest.raises(ServiceError):
            services.late_request_reject(
                request=request, reviewer=labour_staff, version=request.version, reason=" "
            )
        services.late_request_reject(
            request=request, reviewer=labour_staff, version=request.version, reason="理由不充分"
        )
    assert achieved(june, "2022-07-23") == before
    assert requested(june, ruzhou_reporter, day="2022-07-23").status == "confirmed"


def test_a_revoked_approval_stops_the_figures_counting(
    late_approved_report, june, ruzhou_reporter, labour_staff
):
    before = achieved(june, "2022-07-21")
    request = approved(requested(june, ruzhou_reporter), labour_staff)
    with on("2022-07-25"):
        services.late_request_revoke(
            request=request, reviewer=labour_staff, version=request.version, reason="材料不实"
        )
    assert achieved(june, "2022-07-24") == before + 120
    assert achieved(june, "2022-07-25") == before


def test_every_step_is_audited_and_the_department_is_told(
    late_approved_report, june, ruzhou_reporter, labour_staff
):
    request = requested(june, ruzhou_reporter, files=[upload("通知.jpg", JPG)])
    assert Notification.objects.filter(user=labour_staff, url__contains=str(request.pk)).exists()
    approved(request, labour_staff)
    events = list(
        AuditEntry.objects.filter(
            object_id=str(request.pk), object_type="reporting.latesubmissionrequest"
        )
        .order_by("id")
        .values_list("event", "before", "after")
    )
    assert [e[0] for e in events] == [
        "reporting.late_request.requested",
        "reporting.late_request.approved",
        "reporting.late_request.counted",
    ]
    assert events[0][2]["files"] == ["通知.jpg"]
    assert events[1][1] == {"status": "confirmed"} and events[1][2] == {"status": "approved"}
    assert events[2][1] == {"late_approved": False} and events[2][2]["figures"] == 5


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "请填写补报理由"), ("晚", "至少 4 个字"), ("长" * 501, "不超过 500 字")],
)
def test_a_bad_reason_is_refused_and_kept_on_the_page(
    client, june, ruzhou_reporter, settings, reason, error
):
    settings.UNIONPLAN_TODAY = "2022-07-21"
    client.force_login(ruzhou_reporter)
    response = client.post(reverse("reporting:late_new", args=[june.pk]), {"reason": reason})
    assert response.status_code == 200
    assert error in response.content.decode() and reason in response.content.decode()
    assert not LateSubmissionRequest.objects.exists()


def test_a_second_open_request_and_one_on_time_are_refused(
    june, may_reform, ruzhou_reporter, settings
):
    requested(june, ruzhou_reporter)
    with pytest.raises(ServiceError, match="已有待审核或已批准"):
        requested(june, ruzhou_reporter)
    with pytest.raises(ServiceError, match="尚未|未到|无需"):
        requested(may_reform, ruzhou_reporter, day="2022-06-01")


def test_the_unit_asks_from_its_report_page_and_the_department_decides_from_its_list(
    client, june, ruzhou_reporter, labour_staff, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-21"
    client.force_login(ruzhou_reporter)
    page = client.get(reverse("reporting:report", args=[june.pk])).content.decode()
    assert reverse("reporting:late_new", args=[june.pk]) in page
    response = client.post(reverse("reporting:late_new", args=[june.pk]), {"reason": REASON})
    request = LateSubmissionRequest.objects.get()
    assert response.url == reverse("reporting:late_request", args=[request.pk])
    client.force_login(labour_staff)
    listing = client.get(reverse("reporting:late_requests")).content.decode()
    assert "待审核" in listing and june.title in listing
    client.post(reverse("reporting:late_approve", args=[request.pk]), {"version": request.version})
    june.refresh_from_db()
    assert june.late_approved
    page = client.get(reverse("reporting:report", args=[june.pk])).content.decode()
    assert "已批准补报" in page


def test_the_bulletin_lists_the_approved_request(
    late_approved_report, june, ruzhou_reporter, labour_staff
):
    approved(requested(june, ruzhou_reporter), labour_staff)
    assert late_requests_text(plan=june.plan, as_of=dt.date(2022, 7, 21)) == []
    lines = late_requests_text(plan=june.plan, as_of=dt.date(2022, 7, 31))
    assert "1项" in lines[0]
    assert lines[1].startswith("1. 汝州市：") and "汛期抗洪抢险" in lines[1]


@pytest.mark.parametrize("units", [2, 8])
def test_the_lists_take_a_fixed_number_of_queries(
    plan_2022, labour_staff, django_assert_num_queries, units
):
    obligations = Obligation.objects.filter(
        plan=plan_2022, programme__number=3, kind="progress", period_end="2022-06-30"
    ).select_related("unit")[:units]
    for o in obligations:
        LateSubmissionRequest.objects.create(
            obligation=o,
            reason=REASON,
            requested_by=labour_staff,
            status="confirmed",
        )
    assert Unit.objects.count() >= units
    with django_assert_num_queries(1):
        rows = late_selectors.late_request_list(actor=labour_staff)
    with django_assert_num_queries(0):
        assert all(r.obligation.unit.short_name and r.requested_by.username for r in rows)
    with django_assert_num_queries(1):
        late_selectors.late_requests_approved(
            plan_id=plan_2022.pk, since=None, until=on_day("2022-12-31")
        )


def on_day(day: str):
    from common import clock

    return clock.start_of(dt.date.fromisoformat(day))
