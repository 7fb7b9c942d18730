"""Writes for units and people: accounts, passwords, roles. Each write is atomic and audited."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from orgs import selectors
from orgs.access import ADMIN_ROLES
from orgs.models import Department, PasswordHistory, Unit, User
from orgs.passwords import temporary_password_generate

# Audit events written by this app and its signal receivers (orgs/signals.py).
EVENT_LOGIN_OK = "auth.login.succeeded"
EVENT_LOGIN_FAILED = "auth.login.failed"
EVENT_LOCKED = "auth.account.locked"
EVENT_UNLOCKED = "auth.account.unlocked"
EVENT_LOGOUT = "auth.logout"
EVENT_SESSION_EXPIRED = "auth.session.expired"
EVENT_PERMISSION_DENIED = "auth.permission_denied"
EVENT_PASSWORD_CHANGED = "auth.password.changed"  # noqa: S105 - an event name
EVENT_USER_CREATED = "orgs.user.created"
EVENT_USER_UPDATED = "orgs.user.updated"
EVENT_USER_DISABLED = "orgs.user.disabled"
EVENT_USER_ENABLED = "orgs.user.enabled"
EVENT_ROLE_CHANGED = "orgs.user.role_changed"
EVENT_PASSWORD_RESET = "orgs.user.password_reset"  # noqa: S105 - an event name

# Who acted, in the audit log, when a command run on the server did.
COMMAND_ACTOR = "manage.py"

USER_CREATE_ADMIN_ROLE = "三类管理员账号只能在服务器上用 create_administrator 命令创建"
USER_ROLE_ADMIN = "三类管理员的角色不能在此修改"
USER_ROLE_NEEDS_UNIT = "单位填报员和单位负责人必须指定所属单位"
USER_ROLE_NEEDS_DEPARTMENT = "部门工作人员必须指定所属部门"
USER_USERNAME_TAKEN = "该用户名已被使用（用户名不区分大小写）"
USER_DISABLE_SELF = "不能停用自己的账号"


def user_snapshot(user: User) -> dict:
    """What the audit log keeps of an account before and after a change (never the password)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "unit": user.unit.code if user.unit_id else None,
        "department": user.department.name if user.department_id else None,
        "is_active": user.is_active,
    }


def _role_scope(
    *, role: str, unit: Unit | None, department: Department | None
) -> tuple[Unit | None, Department | None]:
    """The unit and department that go with `role`: a unit role has a unit and nothing else,
    department staff a department and nothing else, the other roles neither."""
    if role in (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD):
        if unit is None:
            raise ServiceError(USER_ROLE_NEEDS_UNIT)
        return unit, None
    if role == User.Role.DEPARTMENT_STAFF:
        if department is None:
            raise ServiceError(USER_ROLE_NEEDS_DEPARTMENT)
        return None, department
    return None, None


def _federation_for(
    *, unit: Unit | None, department: Department | None, actor: User | None
) -> Unit | None:
    """An account's federation (User.federation): its unit's owner or its department's, else
    that of the administrator who makes it."""
    if unit is not None:
        return unit.federation
    if department is not None:
        return department.federation
    return getattr(actor, "federation", None)


def sole_federation() -> Unit | None:
    """The one federation of a database that has exactly one (a single city's deployment)."""
    found = list(Unit.objects.filter(federation_id=F("pk"))[:2])
    return found[0] if len(found) == 1 else None


def password_set(*, user: User, password: str, must_change: bool) -> None:
    """Set the password, remember its hash, and forget hashes beyond the history count.

    Every password set goes through here, the demo's printed one too (demo/accounts.py)."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = settings.UNIONPLAN_PASSWORD_HISTORY_COUNT
    old = user.password_history.values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """The user sets a password of their own (already checked against the policy by the form).

    Other sessions of the user end: Django ties a session to the password hash. The view keeps
    the current one with `update_session_auth_hash`.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    password_set(user=user, password=new_password, must_change=False)
    audit_record(actor=user, event=EVENT_PASSWORD_CHANGED, target=user)
    return user


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    email: str,
    role: str,
    unit: Unit | None = None,
    department: Department | None = None,
) -> tuple[User, str]:
    """A new account with a temporary password, to be changed at first login."""
    if role in ADMIN_ROLES:
        raise ServiceError(USER_CREATE_ADMIN_ROLE)
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(USER_USERNAME_TAKEN)
    unit, department = _role_scope(role=role, unit=unit, department=department)
    user = User.objects.create(
        username=username,
        display_name=display_name,
        email=email,
        role=role,
        unit=unit,
        department=department,
        federation=_federation_for(unit=unit, department=department, actor=actor),
    )
    password = temporary_password_generate()
    password_set(user=user, password=password, must_change=True)
    audit_record(
        actor=actor,
        event=EVENT_USER_CREATED,
        target=user,
        after=user_snapshot(user),
        username=COMMAND_ACTOR,
    )
    return user, password


@transaction.atomic
def user_update(*, actor: User, user: User, display_name: str, email: str) -> User:
    """Change an account's details (name, e-mail); its role and scope are not touched here."""
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("unit", "department")
        .get(pk=user.pk)
    )
    before = user_snapshot(user)
    user.display_name, user.email = display_name, email
    user.save(update_fields=["display_name", "email"])
    after = user_snapshot(user)
    if after != before:
        audit_record(actor=actor, event=EVENT_USER_UPDATED, target=user, before=before, after=after)
    return user


