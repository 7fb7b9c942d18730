import textwrap

import pytest

from plans.planfile.spec import PlanFileInvalid, read_plan_file

GOOD_HEAD = """
plan: {slug: demo-2030, title: 演示, year: 2030, issuer: 某市总工会, doc_number: 某〔2030〕1号,
       issued_on: 2030-03-01}
departments: [{name: 组织部}]
units:
  - {code: fed, name: 某市总工会, short_name: 市总工会, kind: federation}
  - {code: a, name: 甲县总工会, short_name: 甲县, kind: county, parent: 某市总工会}
"""


def write(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path):
    with pytest.raises(PlanFileInvalid) as caught:
        read_plan_file(path)
    return caught.value.problems


def test_a_broken_file_reports_every_problem_with_its_location(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    departments: [{name: 不存在部, source: text}]
    indicators:
      - {code: P1, name: 指标, measure: 个, target: 10}
      - {code: P1, name: 重复, measure: 个, target: -3, comparator: gte}
    tables:
      - code: T1
        title: 分解表
        columns: [{indicator: P1, header: 数量}]
        rows:
          - [甲县, 4]
          - [乙县, 5]
          - [甲 县, 1, 2]
        total: [9]
    milestones:
      - {title: 制订方案, when: {due: 2030-13}, actor: units}
""",
    )
    problems = problems_of(path)
    text = "\n".join(problems)
    assert "programmes[0].departments[0].name: 部门「不存在部」不在 departments 中" in text
    assert "programmes[0].indicators[0].comparator: 有目标值时必须写明比较方式" in text
    assert "programmes[0].indicators[1].code: 指标代码「P1」重复" in text
    assert "programmes[0].indicators[1].target: 不能为负数：-3" in text
    assert "programmes[0].tables[0].rows[1]: 无法识别单位「乙县」" in text
    assert "programmes[0].tables[0].rows[2]: 应有 1 个数值" in text
    assert "单位「甲县总工会」在本表中重复（第 1 行）" in text
    assert "programmes[0].milestones[0].when: 月份不正确" in text
    assert "programmes[0].milestones[0].actor_scope: actor 为 units 时须写明承办单位范围" in text
    assert len(problems) >= 9


def test_yaml_syntax_errors_name_the_line(tmp_path):
    path = write(tmp_path, "plan: {slug: x\nunits: [\n")
    [problem] = problems_of(path)
    assert problem.startswith("第 ") and "YAML 格式错误" in problem


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("plan:\n\tslug: x\n", "第 2 行第 1 列：YAML 格式错误：用了制表符（Tab）"),
        ("plan：\n  slug: x\n", "第 1 行：用了中文冒号「："),
        ("plan:\n  slug: x\n   title: y\n", "冒号后应有一个空格"),
        ("- a\nb: c\n", "缩进不一致"),
        ("plan: {slug: x\nunits: [\n", "花括号 { } 没有配对"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_chinese(tmp_path, text, said):
    (path := tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    assert said in problem
    assert not any(word in problem for word in ("found", "expected", "mapping"))


def test_unknown_keys_are_reported_so_typos_do_not_vanish(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - {number: 1, title: 专案一, category: action, indicatros: []}
""",
    )
    assert any("未知的键「indicatros」" in p for p in problems_of(path))


def test_a_row_that_is_not_a_unit_must_be_declared(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    indicators: [{code: P1, name: 指标, measure: 个}]
    tables:
      - code: T1
        title: 分解表
        columns: [{indicator: P1, header: 数量}]
        rows:
          - [甲县, 4]
          - {label: 其它, values: [6], unit: null}
        total: [10]
""",
    )
    spec = read_plan_file(path)
    rows = spec.programmes[0].tables[0].rows
    assert [(r.label, r.unit) for r in rows] == [("甲县", "甲县总工会"), ("其它", None)]


def test_a_spelling_claimed_by_two_units_is_refused(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
  - {code: b, name: 乙县总工会, short_name: 乙县, kind: county, aliases: [甲县]}
""",
    )
    assert any("同时属于" in p for p in problems_of(path))


