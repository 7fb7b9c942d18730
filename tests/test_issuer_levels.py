"""Pages speak in the issuer's words: a province's plan reads 全省 and 省总, its own programme
groups and its own bulletin heading; the 2022 city plan still reads 全市, 市总, 五大行动 and
十件实事 (plans.levels, plans.groups, dashboards.bulletin.heading)."""

import datetime as dt
import textwrap
from io import BytesIO

import docx
import pytest
from django.urls import reverse

from common.errors import ServiceError
from dashboards.bulletin import bulletin_docx, heading
from orgs.models import Department, User
from orgs.tests.factories import UserFactory, head_of, reporter_of
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from reporting.models import Obligation
from reporting.services import obligations_generate
from reporting.services.city_figures import city_figure_enter

PROVINCE = """
plan: {slug: henan-2022, title: 河南省总工会2022年重点工作, year: 2022, issuer: 河南省总工会,
       doc_number: 豫工文〔2022〕12号, issued_on: 2022-03-01,
       progress: {from: 2022-04, due_day: 5, late_policy: flag}}
departments: [{name: 经济技术工作部}]
units:
  - {code: henan, name: 河南省总工会, short_name: 省总工会, kind: province}
  - {code: hn-luoyang, name: 洛阳市总工会, short_name: 洛阳市, kind: city, parent: 河南省总工会}
  - {code: hn-kaifeng, name: 开封市总工会, short_name: 开封市, kind: city, parent: 河南省总工会}
  - {code: hn-organs, name: 河南省直机关工会, short_name: 省直机关, kind: organ_union,
     parent: 河南省总工会}
groups: {build: 建功立业行动, care: 暖心服务工程}
programmes:
  - number: 1
    title: 劳动竞赛专案
    category: build
    departments: [{name: 经济技术工作部, source: assigned}]
    indicators:
      - {code: H01, name: 劳动竞赛, measure: 项, target: 100, comparator: gte,
         per_unit: {scope: [city], min: 10}}
  - number: 2
    title: 职工服务专案
    category: care
    departments: [{name: 经济技术工作部, source: text}]
    indicators:
      - {code: H02, name: 服务站点, measure: 个, target: 50, comparator: gte}
bulletin: {title: 河南省总工会关于2022年重点工作推进情况的通报,
           addressees: [各省辖市总工会, 省直各工会]}
"""


@pytest.fixture
def province(plan_2022, tmp_path):
    path = tmp_path / "province.yaml"
    path.write_text(textwrap.dedent(PROVINCE), encoding="utf-8")
    plan = plan_load(spec=read_plan_file(path)).plan
    obligations_generate(plan=plan)
    return plan


@pytest.fixture
def province_leader(province):
    return UserFactory(username="hn-leader", federation=province.issuer)


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_province_plans_dashboard_reads_the_whole_province_and_its_federation(
    client, province, province_leader
):
    client.force_login(province_leader)
    html = page(client, "dashboards:overview", province.slug)
    assert "全省总览" in html and "省总统计" in html
    assert "全市" not in html and "市总统计" not in html


def test_a_province_plans_programmes_are_listed_under_its_own_groups(
    client, province, province_leader
):
    client.force_login(province_leader)
    html = page(client, "plans:overview", province.slug)
    assert "建功立业行动" in html and "暖心服务工程" in html
    assert "五大行动" not in html and "十件实事" not in html
    html = page(client, "plans:programme", province.slug, 1)
    assert ">建功立业行动</span>" in html and "全省目标" in html
    assert "经济技术工作部（省总指定）" in html and "市总" not in html


def test_a_city_unit_head_confirms_and_sends_to_the_province(client, province, settings):
    settings.UNIONPLAN_TODAY = "2022-05-10"
    april = Obligation.objects.get(
        plan=province, unit__code="hn-luoyang", kind="progress", period_end="2022-04-30"
    )
    indicator = april.indicators.get()
    head = head_of("hn-luoyang")
    client.force_login(reporter_of("hn-luoyang"))
    submitted = client.post(
        reverse("reporting:report_submit", args=[april.pk]),
        {"version": 1, "note": "四月累计", f"value_{indicator.pk}": "12"},
    )
    assert submitted.status_code == 302
    client.force_login(head)
    html = page(client, "reporting:notifications")
    assert "洛阳市：专案1「劳动竞赛专案」2022年4月进度已提交，请确认并报送省总。" in html
    html = page(client, "reporting:report", april.pk)
    assert ">确认并报送省总</button>" in html and "报送市总" not in html
    confirmed = reverse("reporting:report_confirm", args=[april.pk])
    html = client.post(confirmed, {"version": 2}, follow=True).content.decode()
    assert "已确认并报送省总工会" in html


def test_a_province_bulletin_has_the_title_and_addressees_of_its_file(province):
    document = docx.Document(BytesIO(bulletin_docx(plan=province, as_of=dt.date(2022, 6, 30))))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "河南省总工会关于2022年重点工作推进情况的通报"
    assert paragraphs[2] == "各省辖市总工会，省直各工会："
    assert "河南省总工会" in paragraphs  # the signature
    assert "“建功立业行动”“暖心服务工程”" in "\n".join(paragraphs)


def test_without_its_own_heading_a_province_bulletin_is_titled_and_addressed_by_its_plan(
    province,
):
    province.bulletin = {}
    assert heading.bulletin_title(province) == (
        "关于2022年“建功立业行动”“暖心服务工程”专案推进情况的通报"
    )
    assert heading.bulletin_addressees(province) == "各设区市总工会，省直各单位工会"
    assert heading.bulletin_signature(province) == "河南省总工会"


def test_the_2022_city_plan_still_reads_the_city_and_its_two_groups(client, plan_2022):
    staff = UserFactory(
        role=User.Role.DEPARTMENT_STAFF,
        department=Department.objects.get(federation=plan_2022.issuer, name="劳动和经济工作部"),
    )
    client.force_login(staff)
    html = page(client, "dashboards:overview", plan_2022.slug)
    assert "全市总览" in html and "市总统计" in html
    # The province's words nowhere (the plan's title names 河南省总工会, as printed).
    assert "全省" not in html and "省总统计" not in html and "省总指定" not in html
    html = page(client, "plans:overview", plan_2022.slug)
    assert "五大行动" in html and "十件实事" in html
    assert heading.bulletin_title(plan_2022) == ("关于2022年“五大行动”“十件实事”专案推进情况的通报")


def test_the_provinces_department_enters_the_figures_the_province_counts_itself(
    client, province, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    staff = UserFactory(
        role=User.Role.DEPARTMENT_STAFF,
        department=Department.objects.get(federation=province.issuer, name="经济技术工作部"),
    )
    stations = province.indicators.get(code="H02")
    city_figure_enter(
        indicator=stations,
        actor=staff,
        period_end=dt.date(2022, 6, 30),
        raw_value="20",
        note="台账",
    )
    client.force_login(staff)
    html = page(client, "reporting:city_figures", province.slug)
    assert '<h1 class="h4">省总统计</h1>' in html and "按省总工会统计口径" in html
    with pytest.raises(ServiceError, match="已有省总统计数 20，"):
        city_figure_enter(
            indicator=stations,
            actor=staff,
            period_end=dt.date(2022, 6, 30),
            raw_value="21",
            note="台账",
        )
