import pytest
from django.core.management import CommandError, call_command

from conftest import PLAN_2022_FILE


def test_loadplan_reports_no_change_on_the_loaded_demo(plan_2022, capsys):
    call_command("loadplan", str(PLAN_2022_FILE))
    assert "无变化" in capsys.readouterr().out


def test_loadplan_refuses_a_broken_file_and_lists_its_problems(db, tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text("plan: {slug: x}\nunits: []\nprogrammes: [{number: 0}]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path))
    err = capsys.readouterr().err
    assert "plan: 缺少「title」" in err
    assert "programmes[0].number: 应为正整数" in err


def test_loadplan_names_a_missing_file(db):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("loadplan", "/nonexistent/plan.yaml")


def test_loadplan_check_names_a_code_another_federation_uses_and_loads_nothing(
    plan_2022, tmp_path, capsys
):
    from plans.models import Plan
    from plans.tests.services.test_federations import SECOND_CITY

    path = tmp_path / "second.yaml"
    path.write_text(SECOND_CITY.replace("XC_PINGMEI", "pingmei"), encoding="utf-8")
    with pytest.raises(CommandError, match="有 1 个问题，未导入"):
        call_command("loadplan", str(path), "--check")
    assert "units[2].code: 代码「pingmei」已被平顶山市总工会的单位" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("loadplan", str(path))
    assert not Plan.objects.filter(slug="xuchang-2022").exists()
