from decimal import Decimal

from plans.consistency import consistency_check
from plans.services import plan_load


def by_kind(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_the_culture_table_total_disagrees_with_its_rows(plan_2022):
    [finding] = by_kind(consistency_check(plan=plan_2022), "table_total")
    assert finding.severity == "error"
    assert finding.programme == 13
    assert "各行相加为 690，印发合计为 700，相差 10" in finding.message


def test_the_rural_bases_table_exceeds_the_text_target(plan_2022):
    findings = by_kind(consistency_check(plan=plan_2022), "table_vs_target")
    [bases] = [f for f in findings if f.programme == 2]
    assert "各行相加为 30，正文目标为 25" in bases.message
    assert all(f.programme == 2 for f in findings), [f.message for f in findings]


def test_the_text_asks_every_county_for_offline_recruitment_the_table_gives_one(plan_2022):
    [finding] = [
        f for f in by_kind(consistency_check(plan=plan_2022), "per_unit_rule") if f.programme == 12
    ]
    assert "9 个单位为空" in finding.message
    for county in (
        "舞钢市",
        "宝丰县",
        "郏县",
        "鲁山县",
        "叶县",
        "新华区",
        "卫东区",
        "湛河区",
        "石龙区",
    ):
        assert county in finding.message
    assert "汝州市" not in finding.message


def test_rows_that_are_not_units_are_listed(plan_2022):
    findings = consistency_check(plan=plan_2022)
    assert [f.message for f in by_kind(findings, "non_unit_row")] == [
        next(f.message for f in findings if "「其它」不是单位" in f.message)
    ]
    assert "数值 20 计入合计" in by_kind(findings, "non_unit_row")[0].message
    [assigned] = by_kind(findings, "assigned_row")
    assert "「机关事业单位」" in assigned.message and "市直工会" in assigned.message
    [group] = by_kind(findings, "merged_group")
    assert "合并单元格「帮扶中心」" in group.message and "6 行" in group.message


def test_two_document_numbers_and_several_spellings_are_reported(plan_2022):
    findings = consistency_check(plan=plan_2022)
    [doc] = by_kind(findings, "doc_number")
    assert "平工文〔2022〕14号" in doc.message and "平工总字〔2022〕14号" in doc.message
    spellings = {f.message.split(" ")[0]: f.message for f in by_kind(findings, "unit_spellings")}
    assert "「郟 县」" in spellings["郏县总工会"] and "「郟县」" in spellings["郏县总工会"]
    assert "「新城区」" in spellings["城乡一体化示范区工会联合会"]


def test_findings_come_from_the_data_not_from_a_list(plan_2022, plan_2022_spec):
    reform = next(t for p in plan_2022_spec.programmes for t in p.tables if "产业工人" in t.title)
    row = reform.rows[0]
    original, variants = row.values[0], plan_2022_spec.doc_number_variants
    row.values[0] = original + 1
    plan_2022_spec.doc_number_variants = []
    try:
        plan = plan_load(spec=plan_2022_spec).plan
        findings = consistency_check(plan=plan)
    finally:
        row.values[0], plan_2022_spec.doc_number_variants = original, variants
    totals = by_kind(findings, "table_total")
    assert len(totals) == 2
    assert any("各行相加为 126，印发合计为 125" in f.message for f in totals)
    assert not by_kind(findings, "doc_number")


def test_a_rubric_whose_items_do_not_add_up_is_an_error(plan_2022):
    criterion = plan_2022.programmes.get(number=2).rubrics.get().criteria.get(code="1.1")
    criterion.points = Decimal(4)
    criterion.save()
    [finding] = by_kind(consistency_check(plan=plan_2022), "rubric_points")
    assert "「组织领导」为 10 分，其细项相加为 11 分" in finding.message


def test_the_2022_rubric_adds_up(plan_2022):
    assert not by_kind(consistency_check(plan=plan_2022), "rubric_points")
