"""督办 settings (`supervision`) in the plan file: the working days a unit has to sign a 督办单,
read, refused with their place, loaded and dumped."""

import pytest
from django.core.management import CommandError, call_command

from plans.dump import plan_dump
from plans.models import Plan
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_ranking_groups import UNITS
from plans.tests.planfile.test_spec import problems_of, write


def test_a_file_sets_the_working_days_to_sign_a_supervision_notice(tmp_path, db):
    spec = read_plan_file(write(tmp_path, UNITS + "supervision: {sign_days: 5}\n"))
    assert spec.sign_days == 5
    plan = plan_load(spec=spec).plan
    plan.refresh_from_db()
    assert plan.sign_days == 5
    assert plan_dump(plan=plan)["supervision"] == {"sign_days": 5}


def test_a_file_without_the_section_gives_two_working_days(tmp_path):
    assert read_plan_file(write(tmp_path, UNITS)).sign_days == 2


def test_loadplan_check_refuses_zero_sign_days_with_its_place(tmp_path, db, capsys):
    path = write(tmp_path, UNITS + "supervision: {sign_days: 0}\n")
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path), "--check")
    assert "supervision.sign_days: 应为 1–30 之间的整数" in capsys.readouterr().err
    assert not Plan.objects.filter(slug="groups-2030").exists()


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("supervision: {sign_days: 31}", "supervision.sign_days: 应为 1–30 之间的整数"),
        ("supervision: {sign_days: 两天}", "supervision.sign_days: 应为 1–30 之间的整数"),
        ("supervision: {sign_days: true}", "supervision.sign_days: 应为 1–30 之间的整数"),
        ("supervision: {sign: 2}", "supervision: 未知的键「sign」"),
        ("supervision: [2]", "supervision: 应为键值映射"),
    ],
)
def test_a_wrong_supervision_section_is_refused_in_chinese_with_its_place(
    tmp_path, section, problem
):
    text = "\n".join(problems_of(write(tmp_path, UNITS + section + "\n")))
    assert problem in text
