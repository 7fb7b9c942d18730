"""The 2022 plan's forms carry the notice's rules: a row that misses a standard is kept and
marked with the reason; a row whose own fields are wrong is refused."""

import datetime as dt
from decimal import Decimal

import pytest

from records.context import RowContext
from records.models import FormDefinition

D = dt.date


@pytest.fixture
def check(plan_2022):
    def check(code, **raw):
        return RowContext(FormDefinition.objects.get(plan=plan_2022, code=code)).check(raw)

    return check


CHILDCARE = {
    "name": "矿区职工子女暑期托管班",
    "host": "汝州市某煤矿工会",
    "place": "职工之家二楼",
    "children": "25",
    "has_agreement": "是",
    "has_insurance": "是",
}


def test_the_2022_plan_declares_its_seventeen_forms_beside_their_programmes(plan_2022):
    forms = {f.code: f.programme.number for f in FormDefinition.objects.filter(plan=plan_2022)}
    assert forms == {
        "competitions": 1,
        "stays": 4,
        "new-form-federations": 4,
        "legal-teams": 5,
        "legal-activities": 5,
        "law-training": 5,
        "risk-screening": 5,
        "rest-batches": 8,
        "stations": 9,
        "breakfast-survey": 10,
        "childcare": 11,
        "nursing-rooms": 11,
        "employment-events": 12,
        "culture": 13,
        "products": 14,
        "consumption-activities": 14,
        "consumption": 14,
    }


def test_childcare_working_days_skip_the_mid_autumn_holiday(check):
    # September 2022 has 22 weekdays; 中秋节 on Monday 12 September is a holiday.
    row = check("childcare", period=("2022-09-01", "2022-09-30"), attendance="480", **CHILDCARE)
    assert row.valid
    assert row.values["working_days"] == 21
    assert row.values["attendance_rate"] == Decimal("91.4")
    assert row.compliant


def test_childcare_counts_a_make_up_saturday_as_a_working_day(check):
    # October 2022: 21 weekdays, less 国庆节 on 3–7 October, plus the make-up working
    # Saturday and Sunday of 8–9 October.
    row = check("childcare", period=("2022-10-01", "2022-10-31"), attendance="400", **CHILDCARE)
    assert row.values["working_days"] == 21 - 5 + 2


def test_childcare_below_the_standards_is_kept_with_every_reason(check):
    raw = {**CHILDCARE, "children": "19", "has_insurance": "否"}
    row = check("childcare", period=("2022-07-11", "2022-08-05"), attendance="200", **raw)
    assert row.valid
    assert row.values["working_days"] == 20
    assert row.issues == [
        "托管规模不足20人",
        "出勤率低于75%",
        "未为托管对象购买人身意外伤害保险",
    ]


def test_childcare_under_twenty_working_days_is_non_compliant(check):
    row = check("childcare", period=("2022-07-11", "2022-08-04"), attendance="400", **CHILDCARE)
    assert row.values["working_days"] == 19
    assert "托管时间不足20个工作日" in row.issues


def test_childcare_attendance_beyond_the_possible_is_refused(check):
    row = check("childcare", period=("2022-07-11", "2022-07-15"), attendance="500", **CHILDCARE)
    assert ("", "累计出勤人次不能多于托管人数 × 托管天数") in row.errors


ROOM = {
    "name": "市人社局爱心母婴室",
    "host": "平顶山市人力资源和社会保障局",
    "address": "平顶山市新华区",
    "opened_on": "2022-05-20",
    "seats": "2",
    "has_staff": "是",
    "has_rules": "是",
    "facilities": "①导向标识和铭牌标识、②明亮私密、防滑地面和垃圾桶、③桌子或储物橱柜、"
    "④电源插座、空调、冰箱或冰柜、消毒柜、⑤卫生间和洗手池、⑥可容纳2人以上的椅子或沙发、"
    "⑦母婴知识、“五期”保护等宣传品",
}


def test_nursing_room_inside_a_unit_meets_the_standard_without_the_public_extras(check):
    row = check("nursing-rooms", kind="单位内部", area="10", **ROOM)
    assert row.valid, row.errors
    assert row.compliant, row.issues


def test_public_nursing_room_needs_the_changing_table_and_ten_square_metres(check):
    row = check("nursing-rooms", kind="公共场所", area="9.5", **ROOM)
    assert row.issues == [
        "面积不足10平方米",
        "公共场所母婴室缺少⑧带安全扣的婴儿尿布台、婴儿床",
    ]


def test_nursing_room_missing_facilities_are_named(check):
    row = check(
        "nursing-rooms", kind="单位内部", area="12", **{**ROOM, "facilities": "③桌子或储物橱柜"}
    )
    assert "缺少①导向标识和铭牌标识" in row.issues
    assert "缺少③桌子或储物橱柜" not in row.issues
    assert len(row.issues) == 6


def test_station_needs_all_six_items_and_a_location(check):
    base = {
        "name": "卫东区环卫驿站",
        "address": "建设路",
        "opened_on": "2022-06-01",
        "host": "卫东区总工会",
    }
    six = "有固定场所、有统一标识、有基本设施、有管理制度、有专人管理、有服务内容"
    assert check("stations", six=six, location="33.74,113.33", **base).compliant
    row = check("stations", six="有固定场所", **base)
    assert row.issues == [
        "未达到“六有”标准（六项须全部具备）",
        "未标注驿站位置，户外劳动者无法在地图上找到",
    ]


