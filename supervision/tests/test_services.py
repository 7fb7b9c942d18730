import datetime as dt

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from evidence.services import evidence_path
from orgs.tests.factories import staff_of
from plans.editing.milestones import milestone_delete_blockers
from records.tests.web import competition_row
from reporting.tests.files import JPG, PNG, upload
from supervision.models import StepCompletion
from supervision.selectors import federation_steps, step_states
from supervision.services import step_complete, step_schedule, step_undo

APRIL_END = dt.date(2022, 4, 30)


def state(step, as_of):
    return step_states(milestones=[step], as_of=as_of)[step.pk]


def test_a_step_marked_done_with_a_file_is_done_and_the_audit_entry_names_the_file(
    today, april_step, labour_staff
):
    assert state(april_step, today).label == "逾期未完成"
    completion = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="联合市发展改革委印发重点工程建设竞赛通知",
        file=upload("竞赛通知.png", PNG),
    )
    after = state(april_step, today)
    assert (after.state, after.label) == ("done", "已完成（4月25日）")
    [file] = completion.evidence.all()
    assert file.original_name == "竞赛通知.png" and evidence_path(file).exists()
    entry = AuditEntry.objects.get(event="supervision.step.completed")
    assert entry.before == {"state": "逾期未完成"}
    assert entry.after["done_on"] == "2022-04-25"
    assert entry.after["files"] == [{"file": "竞赛通知.png", "sha256": file.sha256}]


def test_a_file_refused_by_its_content_saves_nothing(today, april_step, labour_staff):
    with pytest.raises(ServiceError, match="类型不允许") as refused:
        step_complete(
            milestone=april_step,
            actor=labour_staff,
            due_date=APRIL_END,
            done_on=dt.date(2022, 4, 25),
            note="印发通知",
            file=upload("通知.exe", b"MZ\x90\x00"),
        )
    assert refused.value.field == "file"
    assert not StepCompletion.objects.exists()


def test_undoing_keeps_the_completion_with_its_reason_and_the_step_is_overdue_again(
    today, april_step, labour_staff
):
    completion = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发通知",
        names="重点工程建设竞赛\n绿色发展竞赛",
    )
    step_undo(completion=completion, actor=labour_staff, reason="通知尚未联合印发，误标")
    assert state(april_step, today).label == "逾期未完成"
    completion.refresh_from_db()
    assert (
        completion.undone_by == labour_staff and completion.undo_reason == "通知尚未联合印发，误标"
    )
    entry = AuditEntry.objects.get(event="supervision.step.undone")
    assert entry.before["undone"] is False and entry.after["undone"] is True
    assert entry.after["names"] == ["重点工程建设竞赛", "绿色发展竞赛"]
    assert entry.reason == "通知尚未联合印发，误标"
    with pytest.raises(ServiceError, match="已撤销"):
        step_undo(completion=completion, actor=labour_staff, reason="再撤一次")


def test_an_undone_time_can_be_marked_done_again(today, april_step, labour_staff):
    first = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发通知",
        names="通知",
    )
    step_undo(completion=first, actor=labour_staff, reason="日期写错")
    step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 28),
        note="印发通知",
        names="通知",
    )
    assert state(april_step, today).done_on == dt.date(2022, 4, 28)
    assert StepCompletion.objects.filter(milestone=april_step).count() == 2


@pytest.mark.parametrize(
    ("as_of", "label"),
    [
        ("2022-05-10", "待完成"),
        ("2022-05-31", "待完成"),
        ("2022-06-01", "逾期未完成"),
        ("2022-06-10", "逾期未完成"),
        ("2022-06-19", "逾期未完成"),
        ("2022-06-20", "已完成（6月20日）"),
        ("2022-07-20", "已完成（6月20日）"),
    ],
)
def test_a_step_due_31_may_and_done_on_20_june_is_overdue_between_the_two(
    today, may_step, labour_staff, as_of, label
):
    step_complete(
        milestone=may_step,
        actor=labour_staff,
        due_date=dt.date(2022, 5, 31),
        done_on=dt.date(2022, 6, 20),
        note="印发疗休养活动计划",
        names="劳模疗休养活动计划",
    )
    assert state(may_step, dt.date.fromisoformat(as_of)).label == label


def test_a_quarterly_step_is_done_one_quarter_at_a_time(today, quarterly_step):
    centre = staff_of("职工服务中心", username="centre-staff")
    assert [o.due for o in state(quarterly_step, today).occurrences] == [
        dt.date(2022, 6, 30),
        dt.date(2022, 9, 30),
        dt.date(2022, 12, 31),
    ]
    step_complete(
        milestone=quarterly_step,
        actor=centre,
        due_date=dt.date(2022, 6, 30),
        done_on=dt.date(2022, 6, 16),
        note="第二季度线上心理健康讲座",
        file=upload("讲座.jpg", JPG),
    )
    status = state(quarterly_step, today)
    assert [o.label for o in status.occurrences] == ["已完成（6月16日）", "待完成", "未开始"]
    assert status.label == "待完成"
    with pytest.raises(ServiceError, match="已于 2022-06-16 标记完成"):
        step_complete(
            milestone=quarterly_step,
            actor=centre,
            due_date=dt.date(2022, 6, 30),
            done_on=dt.date(2022, 6, 17),
            note="重复",
            names="x",
        )
    with pytest.raises(ServiceError, match="没有截止于 2022-08-31"):
        step_complete(
            milestone=quarterly_step,
            actor=centre,
            due_date=dt.date(2022, 8, 31),
            done_on=dt.date(2022, 7, 1),
            note="不存在的一次",
            names="x",
        )


