"""Department staff change a running plan's dated steps: the units' obligations follow the new
dates, and what a unit has already reported stays."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from plans import extensions
from plans.editing import (
    FieldRefused,
    MilestoneInput,
    milestone_add,
    milestone_delete,
    milestone_update,
)
from plans.lifecycle import plan_status_set
from plans.models import Milestone, Programme
from plans.tests.editing.helpers import step, step_typed
from reporting.models import Obligation
from reporting.services import report_for

# 专案2's first step: 各县（市、区）、功能区、产业工会 send their 实施方案 by the end of April.
NUMBER, ORDER = 2, 0


def owed(milestone) -> dict[dt.date, set[str]]:
    by_date: dict[dt.date, set[str]] = {}
    for due, unit in Obligation.objects.filter(milestone=milestone).values_list(
        "period_end", "unit__code"
    ):
        by_date.setdefault(due, set()).add(unit)
    return by_date


def test_moving_a_steps_date_moves_what_units_owe_with_what_was_reported(plan_2022, labour_staff):
    plan_step = step(NUMBER, ORDER)
    before = owed(plan_step)
    assert list(before) == [dt.date(2022, 4, 30)]
    units = before[dt.date(2022, 4, 30)]
    report = report_for(obligation=Obligation.objects.get(milestone=plan_step, unit__code="ruzhou"))

    done = milestone_update(
        actor=labour_staff,
        milestone=plan_step,
        values=step_typed(plan_step, when={"due": "2022-05-31"}),
    )

    # Each unit still owes it once, at the new date; ruzhou's report moved with it rather
    # than a second, already-overdue obligation being made beside it.
    assert owed(plan_step) == {dt.date(2022, 5, 31): units}
    assert (
        Obligation.objects.get(milestone=plan_step, unit__code="ruzhou").pk == report.obligation_id
    )
    assert done.obligations["added"] == 0
    assert done.obligations["removed"] == 0
    assert done.obligations["moved"] == len(units)
    assert f"{len(units)} 项的截止日期随之调整" in done.message


def test_a_step_split_into_two_dates_owes_the_new_date_and_keeps_what_was_reported(
    plan_2022, labour_staff
):
    plan_step = step(NUMBER, ORDER)
    units = owed(plan_step)[dt.date(2022, 4, 30)]
    report_for(obligation=Obligation.objects.get(milestone=plan_step, unit__code="ruzhou"))

    done = milestone_update(
        actor=labour_staff,
        milestone=plan_step,
        values=step_typed(plan_step, when={"dates": ["2022-05-31", "2022-09-30"]}),
    )

    after = owed(plan_step)
    assert after[dt.date(2022, 5, 31)] == units
    assert after[dt.date(2022, 4, 30)] == {"ruzhou"}  # reported on: kept
    assert done.obligations["kept"] == 1
    assert "1 项已有单位填报，不再应报也保留" in done.message


def test_a_date_change_is_audited_in_the_notices_words(plan_2022, labour_staff):
    plan_step = step(NUMBER, ORDER)
    milestone_update(
        actor=labour_staff,
        milestone=plan_step,
        values=step_typed(plan_step, when={"due": "2022-05-31"}),
    )
    entry = AuditEntry.objects.get(event="plans.milestone.updated", object_id=str(plan_step.pk))
    assert entry.before["described"] == "2022年4月30日前"
    assert entry.after["described"] == "2022年5月31日前"
    assert entry.after["when"] == {"due": "2022-05-31"}
    assert entry.after["obligations"]["moved"] > 0


def test_a_step_added_for_the_units_is_owed_by_them_at_once(plan_2022, labour_staff):
    programme = Programme.objects.get(plan=plan_2022, number=3)
    done = milestone_add(
        actor=labour_staff,
        programme=programme,
        values=MilestoneInput(
            title="报送工匠人才选树情况",
            when={"recurring": "quarterly", "start": "2022-04-01", "end": "2022-12-31"},
            actor="units",
            actor_scope=["county"],
            deliverable="工匠人才选树情况",
            deliver_to="劳动和经济工作部",
        ),
    )
    made = done.target
    counties = set(plan_2022.units.filter(kind="county").values_list("code", flat=True))
    assert owed(made) == {
        dt.date(2022, 6, 30): counties,
        dt.date(2022, 9, 30): counties,
        dt.date(2022, 12, 31): counties,
    }
    assert done.obligations["added"] == 3 * len(counties)
    entry = AuditEntry.objects.get(event="plans.milestone.added", object_id=str(made.pk))
    assert entry.after["described"] == "2022年4月1日至2022年12月31日，每季度"


def test_a_step_units_have_reported_on_is_not_deleted(plan_2022, labour_staff):
    plan_step = step(NUMBER, ORDER)
    report_for(obligation=Obligation.objects.get(milestone=plan_step, unit__code="ruzhou"))
    with pytest.raises(ServiceError) as caught:
        milestone_delete(actor=labour_staff, milestone=plan_step)
    assert caught.value.message.startswith(f"不能删除时间节点「{plan_step.title}」：已有1 份")
    assert Milestone.objects.filter(pk=plan_step.pk).exists()


def test_a_step_nobody_reported_on_is_deleted_with_its_obligations_and_audited(
    plan_2022, labour_staff
):
    plan_step = step(NUMBER, ORDER)
    pk = plan_step.pk
    done = milestone_delete(actor=labour_staff, milestone=plan_step)
    assert not Milestone.objects.filter(pk=pk).exists()
    assert not Obligation.objects.filter(milestone_id=pk).exists()
    entry = AuditEntry.objects.get(event="plans.milestone.deleted", object_id=str(pk))
    assert entry.before["title"] == plan_step.title
    assert done.message.startswith(f"已删除时间节点「{plan_step.title}」")


def test_a_step_of_a_closed_plan_is_not_changed(plan_2022, labour_staff):
    plan_status_set(plan=plan_2022, status="closed", actor=labour_staff)
    plan_step = step(NUMBER, ORDER)
    with pytest.raises(ServiceError) as caught:
        milestone_update(
            actor=labour_staff,
            milestone=plan_step,
            values=step_typed(plan_step, when={"due": "2022-05-31"}),
        )
    assert "已结束" in caught.value.message


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"when": {"start": "2022-06-01", "end": "2022-04-30"}}, "when", "早于开始日期"),
        ({"when": {"due": "2021-04-30"}}, "when", "不在方案年度 2022 年内"),
        ({"actor_scope": []}, "actor_scope", "请选择承办的单位"),
        ({"deliver_to": "办公室之外"}, "deliver_to", "不是本工会或本工会的部门"),
        ({"actor_departments": ["不存在部"]}, "actor_departments", "不是本工会的部门"),
        ({"title": ""}, "title", "请填写事项"),
    ],
)
def test_what_the_plan_file_reader_would_refuse_of_a_step_is_refused(
    plan_2022, labour_staff, changes, field, said
):
    plan_step = step(NUMBER, ORDER)
    with pytest.raises(FieldRefused) as caught:
        milestone_update(
            actor=labour_staff, milestone=plan_step, values=step_typed(plan_step, **changes)
        )
    assert caught.value.field == field
    assert said in caught.value.message
    assert step(NUMBER, ORDER).end_date == dt.date(2022, 4, 30)


def test_what_is_held_of_steps_is_asked_in_one_query_per_app_for_one_or_many(
    plan_2022, django_assert_num_queries
):
    many = set(Milestone.objects.filter(programme__plan=plan_2022).values_list("pk", flat=True))
    one = {step(NUMBER, ORDER).pk}
    # reporting's units' reports and supervision's completions of the federation's steps
    with django_assert_num_queries(2):
        extensions.milestone_uses(milestone_ids=one)
    with django_assert_num_queries(2):
        extensions.milestone_uses(milestone_ids=many)
