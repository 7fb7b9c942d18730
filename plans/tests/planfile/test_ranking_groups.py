"""Ranking groups (排名分组) in the plan file: read, refused with their place, loaded, dumped."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from plans.dump import plan_dump
from plans.models import Plan
from plans.planfile.spec import read_plan_file
from plans.ranking_groups import ranking_group_of
from plans.services import plan_load
from plans.tests.planfile.test_spec import problems_of, write

UNITS = """
plan: {slug: groups-2030, title: 分组演示, year: 2030, issuer: 某市总工会, issued_on: 2030-03-01}
departments: [{name: 组织部}]
units:
  - {code: fed, name: 某市总工会, short_name: 市总工会, kind: federation}
  - {code: big, name: 甲市总工会, short_name: 甲市, kind: county_city, parent: 某市总工会}
  - {code: a, name: 乙县总工会, short_name: 乙县, kind: county, parent: 某市总工会}
  - {code: zone, name: 高新区工会, short_name: 高新区, kind: zone, parent: 某市总工会}
  - {code: build, name: 建设工会, short_name: 建设工会, kind: industry_union, parent: 某市总工会}
  - {code: power, name: 电厂工会, short_name: 电厂, kind: enterprise_union, parent: 某市总工会}
programmes:
  - {number: 1, title: 专案一, category: action}
"""
GROUPS = """
ranking_groups:
  - name: 县（市、区）
    kinds: [county_city, county]
    units: [zone]
  - name: 产业工会
    kinds: [industry_union]
  - name: 直属企业
    kinds: [直属企业工会]
"""


def test_a_file_declares_its_ranking_groups_by_kind_and_code_in_order(tmp_path):
    spec = read_plan_file(write(tmp_path, UNITS + GROUPS))
    assert spec.ranking_groups == [
        {"name": "县（市、区）", "kinds": ["county_city", "county"], "units": ["zone"]},
        {"name": "产业工会", "kinds": ["industry_union"], "units": []},
        # The notice's word for a kind is kept as the kind it means.
        {"name": "直属企业", "kinds": ["enterprise_union"], "units": []},
    ]


def test_a_file_without_ranking_groups_ranks_every_unit_in_one_list(tmp_path):
    assert read_plan_file(write(tmp_path, UNITS)).ranking_groups == []


def test_loadplan_check_refuses_a_unit_in_two_groups_and_an_unknown_kind_with_their_places(
    tmp_path, db, capsys
):
    path = write(
        tmp_path,
        UNITS
        + """
ranking_groups:
  - name: 县（市、区）
    kinds: [county_city, county]
  - name: 大单位
    units: [big]
  - name: 企业
    kinds: [enterprise, county]
""",
    )
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path), "--check")
    err = capsys.readouterr().err
    assert (
        "ranking_groups[1].units[0]: 单位「甲市」已属于排名分组「县（市、区）」"
        "（ranking_groups[0].kinds[0]），一个单位只能属于一个排名分组（第2个排名分组 第1个单位）"
    ) in err
    assert "ranking_groups[2].kinds[0]: 「enterprise」不是单位类型；可写 " in err
    assert "（第3个排名分组 第1个类型）" in err
    assert "ranking_groups[2].kinds[1]: 单位「乙县」已属于排名分组「县（市、区）」" in err
    assert not Plan.objects.filter(slug="groups-2030").exists()


def test_an_unknown_code_a_repeated_name_and_the_names_the_system_uses_are_refused(tmp_path):
    text = "\n".join(
        problems_of(
            write(
                tmp_path,
                UNITS
                + """
ranking_groups:
  - {name: 县区, units: [nobody]}
  - {name: 县区, kinds: [zone]}
  - {name: 其他, kinds: [county]}
  - {name: 空组}
""",
            )
        )
    )
    assert "ranking_groups[0].units[0]: units 中没有代码为「nobody」的单位" in text
    assert "ranking_groups[1].name: 排名分组「县区」重复" in text
    assert "ranking_groups[2].name: 「其他」由系统使用" in text
    assert "ranking_groups[3]: 应写明成员：kinds（单位类型）或 units（单位代码）" in text


def test_a_dumped_plans_ranking_groups_load_back_unchanged(tmp_path, db):
    plan = plan_load(spec=read_plan_file(write(tmp_path, UNITS + GROUPS))).plan
    dumped = json.loads(json.dumps(plan_dump(plan=plan), ensure_ascii=False))
    assert [g["name"] for g in dumped["ranking_groups"]] == ["县（市、区）", "产业工会", "直属企业"]

    again = tmp_path / "again"
    again.mkdir()
    section = yaml.safe_dump({"ranking_groups": dumped["ranking_groups"]}, allow_unicode=True)
    reloaded = plan_load(spec=read_plan_file(write(again, UNITS + section))).plan
    reloaded.refresh_from_db()
    assert reloaded.pk == plan.pk
    assert reloaded.ranking_groups == plan.ranking_groups
    assert plan_dump(plan=reloaded)["ranking_groups"] == dumped["ranking_groups"]


def test_the_2022_plan_ranks_counties_industry_unions_and_enterprises_apart(plan_2022):
    group_of = ranking_group_of(plan_2022)
    units = {u.code: u for u in plan_2022.units.all()}
    assert [g["name"] for g in plan_2022.ranking_groups] == ["县（市、区）", "产业工会", "直属企业"]
    assert group_of(units["ruzhou"]) == group_of(units["gaoxin"]) == "县（市、区）"
    assert group_of(units["jianshe"]) == group_of(units["shizhi"]) == "产业工会"
    assert group_of(units["yaomeng"]) == "直属企业"
    assert group_of(units["pds"]) == "其他"  # the federation itself, in no group
