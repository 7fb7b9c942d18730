import re

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from orgs.models import User
from orgs.passwords import character_classes


def temporary_password(out):
    return re.search(r"首次登录必须修改）：(\S+)", out).group(1)


def test_it_creates_an_administrator_who_must_change_the_printed_password(db, capsys):
    call_command("create_administrator", "audit1", "--role", "audit_admin")
    password = temporary_password(capsys.readouterr().out)
    user = User.objects.get(username="audit1")
    assert user.role == "audit_admin" and user.must_change_password
    assert user.check_password(password) and character_classes(password) == 4
    entry = AuditEntry.objects.get(event="orgs.user.created")
    assert entry.actor_username == "manage.py" and password not in str(entry.after)


def test_run_again_it_enables_the_account_with_a_new_password(db, capsys):
    call_command("create_administrator", "sec1", "--role", "security_admin")
    first = temporary_password(capsys.readouterr().out)
    User.objects.filter(username="sec1").update(is_active=False)
    call_command("create_administrator", "sec1", "--role", "security_admin")
    second = temporary_password(capsys.readouterr().out)
    user = User.objects.get(username="sec1")
    assert user.is_active and user.check_password(second) and first != second
    assert AuditEntry.objects.filter(event="orgs.user.password_reset").count() == 1


def test_it_refuses_to_turn_an_ordinary_account_into_an_administrator(leader):
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_administrator", "leader-test", "--role", "system_admin")
    leader.refresh_from_db()
    assert leader.role == "leader"


def test_an_administrator_belongs_to_the_only_federation_or_the_one_named(plan_2022, capsys):
    call_command("create_administrator", "fed-admin", "--role", "system_admin")
    assert User.objects.get(username="fed-admin").federation == plan_2022.issuer
    call_command(
        "create_administrator", "fed-admin-2", "--role", "audit_admin", "--federation", "pds"
    )
    assert User.objects.get(username="fed-admin-2").federation == plan_2022.issuer


def test_a_federation_code_that_issues_no_plan_is_refused(plan_2022):
    with pytest.raises(CommandError, match="没有代码为「ruzhou」的工会"):
        call_command(
            "create_administrator", "x", "--role", "system_admin", "--federation", "ruzhou"
        )
    assert not User.objects.filter(username="x").exists()
