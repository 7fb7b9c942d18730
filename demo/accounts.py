"""The demo's fictional accounts: one per role, and a reporter and a head for each unit with
targets in the demo plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from orgs.models import Department, User
from orgs.otp import otp_demo_enrol, otp_secret_text
from orgs.services import password_set
from plans.models import Allocation, Plan, ProgrammeDepartment

# Printed by `seed_demo` and in the README; demo accounts never exist in production settings.
DEMO_PASSWORD = "Gonghui@2022"  # noqa: S105 - a demo password, printed on purpose
# The demo administrators' authenticator secret (hex; printed in base32), in development only:
# with the production rule (UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE) they set up their own.
DEMO_OTP_KEY = "756e696f6e706c616e2d64656d6f2d3230323221"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str
    otp_secret: str = ""  # the second factor's secret, typed into an authenticator app


@transaction.atomic
def demo_accounts_create(*, plan: Plan) -> list[DemoAccount]:
    """One fictional account per role, and one reporter for each unit with targets in `plan`."""
    accounts: list[DemoAccount] = []

    force_change = settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE

    def ensure(username: str, description: str, **fields) -> None:
        # Every demo account works on the demo plan's federation.
        fields.setdefault("federation", plan.issuer)
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        # Through the history like any other password: a demo account that had to change the
        # printed password must not be able to change it back.
        password_set(user=user, password=DEMO_PASSWORD, must_change=force_change)
        secret = ""
        if user.is_administrator and not force_change:
            otp_demo_enrol(user=user, key=DEMO_OTP_KEY)
            secret = otp_secret_text(DEMO_OTP_KEY)
        accounts.append(DemoAccount(username, DEMO_PASSWORD, description, secret))

    ensure(
        "sysadmin",
        "系统管理员（用户与配置）",
        role=User.Role.SYSTEM_ADMIN,
        display_name="演示系统管理员",
    )
    ensure(
        "secadmin",
        "安全管理员（角色与策略）",
        role=User.Role.SECURITY_ADMIN,
        display_name="演示安全管理员",
    )
    ensure(
        "auditadmin",
        "审计管理员（审计日志）",
        role=User.Role.AUDIT_ADMIN,
        display_name="演示审计管理员",
    )
    ensure("leader", "领导（只读全部）", role=User.Role.LEADER, display_name="演示领导")

    department_ids = (
        ProgrammeDepartment.objects.filter(programme__plan=plan)
        .values_list("department_id", flat=True)
        .distinct()
    )
    for i, department in enumerate(Department.objects.filter(pk__in=department_ids), start=1):
        ensure(
            f"staff{i:02d}",
            f"部门工作人员 · {department.name}",
            role=User.Role.DEPARTMENT_STAFF,
            department=department,
            display_name=f"{department.name}演示员",
        )

    unit_ids = (
        Allocation.objects.filter(indicator__plan=plan, unit__isnull=False)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit in plan.units.filter(pk__in=unit_ids).order_by("order"):
        ensure(
            unit.code,
            f"单位填报员 · {unit.short_name}",
            role=User.Role.UNIT_REPORTER,
            unit=unit,
            display_name=f"{unit.short_name}填报员",
            email=f"{unit.code}@demo.invalid",
        )
        ensure(
            f"{unit.code}-head",
            f"单位负责人 · {unit.short_name}",
            role=User.Role.UNIT_HEAD,
            unit=unit,
            display_name=f"{unit.short_name}负责人",
            email=f"{unit.code}-head@demo.invalid",
        )
    return accounts
