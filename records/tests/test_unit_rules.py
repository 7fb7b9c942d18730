"""Rules per unit (每单位要求): read from the plan file, judged per unit as of a date, shown on
the unit's list, the dashboards' warnings and the bulletin."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import PLAN_2022_FILE
from dashboards.bulletin.unit_rules import unit_rules_text
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of, staff_of
from plans.models import Indicator
from plans.planfile.data import PlanFileInvalid
from plans.planfile.spec import read_plan_bytes
from records.models import FormDefinition, UnitRule
from records.selectors.rules import unit_rules_broken, unit_rules_judge
from records.services import record_create, records_approve, records_confirm, records_submit
from reporting.services.official import Figure, official_record

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def moment(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SH)


def approved(plan, settings, code: str, unit_code: str, department: str, rows: list[dict]):
    """Rows of a form entered, confirmed and approved on 2022-06-30."""
    form = FormDefinition.objects.get(plan=plan, code=code)
    reporter, head = reporter_of(unit_code), head_of(unit_code)
    settings.UNIONPLAN_TODAY = "2022-06-30"
    with time_machine.travel(moment("2022-06-30"), tick=False):
        made = [record_create(form=form, unit=reporter.unit, actor=reporter, raw=r) for r in rows]
        records_submit(items=[(r, None) for r in made], actor=reporter)
        records_confirm(items=[(r, None) for r in made], actor=head)
        records_approve(items=[(r, None) for r in made], reviewer=staff_of(department))


def figure(plan, code: str, unit_code: str, value: int, period_end: str):
    official_record(
        [
            Figure(
                unit_id=Unit.objects.get(code=unit_code).pk,
                indicator_id=Indicator.objects.get(plan=plan, code=code).pk,
                period_end=D.fromisoformat(period_end),
                value=Decimal(value),
                approved_at=moment(period_end),
            )
        ]
    )


def broken(plan, as_of: dt.date, code: str) -> dict[str, str]:
    """Who breaks rule `code` as of the date (unit or department name → the numbers), as the
    warnings page and the bulletin list them."""
    return {
        j.name: j.result
        for _unit, judgements in unit_rules_broken(plan=plan, as_of=as_of)
        for j in judgements
        if j.rule.code == code
    }


def in_bulletin(plan, as_of: dt.date, *words: str) -> bool:
    text = "\n".join(unit_rules_text(plan=plan, as_of=as_of))
    return all(w in text for w in words)


def fair(name: str, kind: str = "现场招聘会", hosted: str = "是") -> dict:
    return {"name": name, "kind": kind, "held_on": "2022-05-10", "union_hosted": hosted,
            "employers": "20"}  # fmt: skip


# -- the plan file ----------------------------------------------------------------------------


def test_a_rule_naming_an_unknown_form_field_or_scope_is_refused_with_its_place():
    text = PLAN_2022_FILE.read_text()
    bad = (
        text.replace("form: employment-events\n        where:", "form: job-fairs\n        where:")
        .replace("match: team", "match: squad")
        .replace("scope: [市职工服务中心]", "scope: [市职工食堂]")
    )
    with pytest.raises(PlanFileInvalid) as caught:
        read_plan_bytes(bad.encode())
    problems = "\n".join(caught.value.problems)
    assert ".unit_rules[0].form: 没有代码为「job-fairs」的统计表" in problems
    assert ".unit_rules[1].match: 统计表「legal-activities」没有字段「squad」" in problems
    assert ".unit_rules[1].scope[0]: 「市职工食堂」不是本方案的单位或部门" in problems


def test_a_department_can_be_in_a_rules_scope(plan_2022):
    judged = unit_rules_judge(plan=plan_2022, as_of=D(2022, 12, 1))
    recruitment = {j.name for j in judged if j.rule.code == "P12-offline-recruitment-each"}
    assert "职工服务中心" in recruitment and "汝州市" in recruitment
    assert "市总工会" not in recruitment  # the issuer is held only through its department


# -- each 2022 rule, broken ------------------------------------------------------------------


def test_a_county_without_an_offline_job_fair_is_behind_after_november(plan_2022, settings):
    approved(
        plan_2022, settings, "employment-events", "ruzhou", "职工服务中心", [fair("春风招聘会")]
    )
    approved(plan_2022, settings, "employment-events", "jiaxian", "职工服务中心",
             [fair("网上招聘", kind="网络招聘会")])  # fmt: skip
    # Before its date a unit short of the rule is warned, not yet named in the bulletin.
    assert "郏县" in broken(plan_2022, D(2022, 7, 20), "P12-offline-recruitment-each")
    assert not in_bulletin(plan_2022, D(2022, 7, 20), "每个单位至少组织一场")
    found = broken(plan_2022, D(2022, 12, 1), "P12-offline-recruitment-each")
    assert found["郏县"] == "0 / 1 场" and "汝州市" not in found and "职工服务中心" in found
    assert in_bulletin(plan_2022, D(2022, 12, 1), "郏县", "每个单位至少组织一场", "逾期未达到")


def test_a_county_outside_five_to_ten_shows_is_behind(plan_2022):
    figure(plan_2022, "P13-county-shows", "ruzhou", 3, "2022-10-31")
    figure(plan_2022, "P13-county-shows", "jiaxian", 12, "2022-10-31")
    figure(plan_2022, "P13-county-shows", "baofeng", 6, "2022-10-31")
    found = broken(plan_2022, D(2022, 12, 1), "P13-county-shows-each")
    assert found["汝州市"] == "3 / 5–10 场" and found["郏县"] == "12 / 5–10 场"
    assert "宝丰县" not in found
    assert in_bulletin(plan_2022, D(2022, 12, 1), "汝州市", "5—10 场示范性文艺活动（3 / 5–10 场")


def test_a_county_with_one_kind_of_bargaining_demo_site_is_behind_after_september(plan_2022):
    figure(plan_2022, "P05-enterprise-demo-sites", "ruzhou", 1, "2022-08-31")
    for code in ("P05-enterprise-demo-sites", "P05-industry-demo-sites"):
        figure(plan_2022, code, "jiaxian", 1, "2022-08-31")
    found = broken(plan_2022, D(2022, 10, 1), "P05-demo-sites-each")
    assert found["汝州市"] == "企业集体协商示范点 1 / 1，行业（区域）集体协商示范点 0 / 1"
    assert "郏县" not in found
    warned = dict(unit_rules_broken(plan=plan_2022, as_of=D(2022, 10, 1)))
    ruzhou = next(js for u, js in warned.items() if u.code == "ruzhou")
    assert any(j.overdue for j in ruzhou if j.rule.code == "P05-demo-sites-each")


def test_a_team_with_fewer_than_four_activities_puts_its_unit_behind(plan_2022, settings):
    teams = [{"name": n, "formed_on": "2022-03-01", "lawyers": "3", "cadre": "李四"}
             for n in ("汝州一队", "汝州二队")]  # fmt: skip
    acts = [
        {
            "team": team,
            "held_on": f"2022-05-{i + 1:02d}",
            "place_kind": "工地",
            "place": f"工地{team}{i}",
            "services": "法律咨询",
        }  # fmt: skip
        for team, n in (("汝州一队", 4), (" 汝州二队 ", 1))
        for i in range(n)
    ]
    approved(plan_2022, settings, "legal-teams", "ruzhou", "法律和社会工作部", teams)
    approved(plan_2022, settings, "legal-activities", "ruzhou", "法律和社会工作部", acts)
    found = broken(plan_2022, D(2022, 12, 1), "P05-team-activities-each")
    assert found["汝州市"] == "1 / 2 个达到 4 次"
    # Due in the whole year: the bulletin names the unit once the year is over.
    assert not in_bulletin(plan_2022, D(2022, 12, 1), "每支服务分队不少于 4 次")
    assert in_bulletin(plan_2022, D(2023, 1, 5), "汝州市", "每支服务分队不少于 4 次")


def test_a_unit_without_teams_is_held_to_the_per_team_rule_only_when_its_scope_names_it(
    plan_2022, settings
):
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
    approved(plan_2022, settings, "legal-teams", "ruzhou", "法律和社会工作部", teams)
    approved(plan_2022, settings, "legal-activities", "ruzhou", "法律和社会工作部", acts)
    judged = unit_rules_judge(plan=plan_2022, as_of=D(2022, 12, 1))
    held = {j.name for j in judged if j.rule.code == "P05-team-activities-each"}
    # The 2022 rule names no scope: the notice counts teams for the city, so only a unit that
    # registered teams answers for each of them; 郏县, with none, owes nothing under it.
    assert held == {"汝州市"}
    assert "郏县" not in broken(plan_2022, D(2022, 12, 1), "P05-team-activities-each")

    # A plan that holds every county to the rule: 郏县, with no team at all, has not met it.
    rule = UnitRule.objects.get(plan=plan_2022, code="P05-team-activities-each")
    counties = UnitRule.objects.get(plan=plan_2022, code="P05-demo-sites-each").spec["scope"]
    rule.spec = {**rule.spec, "scope": counties}
    rule.save()
    found = broken(plan_2022, D(2022, 12, 1), "P05-team-activities-each")
    assert found["郏县"] == "未登记（0 / 0 个达到 4 次）"
    assert "汝州市" not in found
    judged = unit_rules_judge(plan=plan_2022, as_of=D(2022, 12, 1))
    held = {j.name for j in judged if j.rule.code == "P05-team-activities-each"}
    assert "市总工会" not in held  # out of the rule's scope: not judged at all
    assert in_bulletin(plan_2022, D(2023, 1, 5), "郏县", "每支服务分队不少于 4 次", "未登记")


def test_two_batches_of_model_worker_rest_are_behind_the_three_after_october(plan_2022, settings):
    batches = [
        {
            "name": f"第{i}批",
            "kind": "劳模疗休养",
            "period": f"2022-0{i + 4}-10 至 2022-0{i + 4}-14",
            "destination": "休养基地",
            "participants": "40",
            "contract_signed": "是",
            "surveyed": "40",
            "satisfied": "39",
        }  # fmt: skip
        for i in (1, 2)
    ]
    approved(plan_2022, settings, "rest-batches", "pds", "劳动和经济工作部", batches)
    assert broken(plan_2022, D(2022, 11, 1), "P08-model-worker-batches") == {
        "劳动和经济工作部": "2 / 3 批"
    }
    assert in_bulletin(plan_2022, D(2022, 11, 1), "劳动和经济工作部：分 3 批")


def test_a_quarter_without_a_lecture_is_behind_once_it_ends(plan_2022):
    figure(plan_2022, "P08-psych-lectures", "pds", 1, "2022-06-20")
    assert broken(plan_2022, D(2022, 9, 1), "P08-psych-lectures-quarterly") == {}
    found = broken(plan_2022, D(2022, 10, 10), "P08-psych-lectures-quarterly")
    assert found["职工服务中心"].startswith("二季度 1，三季度 0，四季度 0")
    # A quarter that ended without a lecture is overdue: the bulletin names the department.
    lectures = "二、三、四季度各举办一场线上心理健康讲座"
    assert not in_bulletin(plan_2022, D(2022, 9, 1), lectures)
    assert in_bulletin(plan_2022, D(2022, 10, 10), "职工服务中心", lectures)


# -- pages ---------------------------------------------------------------------------------


def test_the_warnings_page_and_the_units_list_show_a_broken_rule(
    client, plan_2022, settings, leader
):
    figure(plan_2022, "P13-county-shows", "ruzhou", 3, "2022-10-31")
    settings.UNIONPLAN_TODAY = "2022-12-01"
    client.force_login(leader)
    warnings = reverse("dashboards:warnings", args=[plan_2022.slug])
    html = client.get(f"{warnings}?as_of=2022-12-01").content.decode()
    rules = html[html.index('id="rule-warnings"') :]
    assert "汝州市" in rules and "3 / 5–10 场" in rules and "逾期未达到" in rules
    page = client.get(reverse("plans:unit", args=[plan_2022.slug, "ruzhou"])).content.decode()
    rows = page[page.index('id="unit-rules"') :]
    assert "各县（市、区）总工会组织 5—10 场示范性文艺活动" in rows and "3 / 5–10 场" in rows


def test_judging_every_unit_takes_the_same_queries_for_two_units_and_for_all(
    plan_2022, django_assert_num_queries
):
    units = list(Unit.objects.filter(plans=plan_2022).order_by("order"))
    for chosen in (units[:2], units):
        with django_assert_num_queries(5):
            unit_rules_judge(plan=plan_2022, as_of=D(2022, 12, 1), units=chosen)
