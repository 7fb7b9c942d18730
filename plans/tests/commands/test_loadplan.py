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