def test_only_the_steps_own_departments_may_mark_it_done(
    today, quarterly_step, labour_staff, organisation_staff
):
    # 专案8 is 劳动和经济工作部's too, but the lectures name 职工服务中心 alone.
    for stranger in (labour_staff, organisation_staff):
        with pytest.raises(ServiceError, match="责任部门"):
            step_complete(
                milestone=quarterly_step,
                actor=stranger,
                due_date=dt.date(2022, 6, 30),
                done_on=dt.date(2022, 6, 16),
                note="讲座",
                names="x",
            )
    [lectures] = [
        s
        for s in federation_steps(plan=quarterly_step.programme.plan, as_of=today)
        if s.milestone == quarterly_step
    ]
    assert [d.name for d in lectures.departments] == ["职工服务中心"]


@pytest.mark.parametrize(
    ("typed", "field", "said"),
    [
        ({"done_on": dt.date(2022, 7, 21)}, "done_on", "不能晚于今天"),
        ({"done_on": dt.date(2021, 12, 31)}, "done_on", "2022 年内或之后"),
        ({"note": "  "}, "note", "请填写完成情况"),
        ({"names": ""}, "file", "至少一项"),
        ({"record_pk": 999999}, "record", "第 999999 条"),
        ({"names": "长" * 101}, "names", "每行不超过 100 字"),
    ],
)
def test_a_completion_is_refused_beside_the_input_at_fault(
    today, april_step, labour_staff, typed, field, said
):
    values = {"done_on": dt.date(2022, 4, 25), "note": "印发通知", "names": "通知", **typed}
    with pytest.raises(ServiceError, match=said) as refused:
        step_complete(milestone=april_step, actor=labour_staff, due_date=APRIL_END, **values)
    assert refused.value.field == field
    assert not StepCompletion.objects.exists()


def test_a_form_row_of_the_plan_is_linked_as_the_deliverable(
    today, plan_2022, april_step, labour_staff, ruzhou_reporter
):
    row = competition_row(plan_2022, ruzhou_reporter, "岗位练兵")
    completion = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="竞赛项目已登记",
        record_pk=row.pk,
    )
    assert completion.record == row
    assert AuditEntry.objects.get(event="supervision.step.completed").after["record"] == row.pk


def test_a_timely_step_is_dated_by_its_department_and_overdue_after_that_date(
    today, timely_step, labour_staff
):
    assert state(timely_step, today).label == "未定日期"
    with pytest.raises(ServiceError, match="请先确定日期"):
        step_complete(
            milestone=timely_step,
            actor=labour_staff,
            due_date=dt.date(2022, 7, 15),
            done_on=dt.date(2022, 7, 15),
            note="召开推进会",
            names="x",
        )
    step_schedule(milestone=timely_step, actor=labour_staff, due_date=dt.date(2022, 9, 15))
    assert state(timely_step, today).label == "待完成"
    assert state(timely_step, dt.date(2022, 9, 16)).label == "逾期未完成"
    step_schedule(milestone=timely_step, actor=labour_staff, due_date=dt.date(2022, 7, 15))
    [first, moved] = AuditEntry.objects.filter(event="supervision.step.scheduled").order_by("pk")
    assert first.before is None and first.after["due_date"] == "2022-09-15"
    assert moved.before == {"due_date": "2022-09-15"} and moved.after["due_date"] == "2022-07-15"
    step_complete(
        milestone=timely_step,
        actor=labour_staff,
        due_date=dt.date(2022, 7, 15),
        done_on=dt.date(2022, 7, 14),
        note="召开现场观摩推进会",
        file=upload("会议.jpg", JPG),
    )
    with pytest.raises(ServiceError, match="不能改日期"):
        step_schedule(milestone=timely_step, actor=labour_staff, due_date=dt.date(2022, 8, 1))


def test_a_step_with_a_date_in_the_plan_is_not_given_another(today, april_step, labour_staff):
    with pytest.raises(ServiceError, match="已有日期"):
        step_schedule(milestone=april_step, actor=labour_staff, due_date=dt.date(2022, 5, 1))


def test_a_step_marked_done_is_not_deleted_in_the_plan_editor(today, april_step, labour_staff):
    assert milestone_delete_blockers(milestone=april_step) == []
    step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发通知",
        names="通知",
    )
    assert milestone_delete_blockers(milestone=april_step) == ["1 次标记完成（本部门工作节点）"]
