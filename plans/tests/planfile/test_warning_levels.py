"""黄牌 / 红牌 settings (`warnings`) in the plan file: read, refused with their place, loaded,
dumped."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from plans.dump import plan_dump
from plans.models import Plan
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_ranking_groups import UNITS
from plans.tests.planfile.test_spec import problems_of, write

WARNINGS = """
warnings: {due_soon_workdays: 5, yellow_margin: 0.15, red_margin: 0.4}
"""


def test_a_file_sets_the_workdays_and_margins_of_its_yellow_and_red_cards(tmp_path):
    spec = read_plan_file(write(tmp_path, UNITS + WARNINGS))
    assert spec.warning_levels == {"due_soon_workdays": 5, "yellow_margin": 0.15, "red_margin": 0.4}


def test_a_file_without_warnings_keeps_the_systems_defaults(tmp_path):
    assert read_plan_file(write(tmp_path, UNITS)).warning_levels == {}


def test_loadplan_check_refuses_a_red_margin_not_above_the_yellow_and_too_many_workdays(
    tmp_path, db, capsys
):
    path = write(
        tmp_path,
        UNITS + "warnings: {due_soon_workdays: 31, yellow_margin: 0.3, red_margin: 0.3}\n",
    )
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path), "--check")
    err = capsys.readouterr().err
    assert "warnings.due_soon_workdays: 应为 0–30 之间的整数" in err
    assert "warnings.red_margin: 红牌幅度（0.3）应大于黄牌幅度（0.3）" in err
    assert not Plan.objects.filter(slug="groups-2030").exists()


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            "warnings: {yellow_margin: 0.1}",
            "warnings.red_margin: yellow_margin 与 red_margin 应同时给出",
        ),
        (
            "warnings: {yellow_margin: 0.1, red_margin: 1.5}",
            "warnings.red_margin: 应为 0–1 之间的小数",
        ),
        ("warnings: {yellow_margin: -0.1, red_margin: 0.3}", "warnings.yellow_margin: 不能为负数"),
        ("warnings: {due_soon_workdays: 三天}", "warnings.due_soon_workdays: 应为 0–30 之间的整数"),
        ("warnings: {due_soon: 3}", "warnings: 未知的键「due_soon」"),
        ("warnings: [3]", "warnings: 应为键值映射"),
    ],
)
def test_a_wrong_warnings_section_is_refused_in_chinese_with_its_place(tmp_path, section, problem):
    text = "\n".join(problems_of(write(tmp_path, UNITS + section + "\n")))
    assert problem in text


def test_a_dumped_plans_warnings_load_back_unchanged(tmp_path, db):
    plan = plan_load(spec=read_plan_file(write(tmp_path, UNITS + WARNINGS))).plan
    dumped = json.loads(json.dumps(plan_dump(plan=plan), ensure_ascii=False))
    assert dumped["warnings"] == {"due_soon_workdays": 5, "yellow_margin": 0.15, "red_margin": 0.4}

    again = tmp_path / "again"
    again.mkdir()
    section = yaml.safe_dump({"warnings": dumped["warnings"]}, allow_unicode=True)
    reloaded = plan_load(spec=read_plan_file(write(again, UNITS + section))).plan
    reloaded.refresh_from_db()
    assert reloaded.warning_levels == plan.warning_levels
    # A plan without the section dumps an empty one, which loads as the defaults.
    plain = plan_load(spec=read_plan_file(write(tmp_path, UNITS))).plan
    assert plan_dump(plan=plain)["warnings"] == {}
