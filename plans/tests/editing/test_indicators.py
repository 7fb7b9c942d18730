"""Department staff change a running plan's indicators in the browser: the target as the notice
prints it, every change on record, and nothing units have reported left without its
indicator."""

import datetime as dt
from decimal import Decimal

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from plans import extensions
from plans.editing import (
    FieldRefused,
    indicator_add,
    indicator_delete,
    indicator_update,
)
from plans.lifecycle import plan_status_set
from plans.models import Indicator, Programme
from plans.tests.editing.helpers import approve, indicator, new_indicator, plan, typed
from reporting.models import Obligation, ProgressValue
from reporting.services import report_for


def programme(number: int) -> Programme:
    return Programme.objects.get(plan__slug="pingdingshan-2022", number=number)


def refusal(call) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.message


def test_a_target_typed_as_the_notice_prints_it_is_read_with_its_comparator(
    plan_2022, labour_staff
):
    training = indicator("P03-training")
    indicator_update(
        actor=labour_staff, indicator=training, values=typed(training, target="9,000人以上")
    )
    training.refresh_from_db()
    assert (training.target, training.comparator) == (9000, "gte")


def test_money_printed_in_ten_thousands_is_kept_in_yuan_and_shown_as_printed(
    plan_2022, labour_staff
):
    done = indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(name="筹集培训资金", measure="元", target="1000万元以上"),
    )
    money = done.target
    assert (money.target, money.display_measure, money.comparator) == (10**7, "万元", "gte")
    assert money.code.startswith("P03-")


def test_a_fraction_target_is_kept_exactly(plan_2022, labour_staff):
    share = indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(name="建会覆盖率", measure="比例", target="1/3", comparator="gte"),
    ).target
    assert (share.target, share.target_denominator) == (1, 3)


def test_a_change_is_audited_with_what_it_was_and_what_it_became(plan_2022, labour_staff):
    training = indicator("P03-training")
    indicator_update(actor=labour_staff, indicator=training, values=typed(training, target="9000"))
    entry = AuditEntry.objects.get(event="plans.indicator.updated", object_id=str(training.pk))
    assert entry.before == {"target": "8000"}
    assert entry.after["target"] == "9000"
    assert entry.actor == labour_staff


def test_adding_and_deleting_an_indicator_are_audited(plan_2022, labour_staff):
    added = indicator_add(
        actor=labour_staff, programme=programme(3), values=new_indicator(name="新增技能比武")
    ).target
    entry = AuditEntry.objects.get(event="plans.indicator.added", object_id=str(added.pk))
    assert entry.after["name"] == "新增技能比武"
    indicator_delete(actor=labour_staff, indicator=added)
    assert not Indicator.objects.filter(pk=added.pk).exists()
    entry = AuditEntry.objects.get(event="plans.indicator.deleted", object_id=str(added.pk))
    assert entry.before["name"] == "新增技能比武"


def test_nothing_of_a_closed_plan_can_be_changed(plan_2022, labour_staff):
    plan_status_set(plan=plan_2022, status="closed", actor=labour_staff)
    training = indicator("P03-training")
    said = refusal(
        lambda: indicator_update(
            actor=labour_staff, indicator=training, values=typed(training, target="9000")
        )
    )
    assert "已结束" in said
    assert indicator("P03-training").target == 8000


def test_an_indicator_of_an_allocation_table_is_not_deleted(plan_2022, labour_staff):
    said = refusal(
        lambda: indicator_delete(actor=labour_staff, indicator=indicator("P03-craftsmen"))
    )
    assert "任务分解表「深化产业工人队伍建设改革行动任务分解表」中的一列" in said


def test_an_indicator_with_approved_figures_is_not_deleted(plan_2022, labour_staff):
    loose = indicator_add(
        actor=labour_staff, programme=programme(3), values=new_indicator(name="新增技能比武")
    ).target
    approve(loose.code)
    said = refusal(lambda: indicator_delete(actor=labour_staff, indicator=loose))
    assert said.startswith("不能删除指标「新增技能比武」")
    assert "1 个正式数据" in said


def test_an_indicator_with_reports_and_progress_values_is_not_deleted(plan_2022, labour_staff):
    loose = indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(name="新增技能比武", per_unit_scope=["county_city"]),
    ).target
    obligation = Obligation.objects.filter(indicators=loose, unit__code="ruzhou").first()
    assert obligation is not None  # the units in its scope owe it at once
    report = report_for(obligation=obligation)
    ProgressValue.objects.create(report=report, indicator=loose, value=Decimal(2))
    said = refusal(lambda: indicator_delete(actor=labour_staff, indicator=loose))
    assert "1 份单位填报" in said and "1 个已填报的进度值" in said


def test_an_indicator_a_form_computes_is_not_deleted(plan_2022, labour_staff):
    said = refusal(
        lambda: indicator_delete(actor=labour_staff, indicator=indicator("P05-service-teams"))
    )
    assert "统计表「" in said and "的记录据此计算" in said


def test_a_whole_with_parts_is_not_deleted(plan_2022, labour_staff):
    whole = indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(name="培训", target="500", comparator="gte"),
    ).target
    indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(name="其中农民工", target="200", comparator="eq", part_of=whole.code),
    )
    said = refusal(lambda: indicator_delete(actor=labour_staff, indicator=whole))
    assert "它有其中项（「其中农民工」）" in said


