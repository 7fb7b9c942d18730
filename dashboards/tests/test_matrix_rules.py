"""The matrix shows a programme's rules per unit (每单位要求) beside its indicators: each unit's
result as the one evaluator judges it (2 / 1, 达标 / 未达标 / 逾期未达标), a department in a
rule's scope apart, in the page and its Excel export, in a fixed number of queries."""

import datetime as dt
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dashboards import exports
from dashboards.selectors.matrix import programme_matrix
from orgs.models import Unit
from records.tests.test_unit_rules import approved, figure

TEAM_RULE = "每支服务分队不少于 4 次集中公益法律服务活动"
SITES_RULE = "各地9月底前至少培育选树1家企业集体协商示范点、1个行业（区域）集体协商示范点"


def teams_of_ruzhou(plan, settings):
    """汝州市 has one team with its 4 activities; 郏县 has registered none."""
    teams = [{"name": "汝州一队", "formed_on": "2022-03-01", "lawyers": "3", "cadre": "李四"}]
    acts = [
        {
            "team": "汝州一队",
            "held_on": f"2022-05-{i + 1:02d}",
            "place_kind": "工地",
            "place": f"工地{i}",
            "services": "法律咨询",
        }  # fmt: skip
        for i in range(4)
    ]
    approved(plan, settings, "legal-teams", "ruzhou", "法律和社会工作部", teams)
    approved(plan, settings, "legal-activities", "ruzhou", "法律和社会工作部", acts)


def cells_of(matrix, code: str) -> dict[str, tuple[str, str]]:
    unit = Unit.objects.get(code=code)
    return {
        rule.text: (cell.result, cell.label) if cell else None
        for rule, cell in zip(matrix.rules, matrix.rule_cells[unit.pk], strict=True)
    }


def test_each_unit_reads_its_result_on_the_programmes_rules(plan_2022, settings):
    teams_of_ruzhou(plan_2022, settings)
    figure(plan_2022, "P05-enterprise-demo-sites", "ruzhou", 1, "2022-08-31")
    matrix = programme_matrix(plan=plan_2022, number=5, as_of=dt.date(2022, 10, 10))
    assert [r.code for r in matrix.rules] == ["P05-demo-sites-each", "P05-team-activities-each"]
    ruzhou = cells_of(matrix, "ruzhou")
    assert ruzhou[TEAM_RULE] == ("1 / 1 个达到 4 次", "达标")
    assert ruzhou[SITES_RULE] == (
        "企业集体协商示范点 1 / 1，行业（区域）集体协商示范点 0 / 1",
        "逾期未达标",  # due by the end of September
    )
    # The per-team rule binds the units that registered teams: 郏县 has none, its cell is empty.
    assert cells_of(matrix, "jiaxian")[TEAM_RULE] is None
    # A unit no rule binds and with no share of the programme is not a row of its matrix.
    enterprise = Unit.objects.filter(plans=plan_2022, kind="enterprise_union").first()
    assert enterprise.pk not in matrix.rule_cells


def test_the_page_and_its_export_show_the_rules_and_a_department_apart(
    client, plan_2022, settings, leader
):
    settings.UNIONPLAN_TODAY = "2022-12-01"
    client.force_login(leader)
    html = client.get(f"/dashboards/{plan_2022.slug}/programmes/12/?as_of=2022-12-01")
    html = html.content.decode()
    table = html[html.index('id="matrix-table"') :]
    assert "每个单位至少组织一场工会主办的线下招聘活动" in table
    assert "0 / 1 场<br><small>逾期未达标</small>" in table
    departments = html[html.index('id="matrix-departments"') :]
    assert "职工服务中心" in departments and "逾期未达标" in departments

    matrix = programme_matrix(plan=plan_2022, number=12, as_of=dt.date(2022, 12, 1))
    ws = load_workbook(BytesIO(exports.matrix_xlsx(matrix, dt.date(2022, 12, 1)))).active
    headers = [c.value for c in ws[3]]
    assert "每单位要求：每个单位至少组织一场工会主办的线下招聘活动" in headers
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=5) if r[0].value}
    at = headers.index("每单位要求：每个单位至少组织一场工会主办的线下招聘活动")
    assert rows["郏县"][at : at + 2] == ["0 / 1 场", "逾期未达标"]
    assert rows["职工服务中心"][at : at + 2] == ["0 / 1 场", "逾期未达标"]


def matrix_queries(plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        programme_matrix(plan=plan, number=5, as_of=dt.date(2022, 12, 1))
    return len(captured)


def test_the_rules_take_as_many_queries_for_many_units_as_for_few(plan_2022, settings):
    teams_of_ruzhou(plan_2022, settings)
    few = matrix_queries(plan_2022)
    plan_2022.units.add(
        *Unit.objects.bulk_create(
            Unit(
                name=f"测试县{n}",
                short_name=f"测试{n}",
                code=f"extra-{n}",
                kind="county",
                order=900 + n,
            )  # fmt: skip
            for n in range(40)
        )
    )
    matrix = programme_matrix(plan=plan_2022, number=5, as_of=dt.date(2022, 12, 1))
    extra = cells_of(matrix, "extra-0")
    assert extra[SITES_RULE][1] == "逾期未达标" and extra[TEAM_RULE] is None
    assert matrix_queries(plan_2022) == few