@transaction.atomic
def user_active_set(*, actor: User | None, user: User, active: bool, reason: str = "") -> User:
    """Disable or enable an account. A disabled account's sessions end at once: Django treats
    an inactive user's session as anonymous on the next request."""
    if actor is not None and actor.pk == user.pk and not active:
        raise ServiceError(USER_DISABLE_SELF)
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("unit", "department")
        .get(pk=user.pk)
    )
    if user.is_active == active:
        return user
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event=EVENT_USER_ENABLED if active else EVENT_USER_DISABLED,
        target=user,
        before=before,
        after=user_snapshot(user),
        reason=reason,
        username=COMMAND_ACTOR,
    )
    return user


@transaction.atomic
def user_password_reset(*, actor: User | None, user: User) -> str:
    """A temporary password, shown once to the administrator; the user must change it at the
    next login. The user's sessions end (the password hash changed)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    password = temporary_password_generate()
    password_set(user=user, password=password, must_change=True)
    audit_record(
        actor=actor,
        event=EVENT_PASSWORD_RESET,
        target=user,
        after={"must_change_password": True},
        username=COMMAND_ACTOR,
    )
    return password


@transaction.atomic
def user_role_change(
    *,
    actor: User,
    user: User,
    role: str,
    unit: Unit | None = None,
    department: Department | None = None,
) -> User:
    """Give an account another role, with the unit or department that role needs."""
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("unit", "department")
        .get(pk=user.pk)
    )
    if role in ADMIN_ROLES or user.role in ADMIN_ROLES:
        raise ServiceError(USER_ROLE_ADMIN)
    unit, department = _role_scope(role=role, unit=unit, department=department)
    before = user_snapshot(user)
    user.role, user.unit, user.department = role, unit, department
    user.federation = _federation_for(unit=unit, department=department, actor=actor)
    user.save(update_fields=["role", "unit", "department", "federation"])
    after = user_snapshot(user)
    if after != before:
        audit_record(actor=actor, event=EVENT_ROLE_CHANGED, target=user, before=before, after=after)
    return user


ACCOUNT_UNLOCK_NOTHING_NAMED = "请指定要解除锁定的账号或地址"
ACCOUNT_UNLOCK_FOREIGN = "没有账号 {username} 的锁定可以解除。"


@transaction.atomic
def account_unlock(*, actor: User, username: str = "", ip_address: str | None = None) -> int:
    """End a login lock before its cool-off runs out (orgs/lockout.py): a username alone ends
    its locks from every address, with `ip_address` only the one from there; an address alone
    ends every lock from it. Returns the failure records cleared."""
    if not username and not ip_address:
        # axes' reset with neither would clear every record.
        raise ServiceError(ACCOUNT_UNLOCK_NOTHING_NAMED)
    if selectors.foreign_usernames(actor=actor, names=[username]):
        # Said as for a name with no lock at all: another federation's accounts are not probed.
        raise ServiceError(ACCOUNT_UNLOCK_FOREIGN.format(username=username))
    cleared = axes_reset(ip=ip_address or None, username=username or None)
    audit_record(
        actor=actor,
        event=EVENT_UNLOCKED,
        target=User.objects.filter(username=username).first() if username else None,
        after={"username": username, "ip_address": ip_address, "cleared": cleared},
    )
    return cleared


def dormant_accounts_disable(*, dry_run: bool = False) -> list[User]:
    """Disable every active account without a login for UNIONPLAN_DORMANT_ACCOUNT_AGE (an
    account never used counts from when it was made). Each account in its own transaction."""
    users = selectors.dormant_user_list(now=timezone.now())
    if dry_run:
        return users
    days = settings.UNIONPLAN_DORMANT_ACCOUNT_AGE.days
    for user in users:
        user_active_set(actor=None, user=user, active=False, reason=f"超过 {days} 天未登录")
    return users


@transaction.atomic
def administrator_create(
    *, username: str, role: str, display_name: str = "", federation: Unit | None = None
) -> tuple[User, str, bool]:
    """Create one of the three administrators, or give an existing one a new temporary
    password and enable it. Run from the server (`create_administrator`), never from a page.
    A new one belongs to `federation`, else to the database's only federation."""
    if role not in ADMIN_ROLES:
        raise ServiceError("只能创建系统管理员、安全管理员或审计管理员")
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if created:
        user = User.objects.create(
            username=username,
            role=role,
            display_name=display_name,
            federation=federation or sole_federation(),
        )
    elif user.role != role:
        raise ServiceError(f"用户 {username} 已存在，角色为{user.get_role_display()}")
    before = None if created else user_snapshot(user)
    user.is_active = True
    if display_name:
        user.display_name = display_name
    user.save(update_fields=["is_active", "display_name"])
    password = temporary_password_generate()
    password_set(user=user, password=password, must_change=True)
    audit_record(
        actor=None,
        username=COMMAND_ACTOR,
        event=EVENT_USER_CREATED if created else EVENT_PASSWORD_RESET,
        target=user,
        before=before,
        after=user_snapshot(user),
    )
    return user, password, created
