"""年终考核 (`assessment`) in the plan file: read, refused with its place, loaded, dumped."""

import json

import pytest
import yaml

from plans.dump import plan_dump
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_spec import problems_of, write

PLAN = """
plan: {slug: assess-2030, title: 考核演示, year: 2030, issuer: 某市总工会, issued_on: 2030-03-01}
departments: [{name: 组织部}]
units:
  - {code: fed, name: 某市总工会, short_name: 市总工会, kind: federation}
  - {code: a, name: 乙县总工会, short_name: 乙县, kind: county, parent: 某市总工会}
programmes:
  - number: 1
    title: 专案一
    category: action
    rubrics:
      - title: 示范评分标准
        criteria:
          - {title: 组织领导, points: 60}
          - {title: 工作成效, points: 40}
"""
ASSESSMENT = """
assessment:
  components:
    - {kind: completion, weight: 50}
    - {kind: timeliness, weight: 20}
    - {kind: rubric, rubric: 示范评分标准, weight: 20}
    - {kind: supervision, weight: 10}
  groups: ranking
"""


def test_a_file_sets_the_components_and_weights_of_its_assessment(tmp_path):
    spec = read_plan_file(write(tmp_path, PLAN + ASSESSMENT))
    assert spec.assessment == {
        "components": [
            {"kind": "completion", "weight": 50},
            {"kind": "timeliness", "weight": 20},
            {"kind": "rubric", "weight": 20, "rubric": "示范评分标准"},
            {"kind": "supervision", "weight": 10},
        ],
        "groups": "ranking",
    }


def test_a_file_without_an_assessment_has_none(tmp_path):
    assert read_plan_file(write(tmp_path, PLAN)).assessment == {}


def test_the_2022_plan_weighs_its_four_components_to_100(plan_2022_spec):
    components = plan_2022_spec.assessment["components"]
    assert [c["kind"] for c in components] == ["completion", "timeliness", "rubric", "supervision"]
    assert sum(c["weight"] for c in components) == 100


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            "assessment: {components: [{kind: completion, weight: 60}, "
            "{kind: timeliness, weight: 30}]}",
            "assessment.components: 各项权重之和应为 100，现为 90",
        ),
        (
            "assessment: {components: [{kind: completion, weight: 0}, "
            "{kind: timeliness, weight: 100}]}",
            "assessment.components[0].weight: 权重应为大于 0、不超过 100 的数",
        ),
        (
            "assessment: {components: [{kind: completion, weight: -10}, "
            "{kind: timeliness, weight: 110}]}",
            "assessment.components[0].weight: 不能为负数",
        ),
        (
            "assessment: {components: [{kind: attendance, weight: 100}]}",
            "assessment.components[0].kind: 「attendance」不是考核内容的类型",
        ),
        (
            "assessment: {components: [{kind: rubric, rubric: 别的标准, weight: 100}]}",
            "assessment.components[0].rubric: 没有名为「别的标准」的评分标准；"
            "可用：「示范评分标准」",
        ),
        (
            "assessment: {components: [{kind: rubric, weight: 100}]}",
            "assessment.components[0].rubric: 不能为空",
        ),
        (
            "assessment: {components: [{kind: completion, weight: 50}, "
            "{kind: completion, weight: 50}]}",
            "assessment.components[1]: 考核内容与 assessment.components[0] 重复",
        ),
        (
            "assessment: {components: [{kind: completion, rubric: 示范评分标准, weight: 100}]}",
            "assessment.components[0].rubric: 只有 kind: rubric 的考核内容可以写 rubric",
        ),
        (
            "assessment: {components: [{kind: completion, weight: 100}], groups: county}",
            "assessment.groups: 「county」不是可选值",
        ),
        ("assessment: {components: []}", "assessment.components: 应至少有一项考核内容"),
        ("assessment: {weights: 100}", "assessment: 未知的键「weights」"),
        ("assessment: [completion]", "assessment: 应为键值映射"),
    ],
)
def test_a_wrong_assessment_is_refused_in_chinese_with_its_place(tmp_path, section, problem):
    text = "\n".join(problems_of(write(tmp_path, PLAN + section + "\n")))
    assert problem in text


def test_a_problem_in_a_component_is_also_said_as_printed(tmp_path):
    section = "assessment: {components: [{kind: completion, weight: 100}, {kind: x, weight: 1}]}"
    text = "\n".join(problems_of(write(tmp_path, PLAN + section + "\n")))
    assert "（第2项考核内容）" in text


def test_a_dumped_plans_assessment_loads_back_unchanged(tmp_path, db):
    plan = plan_load(spec=read_plan_file(write(tmp_path, PLAN + ASSESSMENT))).plan
    dumped = json.loads(json.dumps(plan_dump(plan=plan), ensure_ascii=False))
    again = tmp_path / "again"
    again.mkdir()
    section = yaml.safe_dump({"assessment": dumped["assessment"]}, allow_unicode=True)
    reloaded = plan_load(spec=read_plan_file(write(again, PLAN + section))).plan
    reloaded.refresh_from_db()
    assert reloaded.assessment == plan.assessment
    assert reloaded.assessment["components"][2]["rubric"] == "示范评分标准"
    # A plan without the section dumps an empty one, which loads as none.
    plain = plan_load(spec=read_plan_file(write(tmp_path, PLAN))).plan
    assert plan_dump(plan=plain)["assessment"] == {}
