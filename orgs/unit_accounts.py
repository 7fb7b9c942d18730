"""A reporter and a head for every unit of a plan: the system administrator's bulk action.

For each unit of a plan of the administrator's own federation that lacks one, a reporter
(单位填报员) and a head (单位负责人): first a preview of which unit gets which account (a read),
then, once confirmed, all of them in one transaction (the write), each through
`orgs.services.user_create` (a temporary password to be changed at first login, the usual
creation event), with one more event for the action. The issuer's own unit gets none, nor does
a unit another federation owns (its administrators manage its accounts).

The temporary passwords leave the server once: in the workbook the write returns, which the
view sends as the confirming response itself. They are kept nowhere else: no row, no session,
no audit entry (`password_set` stores a hash, as for every account).

Usernames follow the demo's (demo/accounts.py): the unit's code for the reporter,
`<code>-head` for the head. A name already taken, ignoring case, gets the first free `-2`,
`-3`… after it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from common.excel import Column, table_xlsx
from orgs import services
from orgs.models import Unit, User

EVENT_BULK_CREATED = "orgs.user.bulk_created"
EVENT_PASSWORDS_EXPORTED = "orgs.user.passwords_exported"  # noqa: S105 - an event name

UNIT_ACCOUNTS_FOREIGN_PLAN = "只能为本工会印发的方案创建单位账号"
UNIT_ACCOUNTS_CHANGED = (
    "预览之后账号情况已有变化（可能有人同时创建了账号），请核对新的预览后再确认。"
)

UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)
# What follows the unit's code in the username, and its short name in the display name.
USERNAME_SUFFIX = {User.Role.UNIT_REPORTER: "", User.Role.UNIT_HEAD: "-head"}
DISPLAY_SUFFIX = {User.Role.UNIT_REPORTER: "填报员", User.Role.UNIT_HEAD: "负责人"}
# Names per query when looking for taken ones (well under every database's parameter limit).
NAMES_PER_QUERY = 2000
PREFIXES_PER_QUERY = 200


@dataclass(frozen=True)
class NewAccount:
    unit: Unit
    role: str
    username: str

    @property
    def role_label(self) -> str:
        return User.Role(self.role).label

    @property
    def display_name(self) -> str:
        suffix = DISPLAY_SUFFIX[self.role]
        return self.unit.short_name[: 50 - len(suffix)] + suffix


@dataclass(frozen=True)
class UnitRow:
    """One unit in the preview: the username each new account gets, None where it has one."""

    unit: Unit
    reporter: str | None
    head: str | None


@dataclass(frozen=True)
class UnitAccountsPreview:
    rows: list[UnitRow]  # the units that get at least one account
    complete: int  # units of the plan that have both already
    foreign: list[Unit]  # units another federation owns: not here
    fingerprint: str  # what the confirmation must still match

    @property
    def accounts(self) -> list[NewAccount]:
        return [
            NewAccount(unit=row.unit, role=role, username=name)
            for row in self.rows
            for role, name in ((UNIT_ROLES[0], row.reporter), (UNIT_ROLES[1], row.head))
            if name is not None
        ]

    @property
    def reporters(self) -> int:
        return sum(row.reporter is not None for row in self.rows)

    @property
    def heads(self) -> int:
        return sum(row.head is not None for row in self.rows)


@dataclass(frozen=True)
class UnitAccountsCreated:
    accounts: list[NewAccount]
    workbook: bytes  # the temporary passwords: hand it out, never keep it
    filename: str


def unit_accounts_preview(*, plan, actor: User) -> UnitAccountsPreview:
    """Which units of `plan` get which accounts. Three queries (four when a name is taken),
    however many units."""
    units = list(plan.units.exclude(pk=plan.issuer_id).order_by("order", "pk"))
    own = [u for u in units if actor.federation_id and u.federation_id == actor.federation_id]
    own_ids = {u.pk for u in own}
    has = set(
        User.objects.filter(unit__in=plan.units.all(), role__in=UNIT_ROLES).values_list(
            "unit_id", "role"
        )
    )
    wanted = [(u, role) for u in own for role in UNIT_ROLES if (u.pk, role) not in has]
    names = _free_usernames([f"{u.code}{USERNAME_SUFFIX[role]}" for u, role in wanted])
    given = {(u.pk, role): name for (u, role), name in zip(wanted, names, strict=True)}
    reporter, head = UNIT_ROLES
    rows = [
        UnitRow(unit=u, reporter=given.get((u.pk, reporter)), head=given.get((u.pk, head)))
        for u in own
        if (u.pk, reporter) in given or (u.pk, head) in given
    ]
    fingerprint = hashlib.sha256(
        "\n".join(f"{u.pk}:{role}:{given[(u.pk, role)]}" for u, role in wanted).encode()
    ).hexdigest()
    return UnitAccountsPreview(
        rows=rows,
        complete=len(own) - len(rows),
        foreign=[u for u in units if u.pk not in own_ids],
        fingerprint=fingerprint,
    )


def unit_accounts_create(*, actor: User, plan, fingerprint: str) -> UnitAccountsCreated:
    """Create every account the preview showed, all or none, and the workbook of their
    temporary passwords. Nothing to create: nothing happens (a second run). The preview
    changed since it was shown (its `fingerprint`): refused, nothing created."""
    try:
        return _unit_accounts_create(actor=actor, plan=plan, fingerprint=fingerprint)
    except IntegrityError as exc:  # a name taken between the check and the insert
        raise ServiceError(UNIT_ACCOUNTS_CHANGED) from exc


@transaction.atomic
def _unit_accounts_create(*, actor: User, plan, fingerprint: str) -> UnitAccountsCreated:
    if actor.federation_id is None or plan.issuer_id != actor.federation_id:
        raise ServiceError(UNIT_ACCOUNTS_FOREIGN_PLAN)
    # One run at a time per federation: a second waits here, then finds the accounts made.
    Unit.objects.select_for_update().filter(pk=actor.federation_id).first()
    preview = unit_accounts_preview(plan=plan, actor=actor)
    accounts = preview.accounts
    if not accounts:
        return UnitAccountsCreated(accounts=[], workbook=b"", filename="")
    if preview.fingerprint != fingerprint:
        raise ServiceError(UNIT_ACCOUNTS_CHANGED)
    passwords = []
    for account in accounts:
        _user, password = services.user_create(
            actor=actor,
            username=account.username,
            display_name=account.display_name,
            email="",
            role=account.role,
            unit=account.unit,
        )
        passwords.append(password)
    counts = {
        "plan": plan.slug,
        "units": len(preview.rows),
        "reporters": preview.reporters,
        "heads": preview.heads,
        "accounts": len(accounts),
    }
    audit_record(actor=actor, event=EVENT_BULK_CREATED, target=plan, after=counts)
    now = timezone.localtime()
    workbook = _passwords_workbook(plan=plan, accounts=accounts, passwords=passwords, now=now)
    audit_record(
        actor=actor,
        event=EVENT_PASSWORDS_EXPORTED,
        target=plan,
        # The file's digest tells a copy found later from another; never its content.
        after={
            "plan": plan.slug,
            "rows": len(accounts),
            "sha256": hashlib.sha256(workbook).hexdigest(),
        },
    )
    filename = f"unit-accounts-{plan.slug}-{now:%Y%m%d-%H%M%S}.xlsx"
    return UnitAccountsCreated(accounts=accounts, workbook=workbook, filename=filename)


def _free_usernames(bases: list[str]) -> list[str]:
    """Each base name itself if no account has it (ignoring case) and no other base is the
    same, else the first free `<base>-2`, `<base>-3`…; one query per NAMES_PER_QUERY names, and
    one more for the taken ones."""
    keys = [base.lower() for base in bases]
    taken: set[str] = set()
    for i in range(0, len(keys), NAMES_PER_QUERY):
        taken |= _taken(Q(key__in=keys[i : i + NAMES_PER_QUERY]))
    repeated = Counter(keys)
    clashing = sorted({k for k in keys if k in taken or repeated[k] > 1})
    for i in range(0, len(clashing), PREFIXES_PER_QUERY):
        chunk = clashing[i : i + PREFIXES_PER_QUERY]
        taken |= _taken(reduce(or_, (Q(key__startswith=f"{k}-") for k in chunk)))
    clash = set(clashing)
    # Free bases first: a numbered name must not take the one another unit's base is.
    chosen = {i: bases[i] for i, key in enumerate(keys) if key not in clash}
    used = {keys[i] for i in chosen}
    for i, key in enumerate(keys):
        if key not in clash:
            continue
        name, n = bases[i], 1
        while name.lower() in taken or name.lower() in used:
            n += 1
            name = f"{bases[i]}-{n}"
        chosen[i] = name
        used.add(name.lower())
    return [chosen[i] for i in range(len(bases))]


def _taken(condition: Q) -> set[str]:
    users = User.objects.annotate(key=Lower("username")).filter(condition)
    return set(users.values_list("key", flat=True))


PASSWORD_COLUMNS = [
    Column("单位全称", 34, align="left"),
    Column("单位代码", 16),
    Column("角色", 14),
    Column("用户名", 22),
    Column("临时密码", 20),
]


def _passwords_workbook(*, plan, accounts: list[NewAccount], passwords: list[str], now) -> bytes:
    rows = [
        [a.unit.name, a.unit.code, a.role_label, a.username, password]
        for a, password in zip(accounts, passwords, strict=True)
    ]
    return table_xlsx(
        sheet_title="单位账号临时密码",
        title="单位账号临时密码",
        subtitle=f"{plan.title} · 生成于 {now:%Y-%m-%d %H:%M}",
        columns=PASSWORD_COLUMNS,
        rows=rows,
        notes=[
            "临时密码只在本文件中出现这一次，系统不保存，也不能再次下载；首次登录后必须修改密码。",
            "请通过安全渠道分别交给各单位，分发后删除本文件。文件丢失时，请在用户管理中逐个重置密码。",
        ],
    )
