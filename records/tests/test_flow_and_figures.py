"""Rows go through the report flow; approved rows become the figures of the indicators counted
from them, as of any date, leaving out late rows under 逾期未报送不予统计."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEntry
from common.errors import ServiceError
from dashboards.selectors import city_overview, official_values
from orgs.tests.factories import head_of, reporter_of, staff_of
from plans.models import Indicator
from records.models import FormDefinition, Record, RecordApproval
from records.services import (
    RowRefused,
    record_create,
    record_delete,
    record_update,
    records_approve,
    records_confirm,
    records_reopen,
    records_return,
    records_submit,
)

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SH), tick=False
    )


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou"),
        "head": head_of("ruzhou"),
        "culture_staff": staff_of("宣传教育部"),
        "rights_staff": staff_of("权益保障部"),
    }


def form(plan, code):
    return FormDefinition.objects.get(plan=plan, code=code)


def culture_row(plan, reporter, name, held_on):
    return record_create(
        form=form(plan, "culture"),
        unit=reporter.unit,
        actor=reporter,
        raw={"name": name, "kind": "送电影", "held_on": held_on, "place": "工地", "audience": "80"},
    )


def through(
    records, people, *, settings, confirm_on: str, approve_on: str, reviewer="culture_staff"
):
    settings.UNIONPLAN_TODAY = confirm_on
    with at(confirm_on):
        records_submit(items=[(r, None) for r in records], actor=people["reporter"])
        records_confirm(items=[(r, None) for r in records], actor=people["head"])
    settings.UNIONPLAN_TODAY = approve_on
    with at(approve_on):
        records_approve(items=[(r, None) for r in records], reviewer=people[reviewer])
    for r in records:
        r.refresh_from_db()


def test_a_row_is_saved_with_its_due_date_and_audited(plan_2022, people):
    with at("2022-05-12"):
        row = culture_row(plan_2022, people["reporter"], "送电影进工地", "2022-05-10")
    # Second quarter ends 30 June; due 5 July 2022 (a Tuesday).
    assert (row.status, row.due_date, row.reference_date) == (
        "draft",
        D(2022, 7, 5),
        D(2022, 5, 10),
    )
    entry = AuditEntry.objects.get(event="records.record.created", object_id=str(row.pk))
    assert entry.after["data"]["name"] == "送电影进工地"


def test_the_same_row_twice_is_refused_as_a_duplicate(plan_2022, people):
    culture_row(plan_2022, people["reporter"], "送电影进工地", "2022-05-10")
    with pytest.raises(RowRefused, match="已有一条活动名称、活动日期相同的记录"):
        culture_row(plan_2022, people["reporter"], " 送电影进工地 ", "2022/5/10")


def test_another_units_name_cannot_be_entered(plan_2022, people):
    with pytest.raises(RowRefused, match="只能填写本单位（汝州市）的数据"):
        record_create(
            form=form(plan_2022, "consumption"),
            unit=people["reporter"].unit,
            actor=people["reporter"],
            raw={
                "unit_name": "郏县总工会",
                "product": "香菇",
                "origin": "其他",
                "method": "其他",
                "purchased_on": "2022-05-01",
                "amount": "100",
            },
        )


def test_an_edit_records_before_and_after_and_a_stale_edit_is_refused(plan_2022, people):
    row = culture_row(plan_2022, people["reporter"], "送书画", "2022-05-10")
    raw = {
        "name": "送书画",
        "kind": "送书画",
        "held_on": "2022-05-10",
        "place": "社区",
        "audience": "90",
    }
    record_update(record=row, actor=people["reporter"], raw=raw, version=1)
    entry = AuditEntry.objects.get(event="records.record.saved", object_id=str(row.pk))
    assert (entry.before["data"]["audience"], entry.after["data"]["audience"]) == (80, 90)
    with pytest.raises(ServiceError, match="已被他人修改"):
        record_update(record=row, actor=people["reporter"], raw=raw, version=1)


def test_competition_stage_only_moves_forward(plan_2022, people):
    raw = {
        "name": "焊工竞赛",
        "level": "市级",
        "category": "职工技能竞赛",
        "organiser": "汝州市总工会",
        "stage": "推进",
        "period": ("2022-05-01", "2022-09-30"),
    }
    row = record_create(
        form=form(plan_2022, "competitions"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw=raw,
    )
    with pytest.raises(RowRefused, match="不能从「推进」退回到「申报」"):
        record_update(record=row, actor=people["reporter"], raw={**raw, "stage": "申报"}, version=1)
    row = record_update(
        record=row,
        actor=people["reporter"],
        raw={**raw, "stage": "评估", "covered": "300"},
        version=1,
    )
    assert row.data["stage"] == "评估"


def test_only_a_draft_may_be_deleted(plan_2022, people, settings):
    row = culture_row(plan_2022, people["reporter"], "送讲座", "2022-05-10")
    settings.UNIONPLAN_TODAY = "2022-05-12"
    records_submit(items=[(row, 1)], actor=people["reporter"])
    row.refresh_from_db()
    with pytest.raises(ServiceError, match="只有未提交过的草稿可以删除"):
        record_delete(record=row, actor=people["reporter"], version=row.version)
    draft = culture_row(plan_2022, people["reporter"], "送培训", "2022-05-11")
    record_delete(record=draft, actor=people["reporter"], version=1)
    assert not Record.objects.filter(pk=draft.pk).exists()


def test_a_batch_with_one_row_in_the_wrong_state_changes_nothing(plan_2022, people, settings):
    settings.UNIONPLAN_TODAY = "2022-05-12"
    a = culture_row(plan_2022, people["reporter"], "甲", "2022-05-10")
    b = culture_row(plan_2022, people["reporter"], "乙", "2022-05-10")
    records_submit(items=[(a, 1)], actor=people["reporter"])
    a.refresh_from_db()
    with pytest.raises(ServiceError, match="不在待确认状态"):
        records_confirm(items=[(a, a.version), (b, 1)], actor=people["head"])
    a.refresh_from_db()
    assert a.status == "submitted"


def test_return_needs_a_reason_and_reopen_withdraws_the_approval(plan_2022, people, settings):
    row = culture_row(plan_2022, people["reporter"], "送文艺", "2022-05-10")
    through([row], people, settings=settings, confirm_on="2022-05-12", approve_on="2022-05-13")
    assert row.status == "approved"
    with pytest.raises(ServiceError, match="请填写退回原因"):
        records_reopen(items=[(row, row.version)], reviewer=people["culture_staff"], reason=" ")
    with at("2022-06-01"):
        records_reopen(
            items=[(row, row.version)], reviewer=people["culture_staff"], reason="照片不清"
        )
    row.refresh_from_db()
    assert (row.status, row.return_reason) == ("returned", "照片不清")
    assert RecordApproval.objects.get(record=row).withdrawn_at is not None


def test_records_count_toward_their_indicator_as_of_the_approval_date(plan_2022, people, settings):
    deliveries = Indicator.objects.get(plan=plan_2022, code="P13-five-deliveries")
    ruzhou = people["reporter"].unit
    may = [
        culture_row(plan_2022, people["reporter"], f"五月活动{i}", "2022-05-10") for i in range(3)
    ]
    through(may, people, settings=settings, confirm_on="2022-05-20", approve_on="2022-06-02")
    july = [culture_row(plan_2022, people["reporter"], "七月活动", "2022-07-08")]
    through(july, people, settings=settings, confirm_on="2022-07-10", approve_on="2022-07-15")

    def figure(as_of):
        return official_values(plan_2022, as_of).get((ruzhou.pk, deliveries.pk))

    assert figure(D(2022, 5, 31)) is None  # held in May, approved only on 2 June
    assert figure(D(2022, 6, 30)) == Decimal(3)
    assert figure(D(2022, 7, 31)) == Decimal(4)
    # Reopening one row later changes today's figure, not the figure as at 31 July.
    settings.UNIONPLAN_TODAY = "2022-08-05"
    with at("2022-08-05"):
        records_reopen(
            items=[(july[0], july[0].version)], reviewer=people["culture_staff"], reason="重复"
        )
    assert figure(D(2022, 7, 31)) == Decimal(4)
    assert figure(D(2022, 8, 31)) == Decimal(3)
    row = next(
        r
        for r in city_overview(plan=plan_2022, as_of=D(2022, 6, 30)).rows
        if r.indicator == deliveries
    )
    assert (row.achieved, row.tracked) == (Decimal(3), True)


def test_compliant_only_and_filters_decide_what_counts(plan_2022, people, settings):
    rooms = Indicator.objects.get(plan=plan_2022, code="P11-nursing-rooms")
    base = {
        "host": "某单位",
        "address": "汝州市",
        "kind": "单位内部",
        "opened_on": "2022-05-01",
        "seats": "2",
        "has_staff": "是",
        "has_rules": "是",
        "facilities": "①导向标识和铭牌标识、②明亮私密、防滑地面和垃圾桶、③桌子或储物橱柜、"
        "④电源插座、空调、冰箱或冰柜、消毒柜、⑤卫生间和洗手池、⑥可容纳2人以上的椅子或沙发、"
        "⑦母婴知识、“五期”保护等宣传品",
    }
    women = staff_of("女职工部")
    good = record_create(
        form=form(plan_2022, "nursing-rooms"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={**base, "name": "甲室", "area": "12"},
    )
    small = record_create(
        form=form(plan_2022, "nursing-rooms"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={**base, "name": "乙室", "area": "8"},
    )
    assert (good.is_compliant, small.is_compliant) == (True, False)
    settings.UNIONPLAN_TODAY = "2022-05-10"
    with at("2022-05-10"):
        records_submit(items=[(good, 1), (small, 1)], actor=people["reporter"])
        records_confirm(items=[(good, None), (small, None)], actor=people["head"])
        records_approve(items=[(good, None), (small, None)], reviewer=women)
    assert official_values(plan_2022, D(2022, 5, 31))[(people["reporter"].unit_id, rooms.pk)] == 1


def test_late_rows_under_exclude_are_kept_but_not_counted(plan_2022, people, settings):
    # 附件3: due 15 June for purchases up to then; late reports are not counted. The 2022
    # plan counts no indicator from 附件3, so this test sums its money into one.
    from records.models import RecordIndicator

    products = Indicator.objects.get(plan=plan_2022, code="P06-assistance-funds")
    RecordIndicator.objects.create(
        indicator=products, form=form(plan_2022, "consumption"), aggregate="sum", field="amount"
    )
    raw = {
        "unit_name": "汝州市",
        "origin": "其他",
        "method": "其他",
        "purchased_on": "2022-05-20",
        "amount": "1500",
    }
    on_time = record_create(
        form=form(plan_2022, "consumption"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={**raw, "product": "准时"},
    )
    late = record_create(
        form=form(plan_2022, "consumption"),
        unit=people["reporter"].unit,
        actor=people["reporter"],
        raw={**raw, "product": "迟报"},
    )
    through(
        [on_time],
        people,
        settings=settings,
        confirm_on="2022-06-15",
        approve_on="2022-06-16",
        reviewer="rights_staff",
    )
    through(
        [late],
        people,
        settings=settings,
        confirm_on="2022-06-16",
        approve_on="2022-06-17",
        reviewer="rights_staff",
    )
    assert (on_time.is_late, late.is_late) == (False, True)
    assert late.status == "approved"
    assert official_values(plan_2022, D(2022, 6, 30))[
        (people["reporter"].unit_id, products.pk)
    ] == Decimal("1500")


def test_the_department_returns_a_row_with_its_reason_and_the_unit_corrects_it(
    plan_2022, people, settings
):
    row = culture_row(plan_2022, people["reporter"], "送培训", "2022-05-10")
    settings.UNIONPLAN_TODAY = "2022-05-12"
    records_submit(items=[(row, 1)], actor=people["reporter"])
    records_confirm(items=[(row, None)], actor=people["head"])
    with pytest.raises(ServiceError, match="请填写退回原因"):
        records_return(items=[(row, None)], reviewer=people["culture_staff"], reason="")
    records_return(items=[(row, None)], reviewer=people["culture_staff"], reason="地点不具体")
    row.refresh_from_db()
    assert (row.status, row.return_reason, row.editable) == ("returned", "地点不具体", True)
    raw = {
        "name": "送培训",
        "kind": "送培训",
        "held_on": "2022-05-10",
        "place": "某社区",
        "audience": "80",
    }
    row = record_update(record=row, actor=people["reporter"], raw=raw, version=row.version)
    records_submit(items=[(row, row.version)], actor=people["reporter"])
    row.refresh_from_db()
    assert (row.status, row.return_reason) == ("submitted", "")
    events = list(
        AuditEntry.objects.filter(object_id=str(row.pk), event__startswith="records.record.")
        .order_by("at")
        .values_list("event", flat=True)
    )
    assert events[-3:] == [
        "records.record.returned",
        "records.record.saved",
        "records.record.submitted",
    ]
