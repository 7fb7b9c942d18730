import datetime as dt

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs.models import Unit
from reporting.models import Notification
from reporting.tests.files import upload
from supervision import notice_services as services
from supervision.models import SupervisionNotice
from supervision.notices import overdue_kind, sign_by_date
from supervision.tests.notice_helpers import issue, replied

Status = SupervisionNotice.Status


@pytest.fixture(autouse=True)
def today(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"


def entry(notice, event):
    return AuditEntry.objects.get(
        object_type="supervision.supervisionnotice", object_id=str(notice.pk), event=event
    )


def test_issuing_to_two_units_makes_one_notice_each_with_one_reference_and_tells_their_heads(
    plan_2022, labour_staff, ruzhou_head
):
    notices = issue(plan_2022, labour_staff, "ruzhou", "jiaxian")
    assert sorted(n.unit.code for n in notices) == ["jiaxian", "ruzhou"]
    assert {n.reference for n in notices} == {"督办〔2022〕1号"}
    assert {n.sign_by for n in notices} == {dt.date(2022, 7, 22)}  # Wednesday + 2 working days
    assert issue(plan_2022, labour_staff)[0].reference == "督办〔2022〕2号"
    note = Notification.objects.filter(user=ruzhou_head).order_by("pk").first()
    assert "督办〔2022〕1号" in note.message and "7月22日前签收" in note.message
    after = entry(notices[0], "supervision.notice.issued").after
    assert after["subject"] == "推进职工书屋建设" and after["status"] == "issued"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"reason": ""}, "reason"),
        ({"due_date": dt.date(2022, 7, 19)}, "due_date"),
        ({"due_date": dt.date(2022, 7, 21)}, "due_date"),  # before the sign-by date
        ({"units": []}, "units"),
    ],
)
def test_an_issue_with_a_missing_or_wrong_input_is_refused_beside_that_input(
    plan_2022, labour_staff, change, field
):
    args = {
        "plan": plan_2022,
        "actor": labour_staff,
        "units": [Unit.objects.get(code="ruzhou")],
        "subject": "督办",
        "reason": "原因",
        "due_date": dt.date(2022, 8, 5),
    } | change
    with pytest.raises(services.NoticeRefused) as refused:
        services.notice_issue(**args)
    assert refused.value.field == field
    assert not SupervisionNotice.objects.exists()


def test_only_department_staff_issue(plan_2022, ruzhou_head, leader):
    for actor in (ruzhou_head, leader):
        with pytest.raises(ServiceError, match="部门工作人员"):
            issue(plan_2022, actor)


def test_the_whole_flow_moves_through_sign_reply_return_reply_close_each_step_audited(
    plan_2022, labour_staff, ruzhou_head, ruzhou_reporter
):
    [notice] = issue(plan_2022, labour_staff)
    notice = services.notice_sign(notice=notice, actor=ruzhou_head)
    assert notice.status == Status.SIGNED and notice.signed_by == ruzhou_head
    assert Notification.objects.filter(user=ruzhou_reporter, message__contains="签收").exists()
    notice = services.notice_reply(notice=notice, actor=ruzhou_reporter, measures="已整改")
    assert Notification.objects.filter(user=labour_staff, message__contains="请审核办结").exists()
    notice = services.notice_return(notice=notice, actor=labour_staff, reason="缺少照片")
    assert notice.status == Status.RETURNED
    assert Notification.objects.filter(user=ruzhou_reporter, message__contains="缺少照片").exists()
    notice = services.notice_reply(
        notice=notice,
        actor=ruzhou_head,
        measures="已整改并补充照片",
        files=[upload("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)],
    )
    notice = services.notice_close(notice=notice, actor=labour_staff)
    assert notice.status == Status.CLOSED and notice.closed_by == labour_staff
    events = list(
        AuditEntry.objects.filter(
            object_type="supervision.supervisionnotice", object_id=str(notice.pk)
        )
        .order_by("id")
        .values_list("event", "before__status", "after__status")
    )
    assert events == [
        ("supervision.notice.issued", None, "issued"),
        ("supervision.notice.signed", "issued", "signed"),
        ("supervision.notice.replied", "signed", "replied"),
        ("supervision.notice.returned", "replied", "returned"),
        ("supervision.notice.replied", "returned", "replied"),
        ("supervision.notice.closed", "replied", "closed"),
    ]
    second = AuditEntry.objects.filter(event="supervision.notice.replied").order_by("id").last()
    assert second.before["measures"] == "已整改"
    assert second.after["measures"] == "已整改并补充照片"
    assert [f["file"] for f in second.after["files"]] == ["现场.jpg"]


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("sign", {"head"}), ("reply", {"head", "reporter"}), ("close", {"staff"})],
)
def test_each_step_is_taken_only_by_its_role(
    plan_2022,
    labour_staff,
    organisation_staff,
    ruzhou_head,
    ruzhou_reporter,
    jiaxian_reporter,
    leader,
    action,
    allowed,
):
    people = {
        "head": ruzhou_head,
        "reporter": ruzhou_reporter,
        "staff": labour_staff,
        "other_department": organisation_staff,
        "other_unit": jiaxian_reporter,
        "leader": leader,
    }
    [notice] = issue(plan_2022, labour_staff)
    if action in ("reply", "close"):
        notice = services.notice_sign(notice=notice, actor=ruzhou_head)
    if action == "close":
        notice = services.notice_reply(notice=notice, actor=ruzhou_reporter, measures="已办理")
    service = {
        "sign": services.notice_sign,
        "close": services.notice_close,
        "reply": lambda **kw: services.notice_reply(measures="办理", **kw),
    }[action]
    for name, person in people.items():
        if name in allowed:
            continue
        with pytest.raises(ServiceError, match="您不能对该督办单执行"):
            service(notice=notice, actor=person)
    for name in allowed:
        assert service(notice=notice, actor=people[name]).version == notice.version + 1
        break