def test_consumption_caps_per_member(check):
    base = {
        "unit_name": "汝州市总工会",
        "product": "郏县红牛肉",
        "origin": "我市脱贫摘帽地区",
        "purchased_on": "2022-09-01",
    }
    gifts = check("consumption", method="年度节日慰问品", amount="400000", members="200", **base)
    assert gifts.values["per_member"] == Decimal("2000.00")
    assert gifts.compliant
    over = check("consumption", method="年度节日慰问品", amount="400200", members="200", **base)
    assert over.issues == ["年度节日慰问品人均超过2000元"]
    extra = check(
        "consumption", method="会员农副产品（慰问品之外）", amount="81000", members="100", **base
    )
    assert extra.issues == ["慰问品之外的农副产品人均超过800元"]
    missing = check("consumption", method="年度节日慰问品", amount="1000", **base)
    assert ("", "慰问品和会员农副产品须填写发放会员人数") in missing.errors


def test_consumption_unit_names_go_through_the_resolver(check, plan_2022):
    base = {
        "product": "香菇",
        "origin": "其他",
        "method": "其他",
        "purchased_on": "2022-05-01",
        "amount": "1",
    }
    row = check("consumption", unit_name="郟县总工会", **base)
    assert row.valid
    assert row.values["unit_name"] == plan_2022.units.get(code="jiaxian").pk
    bad = check("consumption", unit_name="乙县工会", **base)
    assert bad.errors == [("unit_name", "无法识别单位「乙县工会」")]


def test_consumption_activity_online_needs_its_platform(check):
    base = {
        "name": "中秋消费惠农展销",
        "period": ("2022-09-01", "2022-09-03"),
        "participants": "300",
        "invested": "5000",
        "driven": "120000.5",
    }
    assert check("consumption-activities", mode="线下", **base).valid
    online = check("consumption-activities", mode="线上", **base)
    assert online.errors == [("", "线上或线上线下结合的活动须填写组织活动平台")]
    assert check("consumption-activities", mode="线上", platform="农购网APP", **base).valid


def test_product_phone_must_be_a_phone_number(check):
    row = check("products", product="宝丰县酒", recommender="李明", phone="3799638")
    assert row.errors == [("phone", "请填写11位手机号或带区号的固定电话（如 0375-3799638）")]
    assert check("products", product="宝丰县酒", recommender="李明", phone="0375-3799638").valid


def test_culture_event_kind_must_be_one_of_the_five(check):
    base = {"name": "送电影进工地", "held_on": "2022-05-10", "place": "工地", "audience": "120"}
    assert check("culture", kind="送电影", **base).valid
    assert check("culture", kind="送温暖", **base).errors[0][0] == "kind"


def test_legal_team_needs_lawyers_and_a_union_cadre(check):
    row = check("legal-teams", name="第一服务分队", formed_on="2022-04-01", lawyers="0")
    assert row.issues == [
        "服务分队应由若干名律师组成（律师人数为 0）",
        "服务分队应有 1 名工会干部",
    ]


def test_rest_batch_needs_a_contract_and_a_survey(check):
    base = {
        "name": "第一批劳模疗休养",
        "kind": "劳模疗休养",
        "period": ("2022-05-23", "2022-05-27"),
        "destination": "劳模休养基地",
        "participants": "40",
    }
    row = check("rest-batches", contract_signed="否", **base)
    assert row.issues == ["每批次开始前须签订疗休养合同", "每批疗休养须开展满意度问卷调查"]
    good = check("rest-batches", contract_signed="是", surveyed="40", satisfied="38", **base)
    assert good.compliant and good.values["satisfaction"] == Decimal("95.0")
    assert check("rest-batches", contract_signed="是", surveyed="4", satisfied="5", **base).errors


def test_competition_beyond_declaration_needs_its_coverage(check):
    base = {
        "name": "全市焊工技能竞赛",
        "level": "市级",
        "category": "职工技能竞赛",
        "organiser": "市总工会",
        "period": ("2022-05-01", "2022-10-31"),
    }
    assert check("competitions", stage="申报", **base).valid
    assert check("competitions", stage="评估", **base).errors == [
        ("", "进入评估或总结阶段的竞赛须填写覆盖职工人数")
    ]


def test_employment_fair_needs_its_employers(check):
    base = {"name": "春风行动招聘会", "held_on": "2022-03-15", "union_hosted": "是"}
    assert check("employment-events", kind="现场招聘会", employers="35", **base).valid
    assert check("employment-events", kind="现场招聘会", **base).errors
    assert check("employment-events", kind="就业创业报告会", **base).valid


def test_required_fields_are_named(check):
    row = check("culture", kind="送书画")
    assert {code for code, reason in row.errors if reason == "必填"} == {
        "name",
        "held_on",
        "place",
        "audience",
    }


def test_deadlines_follow_the_notice(plan_2022):
    def schema(code):
        return FormDefinition.objects.get(plan=plan_2022, code=code).schema

    consumption = schema("consumption")
    assert consumption.late_policy == "exclude"
    assert consumption.deadline.rule_date(D(2022, 5, 1), D(2022, 7, 1)) == D(2022, 6, 15)
    assert consumption.deadline.rule_date(D(2022, 6, 16), D(2022, 7, 1)) == D(2022, 11, 25)
    activity = schema("consumption-activities")
    assert activity.deadline.describe() == "活动起止日期后 7 日内报送"
    assert activity.deadline.rule_date(D(2022, 9, 3), D(2022, 9, 1)) == D(2022, 9, 10)
    culture = schema("culture")
    assert culture.deadline.rule_date(D(2022, 5, 10), D(2022, 5, 10)) == D(2022, 7, 5)
    products = schema("products")
    assert (products.per_unit_min, products.per_unit_max) == (2, 3)
    assert products.deadline.rule_date(None, D(2022, 4, 1)) == D(2022, 4, 15)
