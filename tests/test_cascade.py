"""A province → city → county chain of plans: each level's share in its parent's table is its
own plan's target, its approved figures prefill its report to the parent, which the parent
reviews as any other; the province's leaders follow a city's row into the city's plan and on
into the county's, read-only, and nobody else crosses a federation's border."""

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from common.errors import ServiceError
from dashboards.tests.test_selectors import approve
from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory, head_of, reporter_of
from orgs.tests.personas import force_login_verified
from plans.cascade import load_problems
from plans.lifecycle import plan_status_set
from plans.models import Allocation, Indicator, Plan
from plans.planfile.spec import PlanFileInvalid, read_plan_file
from plans.services import plan_load
from reporting.models import Obligation
from reporting.services import obligations_generate

PROVINCE = """
plan: {slug: hn-2022, title: 河南省工会2022年重点工作, year: 2022, issuer: 河南省总工会,
       doc_number: 豫工文〔2022〕12号, issued_on: 2022-03-01, progress: {from: 2022-04-01}}
departments: [{name: 女职工部}]
units:
  - {code: hn, name: 河南省总工会, short_name: 省总工会, kind: province}
  - {code: hn-cs, name: 测试市总工会, short_name: 测试市, kind: city, parent: 河南省总工会}
  - {code: hn-qt, name: 其他市总工会, short_name: 其他市, kind: city, parent: 河南省总工会}
programmes:
  - number: 1
    title: 母婴关爱专案
    category: practical_matter
    departments: [{name: 女职工部, source: text}]
    indicators:
      - {code: H01, name: 新建爱心母婴室, measure: 个, target: 100, comparator: gte}
    tables:
      - code: HT1
        title: 爱心母婴室任务分解表
        columns: [{indicator: H01, header: 母婴室（个）}]
        rows: [[测试市总工会, 30], [其他市总工会, 70]]
        total: [100]
"""

CITY = """
plan: {slug: cs-2022, title: 测试市工会2022年重点工作, year: 2022, issuer: 测试市总工会,
       parent: hn-2022, doc_number: 测工〔2022〕1号, issued_on: 2022-03-15,
       progress: {from: 2022-04-01}}
departments: [{name: 女职工部}]
units:
  - {code: hn-cs, name: 测试市总工会, short_name: 市总工会, kind: city}
  - {code: cs-jia, name: 甲县总工会, short_name: 甲县, kind: county, parent: 测试市总工会}
  - {code: cs-yi, name: 乙县总工会, short_name: 乙县, kind: county, parent: 测试市总工会}
programmes:
  - number: 1
    title: 母婴关爱专案
    category: practical_matter
    departments: [{name: 女职工部, source: text}]
    indicators:
      - {code: C01, name: 新建爱心母婴室, measure: 个, serves: H01}
    tables:
      - code: CT1
        title: 爱心母婴室任务分解表
        columns: [{indicator: C01, header: 母婴室（个）}]
        rows: [[甲县总工会, 12], [乙县总工会, 18]]
"""

COUNTY = """
plan: {slug: jia-2022, title: 甲县工会2022年重点工作, year: 2022, issuer: 甲县总工会,
       parent: cs-2022, doc_number: 甲工〔2022〕2号, issued_on: 2022-03-20,
       progress: {from: 2022-04-01}}
departments: [{name: 办公室}]
units:
  - {code: cs-jia, name: 甲县总工会, short_name: 县总工会, kind: county}
  - {code: jia-a, name: 甲县纺织厂工会, short_name: 纺织厂, kind: grassroots, parent: 甲县总工会}
programmes:
  - number: 1
    title: 母婴关爱专案
    category: practical_matter
    departments: [{name: 办公室, source: text}]
    indicators:
      - {code: J01, name: 新建爱心母婴室, measure: 个, serves: C01}
    tables:
      - code: JT1
        title: 爱心母婴室任务分解表
        columns: [{indicator: J01, header: 母婴室（个）}]
        rows: [[甲县纺织厂工会, 12]]
"""