def test_a_step_in_the_wrong_state_is_refused_in_chinese(plan_2022, labour_staff, ruzhou_head):
    [notice] = issue(plan_2022, labour_staff)
    with pytest.raises(ServiceError, match="只有待办结的督办单可以办结"):
        services.notice_close(notice=notice, actor=labour_staff)
    services.notice_sign(notice=notice, actor=ruzhou_head)
    with pytest.raises(ServiceError, match="只有待签收的督办单可以签收"):
        services.notice_sign(notice=notice, actor=ruzhou_head)


def test_a_stale_page_cannot_move_a_notice_twice(plan_2022, labour_staff, ruzhou_head):
    [notice] = issue(plan_2022, labour_staff)
    services.notice_sign(notice=notice, actor=ruzhou_head, version=1)
    with pytest.raises(ServiceError, match="刚刚已被他人处理"):
        services.notice_sign(notice=notice, actor=ruzhou_head, version=1)


def test_a_reply_with_a_file_that_is_not_what_it_says_keeps_nothing(
    plan_2022, labour_staff, ruzhou_head, ruzhou_reporter
):
    [notice] = issue(plan_2022, labour_staff)
    services.notice_sign(notice=notice, actor=ruzhou_head)
    with pytest.raises(services.NoticeRefused) as refused:
        services.notice_reply(
            notice=notice, actor=ruzhou_reporter, measures="已办理", files=[upload("假.jpg", b"MZ")]
        )
    assert refused.value.field == "files"
    notice.refresh_from_db()
    assert notice.status == Status.SIGNED and notice.measures == ""


def test_a_return_needs_a_reason(plan_2022, labour_staff, ruzhou_head, ruzhou_reporter):
    notice = replied(plan_2022, labour_staff, ruzhou_head, ruzhou_reporter)
    with pytest.raises(services.NoticeRefused, match="请填写退回原因"):
        services.notice_return(notice=notice, actor=labour_staff, reason=" ")


def test_the_sign_by_date_counts_working_days_over_a_weekend_and_a_holiday(plan_2022):
    assert sign_by_date(dt.date(2022, 7, 22), days=2) == dt.date(2022, 7, 26)  # Friday → Tuesday
    # 30 September, then 国庆节 1–7 October, then Saturday 8 October, a 调休 working day.
    assert sign_by_date(dt.date(2022, 9, 29), days=2) == dt.date(2022, 10, 8)


def test_a_plan_giving_five_sign_days_sets_the_sign_by_date_five_working_days_on(
    plan_2022, labour_staff, settings
):
    plan_2022.sign_days = 5
    plan_2022.save(update_fields=["sign_days"])
    settings.UNIONPLAN_TODAY = "2022-09-29"
    # 30 September; 国庆节 1–7 October; the 调休 weekend 8–9 October; Monday 10; Tuesday 11.
    with pytest.raises(services.NoticeRefused, match="下发后第 5 个工作日"):
        issue(plan_2022, labour_staff, due=dt.date(2022, 10, 10))
    [notice] = issue(plan_2022, labour_staff, due=dt.date(2022, 10, 20))
    assert notice.sign_by == dt.date(2022, 10, 11)
    assert overdue_kind(notice, dt.date(2022, 10, 11)) == ""
    assert overdue_kind(notice, dt.date(2022, 10, 12)) == "逾期未签收"


def test_a_notice_issued_on_friday_is_overdue_unsigned_only_after_tuesday(
    plan_2022, labour_staff, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-22"
    [notice] = issue(plan_2022, labour_staff)
    assert notice.sign_by == dt.date(2022, 7, 26)
    assert overdue_kind(notice, dt.date(2022, 7, 25)) == ""
    assert overdue_kind(notice, dt.date(2022, 7, 26)) == ""
    assert overdue_kind(notice, dt.date(2022, 7, 27)) == "逾期未签收"


def test_a_signed_notice_is_overdue_unanswered_after_its_due_date(
    plan_2022, labour_staff, ruzhou_head
):
    [notice] = issue(plan_2022, labour_staff, due=dt.date(2022, 8, 5))
    notice = services.notice_sign(notice=notice, actor=ruzhou_head)
    assert overdue_kind(notice, dt.date(2022, 8, 5)) == ""
    assert overdue_kind(notice, dt.date(2022, 8, 6)) == "逾期未办理"
