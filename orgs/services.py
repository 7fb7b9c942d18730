"""Writes for units and people."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from orgs.models import Department, User
from plans.models import Allocation, Plan, ProgrammeDepartment

# Printed by `seed_demo` and in the README; demo accounts never exist in production settings.
DEMO_PASSWORD = "Gonghui@2022"  # noqa: S105 - a demo password, printed on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


@transaction.atomic
def demo_accounts_create(*, plan: Plan) -> list[DemoAccount]:
    """One fictional account per role, and one reporter for each unit with targets in `plan`."""
    accounts: list[DemoAccount] = []

    def ensure(username: str, description: str, **fields) -> None:
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        accounts.append(DemoAccount(username, DEMO_PASSWORD, description))

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