def test_the_measure_stays_once_figures_are_reported_in_it(plan_2022, labour_staff):
    approve("P03-training")
    training = indicator("P03-training")
    with pytest.raises(FieldRefused) as caught:
        indicator_update(
            actor=labour_staff, indicator=training, values=typed(training, measure="人次")
        )
    assert caught.value.field == "measure"
    assert "不能再改计量单位（人 → 人次）" in caught.value.message


def test_a_part_larger_than_its_whole_is_refused(plan_2022, labour_staff):
    with pytest.raises(FieldRefused) as caught:
        indicator_add(
            actor=labour_staff,
            programme=programme(3),
            values=new_indicator(
                name="其中农民工培训", target="9000", comparator="eq", part_of="P03-training"
            ),
        )
    assert caught.value.field == "target"
    assert (
        caught.value.message == "其中项目标 9,000 人 大于所属指标「职业技能培训」的目标 8,000 人。"
    )
    assert not Indicator.objects.filter(name="其中农民工培训").exists()


def test_parts_adding_up_to_more_than_their_whole_are_refused(plan_2022, labour_staff):
    part = new_indicator(target="5000", comparator="eq", part_of="P03-training")
    indicator_add(actor=labour_staff, programme=programme(3), values=part)
    said = refusal(lambda: indicator_add(actor=labour_staff, programme=programme(3), values=part))
    assert "目标合计 10,000 人 大于「职业技能培训」的目标 8,000 人" in said


def test_a_whole_lowered_below_its_part_is_refused(plan_2022, labour_staff):
    indicator_add(
        actor=labour_staff,
        programme=programme(3),
        values=new_indicator(
            name="其中农民工", target="5000", comparator="eq", part_of="P03-training"
        ),
    )
    training = indicator("P03-training")
    said = refusal(
        lambda: indicator_update(
            actor=labour_staff, indicator=training, values=typed(training, target="4000")
        )
    )
    assert "其中项「其中农民工」的目标 5,000 人 大于所属指标「职业技能培训」的目标 4,000 人" in said


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"per_unit_min": Decimal(5), "per_unit_max": Decimal(2), "per_unit_scope": ["county"]},
         "per_unit_max", "每单位不超过的数（2）小于不少于的数（5）"),
        ({"per_unit_min": Decimal(5)}, "per_unit_scope", "请选择适用于哪些单位"),
        ({"target": "200项以上", "measure": "人"}, "target", "计量单位「项」与本指标的「人」不同"),
        ({"target": "9000以上", "comparator": "about"}, "comparator", "（左右 ≠ 以上）"),
        ({"target": "9000", "comparator": ""}, "comparator", "有目标值时请选择比较方式"),
        ({"measure": "万元"}, "measure", "计量单位请写「元」，不要写「万元」"),
        ({"target": "一万"}, "target", "不是数字"),
        ({"target": "1/0"}, "target", "分母是正整数"),
        ({"target": "12.345"}, "target", "最多保留两位小数"),
        ({"name": "  "}, "name", "请填写指标名称"),
        ({"part_of": "P03-training"}, "part_of", "一个指标不能是自己的其中项"),
    ],
)  # fmt: skip
def test_what_the_plan_file_reader_would_refuse_is_refused_beside_its_input(
    plan_2022, labour_staff, changes, field, said
):
    training = indicator("P03-training")
    with pytest.raises(FieldRefused) as caught:
        indicator_update(actor=labour_staff, indicator=training, values=typed(training, **changes))
    assert caught.value.field == field
    assert said in caught.value.message
    assert indicator("P03-training").target == 8000


def test_a_due_date_of_another_year_is_refused_as_a_slip(plan_2022, labour_staff):
    training = indicator("P03-training")
    with pytest.raises(FieldRefused) as caught:
        indicator_update(
            actor=labour_staff,
            indicator=training,
            values=typed(training, due=dt.date(2021, 11, 30)),
        )
    assert "不在方案年度 2022 年内" in caught.value.message


def test_saving_it_unchanged_changes_nothing_and_writes_no_entry(plan_2022, labour_staff):
    training = indicator("P03-training")
    done = indicator_update(actor=labour_staff, indicator=training, values=typed(training))
    assert done.message.startswith("没有修改任何内容")
    assert not AuditEntry.objects.filter(event="plans.indicator.updated").exists()


def test_what_apps_above_hold_is_asked_in_the_same_number_of_queries_for_one_or_many(
    plan_2022, django_assert_num_queries
):
    one = {indicator("P03-training").pk}
    many = set(Indicator.objects.filter(plan=plan()).values_list("pk", flat=True)[:20])
    with django_assert_num_queries(6) as first:
        extensions.indicator_uses(indicator_ids=one)
    with django_assert_num_queries(len(first.captured_queries)):
        extensions.indicator_uses(indicator_ids=many)


def test_a_word_typed_in_the_target_wins_over_the_forms_default_of_no_word(plan_2022, labour_staff):
    training = indicator("P03-craftsmen")
    indicator_update(
        actor=labour_staff,
        indicator=training,
        values=typed(training, target="130名以上", comparator="eq"),
    )
    training.refresh_from_db()
    assert (training.target, training.comparator) == (130, "gte")
