"""`manage.py formsheet export|import`: a form to a sheet and back, checked first, saved only
without --check, refused with each problem listed."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from records.models import FormDefinition
from records.tests.formsheets import edited, row_of

SLUG = "pingdingshan-2022"


def export(tmp_path, code="childcare"):
    path = tmp_path / f"{code}.xlsx"
    call_command("formsheet", "export", SLUG, code, str(path))
    return path


def test_an_exported_form_imports_back_as_no_change(plan_2022, tmp_path, capsys):
    path = export(tmp_path)
    call_command("formsheet", "import", SLUG, "11", str(path))
    assert "与方案中的相同，无变化" in capsys.readouterr().out
    assert not AuditEntry.objects.filter(event__startswith="records.form.").exists()


def test_check_lists_the_changes_and_saves_nothing_then_import_saves(plan_2022, tmp_path, capsys):
    path = export(tmp_path)
    data = path.read_bytes()
    path.write_bytes(edited(data, "设置", {(row_of(data, "设置", "名称"), "内容"): "托管班登记表"}))
    call_command("formsheet", "import", SLUG, "11", str(path), "--check")
    out = capsys.readouterr().out
    assert "名称：「暑期爱心托管班登记表」→「托管班登记表」" in out
    assert "检查通过，未保存" in out
    assert (
        FormDefinition.objects.get(plan=plan_2022, code="childcare").title == "暑期爱心托管班登记表"
    )
    call_command("formsheet", "import", SLUG, "11", str(path))
    assert "已替换专案11的统计表「托管班登记表」" in capsys.readouterr().out
    assert FormDefinition.objects.get(plan=plan_2022, code="childcare").title == "托管班登记表"
    logged = AuditEntry.objects.get(event="records.form.replaced")
    assert (logged.actor, logged.actor_username) == (None, "system")
    assert logged.federation_id == plan_2022.issuer_id


def test_a_sheet_with_problems_is_refused_with_each_problem(plan_2022, tmp_path, capsys):
    path = export(tmp_path)
    data = path.read_bytes()
    row = row_of(data, "字段", "children")
    path.write_bytes(edited(data, "字段", {(row, "必填"): "也许"}))
    with pytest.raises(CommandError, match="有 1 个问题，未导入"):
        call_command("formsheet", "import", SLUG, "11", str(path))
    assert f"字段表第{row}行「必填」：应填“是”或“否”，现为「也许」" in capsys.readouterr().err


def test_an_unknown_plan_form_or_programme_is_named(plan_2022, tmp_path):
    with pytest.raises(CommandError, match="没有方案「nope」"):
        call_command("formsheet", "export", "nope", "childcare", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="没有统计表「nope」"):
        call_command("formsheet", "export", SLUG, "nope", str(tmp_path / "x.xlsx"))
    path = export(tmp_path)
    with pytest.raises(CommandError, match="本方案没有专案99"):
        call_command("formsheet", "import", SLUG, "99", str(path))