def test_fractions_and_money_are_read_exactly(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    indicators:
      - {code: R, name: 比例, measure: 比例, target: "1/3", comparator: gte}
      - {code: M, name: 资金, measure: 元, target: 3000000.50, comparator: gte}
""",
    )
    ratio, money = read_plan_file(path).programmes[0].indicators
    assert (str(ratio.target), ratio.target_denominator) == ("1", 3)
    assert str(money.target) == "3000000.5"


def test_a_file_of_no_groups_has_the_2022_plans_two(tmp_path):
    spec = read_plan_file(
        write(
            tmp_path, GOOD_HEAD + "programmes:\n  - {number: 1, title: 专案一, category: action}\n"
        )
    )
    assert spec.groups == [("action", "五大行动"), ("practical_matter", "十件实事")]
    assert spec.bulletin == {}


def test_a_file_declares_its_own_groups_in_order_and_its_bulletin(tmp_path):
    spec = read_plan_file(
        write(
            tmp_path,
            GOOD_HEAD
            + """
groups: {care: 暖心服务工程, build: 建功立业行动}
programmes:
  - {number: 1, title: 专案一, category: build}
  - {number: 2, title: 专案二, category: care}
bulletin: {title: 某市总工会重点工作通报, addressees: [各县总工会, 市直各单位工会]}
""",
        )
    )
    assert spec.groups == [("care", "暖心服务工程"), ("build", "建功立业行动")]
    assert [p.category for p in spec.programmes] == ["build", "care"]
    assert spec.bulletin == {
        "title": "某市总工会重点工作通报",
        "addressees": "各县总工会，市直各单位工会",
    }


def test_a_programme_of_a_group_the_file_does_not_declare_is_refused_with_its_place(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
groups: {build: 建功立业行动, 服务: 暖心服务工程, care: 建功立业行动}
programmes:
  - {number: 1, title: 专案一, category: action}
bulletin: {title: [不是文字], signature: 某市总工会}
""",
    )
    text = "\n".join(problems_of(path))
    assert "programmes[0].category: 「action」不是 groups 中的分组代码（可用：build）" in text
    assert "groups.服务: 代码「服务」只能用小写英文字母" in text
    assert "groups.care: 分组名称「建功立业行动」重复" in text
    assert "bulletin: 未知的键「signature」" in text
    assert "bulletin.title: 应为文字" in text


def test_a_plan_without_a_document_number_loads(tmp_path, db):
    from plans.services import plan_load

    text = GOOD_HEAD.replace(" doc_number: 某〔2030〕1号,", "")
    assert "doc_number" not in text
    spec = read_plan_file(write(tmp_path, text))
    assert plan_load(spec=spec).plan.doc_number == ""


def test_a_date_outside_the_plans_year_is_said_and_still_loads(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    indicators:
      - {code: A, name: 甲, measure: 个, target: 5, comparator: gte, due: 2029-12-31}
    milestones:
      - {title: 部署, when: {due: 2030-04-30}, actor: federation}
      - {title: 年报, when: {due: 2031-01-15}, actor: federation}
      - {title: 笔误, when: {due: 2031-04-30}, actor: federation}
""",
    )
    warnings = read_plan_file(path).warnings
    assert warnings == [
        "programmes[0].indicators[0].due: 日期 2029-12-31 不在方案年度 2030 年内，请核对"
        "（专案1 第1个指标）",
        "programmes[0].milestones[2].when: 日期 2031-04-30 不在方案年度 2030 年内，请核对"
        "（专案1 第3个时间节点）",
    ]


def test_a_scope_may_be_written_in_the_notices_words_and_a_wrong_one_lists_the_choices(
    tmp_path,
):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: action
    milestones:
      - {title: 方案, when: {due: 2030-04-30}, actor: units, actor_scope: [县（市、区）, 产业工会]}
""",
    )
    [step] = read_plan_file(path).programmes[0].milestones
    assert step.actor_scope == ["county_city", "county", "district", "industry_union"]
    wrong = write(tmp_path, path.read_text(encoding="utf-8").replace("产业工会]", "各行业]"))
    [problem] = problems_of(wrong)
    assert problem.startswith("programmes[0].milestones[0].actor_scope[1]")
    assert "industry_union（产业工会）" in problem and "县（市、区）" in problem


def test_a_spelling_claimed_by_two_units_is_said_once_not_at_every_row_naming_them(tmp_path):
    from django.conf import settings

    text = (settings.BASE_DIR / "plans/data/pingdingshan-2022.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    name: 舞钢市总工会\n    short_name: 舞钢市\n",
        "    name: 舞钢市总工会\n    short_name: 舞钢市\n    aliases: [汝州市]\n",
        1,
    )
    (path := tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    assert problems_of(path) == ["units: 名称「汝州市」同时属于「汝州市总工会」和「舞钢市总工会」"]


def test_a_place_is_also_said_as_printed_counting_from_one(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 7
    title: 专案七
    category: action
    indicators:
      - {code: A, name: 甲, measure: 个}
      - {code: B, name: 乙, measure: 个, target: 五个, comparator: gte}
""",
    )
    [problem] = problems_of(path)
    assert problem.startswith("programmes[0].indicators[1].target: ")
    assert problem.endswith("（专案7 第2个指标）")
