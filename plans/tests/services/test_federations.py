"""Two federations in one database: a second city's plan file that shares a department name
and a unit name with Pingdingshan's loads beside it and changes nothing of Pingdingshan's;
a unit of another federation is used only when the file says it exists."""

import textwrap

import pytest

from common.errors import ServiceError
from orgs.models import Department, Unit, UnitAlias
from plans.owners import owner_problems
from plans.planfile.spec import read_plan_file
from plans.services import plan_load

SECOND_CITY = """
plan: {slug: xuchang-2022, title: 许昌市工会2022年重点工作, year: 2022, issuer: 许昌市总工会,
       doc_number: 许工〔2022〕3号, issued_on: 2022-03-01}
departments: [{name: 劳动和经济工作部, aliases: [许昌劳动部]}]
units:
  - {code: xuchang, name: 许昌市总工会, short_name: 市总工会, kind: federation}
  - {code: xc-yuzhou, name: 禹州市总工会, short_name: 禹州市, kind: county_city,
     parent: 许昌市总工会}
  - {code: XC_PINGMEI, name: 中国平煤神马集团, short_name: 平煤（许昌）, kind: enterprise_union,
     parent: 许昌市总工会}
programmes:
  - number: 1
    title: 建功行动专案
    category: action
    departments: [{name: 劳动和经济工作部, source: text}]
    indicators:
      - {code: X01, name: 技能竞赛, measure: 项, target: 20, comparator: gte}
"""


# The second city's own unit named as one of Pingdingshan's, as the file writes it.
SECOND_PINGMEI = (
    "{code: xc-pingmei, name: 中国平煤神马集团, short_name: 平煤（许昌）, kind: enterprise_union,"
)


