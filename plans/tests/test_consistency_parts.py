"""The consistency check of a loaded plan's parts (其中): what the file's own targets could not
say when it was read, because the figure comes from a table (or from the parent plan)."""

from plans.consistency import consistency_check
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_spec import GOOD_HEAD, write

PARTS_IN_A_TABLE = (
    GOOD_HEAD
    + """
programmes:
  - number: 1
    title: 帮扶专案
    category: practical_matter
    departments: [{name: 组织部, source: text}]
    indicators:
      - {code: F, name: 筹集帮扶资金, measure: 元, target: 100万元}
      - {code: F1, name: 用于困难职工帮扶, measure: 元, part_of: F}
      - {code: F2, name: 用于金秋助学, measure: 元, part_of: F}
    tables:
      - code: T1
        title: 帮扶资金分解表
        columns: [{indicator: F, header: 筹集}, {indicator: F1, header: 帮扶},
                  {indicator: F2, header: 助学}]
        rows: [[甲县, 1000000, 1200000, 300000]]
        total: [1000000, 1200000, 300000]
"""
)


def findings_of(tmp_path, text, kind):
    plan = plan_load(spec=read_plan_file(write(tmp_path, text))).plan
    return [f for f in consistency_check(plan=plan) if f.kind == kind]


def test_a_part_whose_table_total_is_above_its_wholes_target_is_an_error(tmp_path, db):
    [finding] = findings_of(tmp_path, PARTS_IN_A_TABLE, "part_target")
    assert finding.severity == "error" and finding.programme == 1
    # Shown in the whole's 万元, as the notice prints it.
    assert "「用于困难职工帮扶」（「筹集帮扶资金」的其中项）全市目标 120 万元" in finding.message
    assert "大于「筹集帮扶资金」的 100 万元" in finding.message


def test_parts_adding_up_to_more_than_their_whole_are_an_error(tmp_path, db):
    [finding] = findings_of(tmp_path, PARTS_IN_A_TABLE, "parts_total")
    assert finding.severity == "error"
    assert "（用于困难职工帮扶、用于金秋助学）目标合计 150 万元，大于其全市目标 100 万元" in (
        finding.message
    )


def test_a_units_share_of_a_part_above_its_share_of_the_whole_is_a_warning(tmp_path, db):
    [finding] = findings_of(tmp_path, PARTS_IN_A_TABLE, "part_allocation")
    assert finding.severity == "warning"
    assert "甲县（120 万元 > 100 万元）" in finding.message


def test_parts_within_their_whole_are_not_reported(tmp_path, db):
    text = PARTS_IN_A_TABLE.replace(
        "[甲县, 1000000, 1200000, 300000]", "[甲县, 1000000, 600000, 300000]"
    )
    text = text.replace("total: [1000000, 1200000, 300000]", "total: [1000000, 600000, 300000]")
    plan = plan_load(spec=read_plan_file(write(tmp_path, text))).plan
    kinds = {f.kind for f in consistency_check(plan=plan)}
    assert not kinds & {"part_target", "parts_total", "part_allocation", "part_figures"}


PROVINCE = """
plan: {slug: hn-2030, title: 省工会2030年重点工作, year: 2030, issuer: 省总工会,
       issued_on: 2030-03-01}
departments: [{name: 保障部}]
units:
  - {code: sheng, name: 省总工会, short_name: 省总工会, kind: province}
  - {code: sheng-cs, name: 测试市总工会, short_name: 测试市, kind: city, parent: 省总工会}
programmes:
  - number: 1
    title: 帮扶专案
    category: practical_matter
    indicators:
      - {code: H, name: 筹集帮扶资金, measure: 元, target: 100万元}
      - {code: H1, name: 用于困难职工帮扶, measure: 元, part_of: H}
    tables:
      - code: HT
        title: 帮扶资金分解表
        columns: [{indicator: H, header: 筹集}, {indicator: H1, header: 帮扶}]
        rows: [[测试市总工会, 300000, 400000]]
"""

CITY = """
plan: {slug: cs-2030, title: 测试市工会2030年重点工作, year: 2030, issuer: 测试市总工会,
       parent: hn-2030, issued_on: 2030-03-15}
departments: [{name: 保障部}]
units:
  - {code: sheng-cs, name: 测试市总工会, short_name: 市总工会, kind: city}
programmes:
  - number: 1
    title: 帮扶专案
    category: practical_matter
    indicators:
      - {code: C, name: 筹集帮扶资金, measure: 元, serves: H, shown_in: 万元}
      - {code: C1, name: 用于困难职工帮扶, measure: 元, serves: H1, part_of: C}
"""


def test_targets_taken_from_the_parent_plan_are_checked_once_loaded(tmp_path, db):
    (tmp_path / "province").mkdir()
    plan_load(spec=read_plan_file(write(tmp_path / "province", PROVINCE)))
    [finding] = findings_of(tmp_path, CITY, "part_target")
    assert "「用于困难职工帮扶」（「筹集帮扶资金」的其中项）全市目标 40 万元" in finding.message
    assert "大于「筹集帮扶资金」的 30 万元" in finding.message