def spec_of(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_plan_file(path)


def load(tmp_path, text, name):
    plan = plan_load(spec=spec_of(tmp_path, text, name)).plan
    obligations_generate(plan=plan)
    return plan


@pytest.fixture
def chain(db, tmp_path):
    return (
        load(tmp_path, PROVINCE, "province.yaml"),
        load(tmp_path, CITY, "city.yaml"),
        load(tmp_path, COUNTY, "county.yaml"),
    )


def share(parent_code: str, unit_code: str):
    return Allocation.objects.get(indicator__code=parent_code, unit__code=unit_code).value


def staff_of_federation(code: str, department: str, username: str) -> User:
    return UserFactory(
        username=username,
        role=User.Role.DEPARTMENT_STAFF,
        department=Department.objects.get(federation__code=code, name=department),
    )


def leader_of(code: str, username: str) -> User:
    return UserFactory(
        username=username, role=User.Role.LEADER, federation=Unit.objects.get(code=code)
    )


def april(unit_code: str, plan: Plan) -> Obligation:
    return Obligation.objects.get(
        plan=plan, unit__code=unit_code, kind="progress", period_end=dt.date(2022, 4, 30)
    )


def browser(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def test_each_level_takes_its_share_in_the_parent_table_as_its_target(chain):
    province, city, county = chain
    c01 = Indicator.objects.get(plan=city, code="C01")
    assert c01.serves.code == "H01" and c01.serves.plan == province
    assert c01.target == share("H01", "hn-cs") and c01.target_from_parent
    assert c01.comparator == Indicator.objects.get(plan=province, code="H01").comparator
    j01 = Indicator.objects.get(plan=county, code="J01")
    assert j01.target == share("C01", "cs-jia") and j01.serves == c01
    assert city.parent == province and county.parent == city


def test_a_city_issuing_its_plan_changes_nothing_the_province_owns(chain):
    city_unit = Unit.objects.get(code="hn-cs")
    assert city_unit.federation.code == "hn" and city_unit.short_name == "测试市"


def test_a_target_below_the_parents_share_is_reported_with_its_place(chain, tmp_path):
    low = CITY.replace("serves: H01}", "serves: H01, target: 10, comparator: gte}")
    problems = load_problems(spec_of(tmp_path, low))
    assert any(p.startswith("programmes[0].indicators[0].target") and "低于" in p for p in problems)


def test_a_parent_indicator_that_does_not_exist_or_a_missing_parent_is_reported(chain, tmp_path):
    wrong = CITY.replace("serves: H01", "serves: H99")
    assert any("H99" in p for p in load_problems(spec_of(tmp_path, wrong)))
    orphan = CITY.replace("parent: hn-2022", "parent: nowhere-2022")
    assert any("nowhere-2022" in p for p in load_problems(spec_of(tmp_path, orphan)))


def test_serving_a_parent_indicator_needs_a_parent_plan(tmp_path):
    text = CITY.replace("parent: hn-2022, ", "")
    with pytest.raises(PlanFileInvalid) as refused:
        spec_of(tmp_path, text)
    assert [p for p in refused.value.problems if p.startswith("programmes[0].indicators[0].serves")]


def test_a_parent_cannot_drop_an_indicator_its_children_serve(chain, tmp_path):
    renamed = PROVINCE.replace("code: H01", "code: H02").replace("indicator: H01", "indicator: H02")
    with pytest.raises(ServiceError, match="被下级方案"):
        plan_load(spec=spec_of(tmp_path, renamed))
    assert Indicator.objects.filter(plan__slug="hn-2022", code="H01").exists()


@pytest.fixture
def county_approved(chain):
    """甲县 and 乙县 report April to the city, and the city approves both."""
    _province, city, _county = chain
    city_staff = staff_of_federation("hn-cs", "女职工部", "cs-staff")
    for code, value in (("cs-jia", 5), ("cs-yi", 7)):
        approve(
            april(code, city),
            (value,),
            reporter=reporter_of(code, username=f"{code}-reporter"),
            head=head_of(code, username=f"{code}-head"),
            staff=city_staff,
            confirm_on=dt.date(2022, 5, 5),
            approve_on=dt.date(2022, 5, 6),
        )
    return chain


@override_settings(UNIONPLAN_TODAY="2022-05-07")
def test_the_citys_approved_total_prefills_its_report_to_the_province(county_approved):
    province, city, _county = county_approved
    obligation = april("hn-cs", province)
    page = browser(reporter_of("hn-cs", username="cs-reporter")).get(
        f"/reporting/obligations/{obligation.pk}/"
    )
    assert page.status_code == 200
    h01 = Indicator.objects.get(plan=province, code="H01")
    html = page.content.decode()
    assert f'name="value_{h01.pk}" value="12"' in html
    assert "截至本期已审核汇总：<strong>12</strong>" in html and city.title in html
    # Where the total comes from, unit by unit.
    assert "<li>甲县：5</li>" in html and "<li>乙县：7</li>" in html


@override_settings(UNIONPLAN_TODAY="2022-05-10")
def test_the_province_reviews_it_and_follows_the_city_row_down_to_the_county(county_approved):
    province, city, county = county_approved
    approve(
        april("hn-cs", province),
        (12,),
        reporter=reporter_of("hn-cs", username="cs-reporter"),
        head=head_of("hn-cs", username="cs-head"),
        staff=staff_of_federation("hn", "女职工部", "hn-staff"),
        confirm_on=dt.date(2022, 5, 7),
        approve_on=dt.date(2022, 5, 8),
    )
    leader = browser(leader_of("hn", "hn-leader"))
    matrix = leader.get(f"/dashboards/{province.slug}/programmes/1/").content.decode()
    assert f"12 / {int(share('H01', 'hn-cs'))}" in matrix
    assert f'href="/dashboards/{city.slug}/' in matrix and "data-drill" in matrix
    city_page = leader.get(f"/dashboards/{city.slug}/")
    assert city_page.status_code == 200
    assert f'href="/dashboards/{county.slug}/' in city_page.content.decode()
    assert leader.get(f"/dashboards/{county.slug}/").status_code == 200
    # A plan that sets no dated step says so rather than showing empty headings.
    steps = leader.get(f"/dashboards/{county.slug}/milestones/").content.decode()
    assert "本方案没有设定时间节点" in steps
    # The plan pages link the chain both ways, as the dashboards do.
    county_plan = leader.get(f"/plans/{county.slug}/").content.decode()
    assert f'上级方案：</span><a href="/plans/{city.slug}/"' in county_plan
    city_plan = leader.get(f"/plans/{city.slug}/").content.decode()
    assert f'href="/plans/{county.slug}/' in city_plan and "下级方案" in city_plan


def test_only_the_parents_leaders_read_down_and_nobody_reads_up(chain):
    province, city, county = chain
    province_staff = browser(staff_of_federation("hn", "女职工部", "hn-staff"))
    assert province_staff.get(f"/dashboards/{city.slug}/").status_code == 404
    city_leader = browser(leader_of("hn-cs", "cs-leader"))
    assert city_leader.get(f"/dashboards/{province.slug}/").status_code == 404
    assert city_leader.get(f"/dashboards/{county.slug}/").status_code == 200
    county_leader = browser(leader_of("cs-jia", "jia-leader"))
    assert county_leader.get(f"/dashboards/{city.slug}/").status_code == 404


def test_a_draft_plan_is_not_shown_to_its_units(chain):
    _province, city, _county = chain
    plan_status_set(plan=city, status=Plan.Status.DRAFT, actor=None, reason="修改中")
    reporter = browser(reporter_of("cs-yi", username="yi-reporter"))
    assert reporter.get(f"/plans/{city.slug}/").status_code == 404
    obligation = april("cs-yi", city)
    assert reporter.get(f"/reporting/obligations/{obligation.pk}/").status_code == 404
    # The federation preparing it still reads it.
    city_leader = browser(leader_of("hn-cs", "cs-leader"))
    assert city_leader.get(f"/plans/{city.slug}/").status_code == 200


def test_the_example_county_plan_takes_its_targets_from_the_demo_plans_table(plan_2022):
    """plans/data/examples/ruzhou-2022.yaml, the README's example, under the 2022 demo."""
    spec = read_plan_file(Path(settings.BASE_DIR) / "plans/data/examples/ruzhou-2022.yaml")
    assert load_problems(spec) == []
    plan = plan_load(spec=spec).plan
    assert plan.parent == plan_2022
    for indicator in Indicator.objects.filter(plan=plan):
        assert indicator.target_from_parent
        assert indicator.target == share(indicator.serves.code, "ruzhou")
    # The 2022 unit it names is used as it is.
    assert Unit.objects.get(code="ruzhou").federation == plan_2022.issuer


@override_settings(UNIONPLAN_TODAY="2022-05-07")
def test_a_unit_with_nothing_approved_yet_is_named_beside_the_total(chain):
    province, city, _county = chain
    approve(
        april("cs-jia", city),
        (5,),
        reporter=reporter_of("cs-jia", username="jia-reporter"),
        head=head_of("cs-jia", username="jia-head"),
        staff=staff_of_federation("hn-cs", "女职工部", "cs-staff"),
        confirm_on=dt.date(2022, 5, 5),
        approve_on=dt.date(2022, 5, 6),
    )
    page = browser(reporter_of("hn-cs", username="cs-reporter")).get(
        f"/reporting/obligations/{april('hn-cs', province).pk}/"
    )
    html = page.content.decode()
    assert "截至本期已审核汇总：<strong>5</strong>（1 个单位）" in html
    assert "<li>乙县：<span" in html and "尚无审核通过的数据" in html