def spec_of(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_plan_file(path)


def snapshot():
    """Every row of Pingdingshan's units, aliases and departments as it stands."""
    units = Unit.objects.filter(federation__code="pds").order_by("pk")
    assert units.count() > 25  # the demo's units, not an empty comparison
    return (
        list(units.values()),
        list(UnitAlias.objects.filter(unit__in=units).order_by("pk").values()),
        list(Department.objects.filter(federation__code="pds").order_by("pk").values()),
    )


@pytest.fixture
def second_city_text():
    return SECOND_CITY.replace("XC_PINGMEI", "xc-pingmei")


def test_the_demo_federation_owns_its_units_and_departments(plan_2022, plan_2022_spec):
    federation = plan_2022.issuer
    assert federation.federation == federation
    assert set(plan_2022.units.values_list("federation", flat=True)) == {federation.pk}
    owned = Department.objects.filter(federation=federation).values_list("name", flat=True)
    assert sorted(owned) == sorted(d.name for d in plan_2022_spec.departments)


def test_a_second_city_loads_beside_and_changes_no_row_of_the_first(
    plan_2022, tmp_path, second_city_text
):
    before = snapshot()
    result = plan_load(spec=spec_of(tmp_path, second_city_text))
    assert snapshot() == before
    xuchang = result.plan.issuer
    assert xuchang.code == "xuchang" and xuchang.federation == xuchang
    # Two departments of one name, one per federation, each with its own aliases.
    labour = Department.objects.filter(name="劳动和经济工作部")
    assert {d.federation.code: d.aliases for d in labour} == {
        "pds": ["市总劳动和经济工作部"],
        "xuchang": ["许昌劳动部"],
    }
    # Two units of one name, one per federation.
    assert sorted(Unit.objects.filter(name="中国平煤神马集团").values_list("code", flat=True)) == [
        "pingmei",
        "xc-pingmei",
    ]
    # The second city's programme is reviewed by its own department.
    department = result.plan.programmes.get(number=1).departments.get()
    assert department.federation == xuchang


def test_reloading_either_file_changes_no_row_of_the_other(
    plan_2022, plan_2022_spec, tmp_path, second_city_text
):
    second = spec_of(tmp_path, second_city_text)
    plan_load(spec=second)
    xuchang_before = (
        list(Unit.objects.filter(federation__code="xuchang").order_by("pk").values()),
        list(Department.objects.filter(federation__code="xuchang").order_by("pk").values()),
    )
    pingdingshan_before = snapshot()
    assert not plan_load(spec=plan_2022_spec).changed
    assert not plan_load(spec=second).changed
    assert snapshot() == pingdingshan_before
    assert (
        list(Unit.objects.filter(federation__code="xuchang").order_by("pk").values()),
        list(Department.objects.filter(federation__code="xuchang").order_by("pk").values()),
    ) == xuchang_before


def test_a_code_of_another_federations_unit_is_refused_with_its_place_in_the_file(
    plan_2022, tmp_path, second_city_text
):
    spec = spec_of(tmp_path, second_city_text.replace("code: xc-pingmei", "code: pingmei"))
    problems = owner_problems(spec)
    assert problems == [
        "units[2].code: 代码「pingmei」已被平顶山市总工会的单位「中国平煤神马集团」使用；"
        "如指同一单位，请在该单位下写 existing: true，否则请换一个代码"
    ]
    before = snapshot()
    with pytest.raises(ServiceError):
        plan_load(spec=spec)
    assert snapshot() == before


def test_a_file_may_name_another_federations_unit_as_existing_and_changes_nothing_of_it(
    plan_2022, tmp_path, second_city_text
):
    text = second_city_text.replace(
        SECOND_PINGMEI,
        "{code: pingmei, name: 中国平煤神马集团工会, short_name: 平煤, kind: enterprise_union,"
        " existing: true,",
    )
    before = snapshot()
    result = plan_load(spec=spec_of(tmp_path, text))
    assert snapshot() == before
    assert result.plan.units.filter(code="pingmei").exists()


def test_an_existing_unit_must_be_there_and_be_called_by_its_name(
    plan_2022, tmp_path, second_city_text
):
    missing = second_city_text.replace(
        SECOND_PINGMEI,
        "{code: nowhere, name: 中国平煤神马集团, short_name: 平煤, kind: enterprise_union,"
        " existing: true,",
    )
    assert owner_problems(spec_of(tmp_path, missing)) == [
        "units[2].code: 找不到代码为「nowhere」的已有单位（existing: true 只能引用已导入的单位）"
    ]
    misnamed = second_city_text.replace(
        SECOND_PINGMEI,
        "{code: pingmei, name: 平煤股份, short_name: 平煤, kind: enterprise_union, existing: true,",
    )
    assert owner_problems(spec_of(tmp_path, misnamed)) == [
        "units[2].name: 已有单位「pingmei」名为「中国平煤神马集团」，与「平煤股份」不符"
    ]


def test_a_unit_code_must_be_an_ascii_slug(tmp_path):
    from plans.planfile.spec import PlanFileInvalid

    with pytest.raises(PlanFileInvalid) as caught:
        spec_of(tmp_path, SECOND_CITY.replace("code: xc-yuzhou", "code: 禹州"))
    problems = caught.value.problems
    assert any(p.startswith("units[1].code: 代码「禹州」只能用小写英文字母") for p in problems)
    assert any(p.startswith("units[2].code: 代码「XC_PINGMEI」只能用") for p in problems)


def test_a_unit_without_a_code_gets_one_from_its_short_name_in_pinyin(tmp_path):
    # 禹州市 and 玉州市 sound alike: the second gets -2.
    text = (
        SECOND_CITY.replace("{code: xc-yuzhou, ", "{")
        .replace("{code: XC_PINGMEI, ", "{")
        .replace("short_name: 平煤（许昌）", "short_name: 玉州市")
    )
    units = spec_of(tmp_path, text).units
    assert [u.code for u in units] == ["xuchang", "yuzhoushi", "yuzhoushi-2"]
