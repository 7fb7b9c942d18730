import pytest
from django.core.management import CommandError, call_command

from demo.accounts import DEMO_PASSWORD
from orgs.models import User


def test_seed_demo_creates_one_account_per_role_and_a_reporter_per_unit(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in User.Role}
    assert User.objects.get(username="ruzhou-head").role == User.Role.UNIT_HEAD
    reporter = User.objects.get(username="ruzhou")
    assert reporter.unit.short_name == "汝州市" and reporter.check_password(DEMO_PASSWORD)
    assert User.objects.filter(role=User.Role.DEPARTMENT_STAFF).count() == 8
    assert "ruzhou" in out and DEMO_PASSWORD in out


def test_seed_demo_twice_keeps_one_account_each(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="生产环境不创建演示账号"):
        call_command("seed_demo")
    assert not User.objects.exists()
