"""The registers the 2022 notice asks for without a table of its own (蹲点, 新业态工会联合会,
环卫工人早餐调研, 普法轮训, 风险排查, 托管 site and safety, 母婴室 use) are forms of its plan
file, and judge rows by the notice's own words."""

import pytest

from records.services.rows import RowRefused, record_create
from records.tests.web import childcare_row, form


def _row(plan, reporter, code, raw):
    return record_create(form=form(plan, code), unit=reporter.unit, actor=reporter, raw=raw)


def _stay(plan, reporter, start, end):
    return _row(
        plan,
        reporter,
        "stays",
        {
            "group": "市总第一蹲点组",
            "place_kind": "新业态工会联合会",
            "place": "汝州市新业态工会联合会",
            "period": [start, end],
        },
    )


def test_a_stay_of_two_whole_months_meets_the_notice(plan_2022, ruzhou_reporter):
    record = _stay(plan_2022, ruzhou_reporter, "2022-05-15", "2022-07-14")
    assert record.is_compliant
    assert record.data["months"] == 2


def test_a_stay_a_day_short_of_two_months_is_flagged(plan_2022, ruzhou_reporter):
    record = _stay(plan_2022, ruzhou_reporter, "2022-05-15", "2022-07-13")
    assert not record.is_compliant
    assert "蹲点时间不足2个月" in record.issues


def test_a_childcare_class_teaching_school_subjects_is_not_compliant(plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter, no_tutoring="否")
    assert not record.is_compliant
    assert "托管班不得组织学科类培训和授课" in record.issues


def test_a_childcare_class_cooking_without_a_licence_is_not_compliant(plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter, meals="自行配餐", meal_licence="否")
    assert not record.is_compliant
    assert any("餐饮服务许可" in issue for issue in record.issues)


def test_a_childcare_class_entered_before_the_safety_items_stays_compliant(
    plan_2022, ruzhou_reporter
):
    assert childcare_row(plan_2022, ruzhou_reporter).is_compliant


def test_a_breakfast_survey_without_a_supplier_contract_is_flagged(plan_2022, ruzhou_reporter):
    record = _row(
        plan_2022,
        ruzhou_reporter,
        "breakfast-survey",
        {
            "responsible": "汝州市城市管理局",
            "surveyed_on": "2022-04-20",
            "funding": ["财政资金", "工会经费"],
            "subsidy": "5",
            "diners": "860",
            "points": "12",
            "tendered": "是",
            "contract": "否",
            "inspections": "3",
        },
    )
    assert record.issues == ["未与供餐企业签订长期合同"]


def test_a_risk_marked_resolved_needs_the_day_it_was_resolved(plan_2022, ruzhou_reporter):
    raw = {
        "enterprise": "某建筑公司",
        "found_on": "2022-06-01",
        "kind": "拖欠工资",
        "workers": "35",
        "status": "已化解",
    }
    with pytest.raises(RowRefused, match="已化解的请填写化解日期"):
        _row(plan_2022, ruzhou_reporter, "risk-screening", raw)
    record = _row(plan_2022, ruzhou_reporter, "risk-screening", dict(raw, resolved_on="2022-06-20"))
    assert record.is_compliant


def test_a_nursing_room_reports_its_satisfaction(plan_2022, ruzhou_reporter):
    record = _row(
        plan_2022,
        ruzhou_reporter,
        "nursing-rooms",
        {
            "name": "汝州市工人文化宫母婴室",
            "host": "汝州市工人文化宫",
            "address": "汝州市广成路",
            "kind": "单位内部",
            "opened_on": "2022-05-10",
            "area": "12",
            "seats": "2",
            "facilities": ["①导向标识和铭牌标识"],
            "has_staff": "是",
            "has_rules": "是",
            "surveyed": "40",
            "satisfied": "38",
        },
    )
    assert str(record.data["satisfaction"]) == "95.0"


def test_a_new_form_federation_without_its_service_site_is_flagged(plan_2022, ruzhou_reporter):
    raw = {"name": "汝州市新就业形态工会联合会", "level": "县级", "founded_on": "2022-05-20"}
    record = _row(plan_2022, ruzhou_reporter, "new-form-federations", dict(raw, service_site="否"))
    assert record.issues == ["未按“会、站、家”一体建设要求打造线下服务实体"]
    with pytest.raises(RowRefused, match="请填写其地址"):
        _row(plan_2022, ruzhou_reporter, "new-form-federations", dict(raw, service_site="是"))


def test_a_law_training_session_is_kept_with_its_kind_and_attendance(plan_2022, ruzhou_reporter):
    record = _row(
        plan_2022,
        ruzhou_reporter,
        "law-training",
        {
            "kind": "“八五”普法送教上门",
            "held_on": "2022-06-08",
            "audience": "平煤神马集团工会",
            "trainees": "120",
        },
    )
    assert record.data["kind"] == "“八五”普法送教上门" and record.data["trainees"] == 120
    with pytest.raises(RowRefused, match="活动类型"):
        _row(plan_2022, ruzhou_reporter, "law-training", dict(record.data, kind="线上直播"))
