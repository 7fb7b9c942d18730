"""Reads for accounts: the administrators' lists, locked and dormant accounts, the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from orgs.models import User


def _members(actor: User) -> QuerySet[User]:
    """The accounts of the administrator's own federation: another federation's are a 404."""
    if actor.federation_id is None:
        return User.objects.none()
    return User.objects.filter(federation_id=actor.federation_id)


def user_list(
    *,
    actor: User,
    role: str = "",
    unit_id: int | None = None,
    active: bool | None = None,
    q: str = "",
) -> QuerySet[User]:
    """Accounts for the administrators' pages, with unit and department in the same query."""
    users = _members(actor).select_related("unit", "department").order_by("username")
    if role:
        users = users.filter(role=role)
    if unit_id:
        users = users.filter(unit_id=unit_id)
    if active is not None:
        users = users.filter(is_active=active)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return users


def user_get(*, pk: int, actor: User) -> User:
    """One account of the administrator's federation, or 404."""
    return get_object_or_404(_members(actor).select_related("unit", "department"), pk=pk)


def dormant_user_list(*, now: dt.datetime) -> list[User]:
    """Active accounts without a login since `now - UNIONPLAN_DORMANT_ACCOUNT_AGE`; an account
    that never logged in counts from when it was made."""
    cutoff = now - settings.UNIONPLAN_DORMANT_ACCOUNT_AGE
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .select_related("unit", "department")
        .order_by("username")
    )


@dataclass(frozen=True)
class LockedAccount:
    """A lock now in force (orgs/lockout.py): a username for one address, or, with `username`
    empty, an address for every username."""

    username: str
    failures: int
    last_failure_at: dt.datetime
    locked_until: dt.datetime
    ip_address: str | None = None


def foreign_usernames(*, actor: User, names) -> set[str]:
    """Which of `names` (as typed at the login page, any case) are accounts of a federation
    other than the administrator's, lower-cased: their locks are that federation's business."""
    wanted = {name.lower() for name in names if name}
    if not wanted:
        return set()
    return set(
        User.objects.exclude(federation_id=actor.federation_id)
        .annotate(key=Lower("username"))
        .filter(key__in=wanted)
        .values_list("key", flat=True)
    )


def locked_account_list(*, actor: User) -> list[LockedAccount]:
    """Locks in force from too many failed logins (django-axes' records), newest first: each
    (username, address) at AXES_FAILURE_LIMIT, each address at
    UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT. An address lock is shown to every federation (the
    server is shared); a username lock of another federation's account is not. Three
    queries."""
    cool_off = settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    totals = {"failures": Sum("failures_since_start"), "last": Max("attempt_time")}
    pairs = (
        recent.values("username", "ip_address")
        .annotate(**totals)
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    addresses = (
        recent.values("ip_address")
        .annotate(**totals)
        .filter(failures__gte=settings.UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT)
    )
    locks = [
        LockedAccount(
            username=r.get("username", ""),
            failures=r["failures"],
            last_failure_at=r["last"],
            locked_until=r["last"] + cool_off,
            ip_address=r["ip_address"],
        )
        for rows in (addresses, pairs)
        for r in rows
    ]
    foreign = foreign_usernames(actor=actor, names=[lock.username for lock in locks])
    locks = [lock for lock in locks if lock.username.lower() not in foreign]
    return sorted(locks, key=lambda lock: lock.last_failure_at, reverse=True)


@dataclass(frozen=True)
class PolicyFigure:
    area: str
    name: str
    value: str
    setting: str


def _minutes(delta: dt.timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)} 分钟"


def _validator_option(name: str, option: str):
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith(name):
            return validator.get("OPTIONS", {}).get(option)
    return None


def security_policy() -> list[PolicyFigure]:
    """The security figures in force, read from settings (the security administrator's page)."""
    length = (
        f"{_validator_option('LengthValidator', 'min_length')} 至 "
        f"{_validator_option('LengthValidator', 'max_length')} 个字符"
    )
    classes = _validator_option("CharacterClassesValidator", "min_classes")
    csp = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return [
        PolicyFigure("密码", "长度", length, "AUTH_PASSWORD_VALIDATORS"),
        PolicyFigure("密码", "字符类别", f"四类中至少 {classes} 类", "AUTH_PASSWORD_VALIDATORS"),
        PolicyFigure("密码", "不得包含用户名、不得为常见密码", "是", "AUTH_PASSWORD_VALIDATORS"),
        PolicyFigure(
            "密码",
            "不得与最近几次密码相同",
            f"{settings.UNIONPLAN_PASSWORD_HISTORY_COUNT} 次",
            "UNIONPLAN_PASSWORD_HISTORY_COUNT",
        ),
        PolicyFigure(
            "密码",
            "有效期（到期强制修改）",
            f"{settings.UNIONPLAN_PASSWORD_MAX_AGE.days} 天",
            "UNIONPLAN_PASSWORD_MAX_AGE",
        ),
        PolicyFigure(
            "密码",
            "初始（演示）账号首次登录强制修改",
            "是" if settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE else "否",
            "UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE",
        ),
        PolicyFigure(
            "密码", "哈希算法", settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1], "PASSWORD_HASHERS"
        ),
        PolicyFigure(
            "登录",
            "连续失败锁定（按用户名和来源地址）",
            f"{settings.AXES_FAILURE_LIMIT} 次",
            "AXES_FAILURE_LIMIT",
        ),
        PolicyFigure(
            "登录",
            "同一来源地址累计失败锁定（不分用户名）",
            f"{settings.UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT} 次",
            "UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT",
        ),
        PolicyFigure("登录", "锁定时长", _minutes(settings.AXES_COOLOFF_TIME), "AXES_COOLOFF_TIME"),
        PolicyFigure(
            "会话",
            "空闲超时",
            _minutes(settings.UNIONPLAN_SESSION_IDLE_TIMEOUT),
            "UNIONPLAN_SESSION_IDLE_TIMEOUT",
        ),
        PolicyFigure(
            "会话",
            "空闲超时（三类管理员）",
            _minutes(settings.UNIONPLAN_SESSION_IDLE_TIMEOUT_ADMIN),
            "UNIONPLAN_SESSION_IDLE_TIMEOUT_ADMIN",
        ),
        PolicyFigure(
            "会话",
            "最长会话时间",
            f"{int(settings.UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)} 小时",
            "UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT",
        ),
        PolicyFigure(
            "两步验证",
            "三类管理员必须启用（其他用户可自愿启用）",
            "是（手机身份验证器 App，TOTP）",
            "orgs.middleware.SecondFactorRequiredMiddleware",
        ),
        PolicyFigure(
            "两步验证",
            "连续输错验证码退出登录",
            f"{settings.UNIONPLAN_OTP_MAX_FAILURES} 次",
            "UNIONPLAN_OTP_MAX_FAILURES",
        ),
        PolicyFigure(
            "两步验证",
            "恢复码（每个只能用一次）",
            f"{settings.UNIONPLAN_OTP_RECOVERY_CODES} 个",
            "UNIONPLAN_OTP_RECOVERY_CODES",
        ),
        PolicyFigure(
            "账号",
            "长期未登录自动停用",
            f"{settings.UNIONPLAN_DORMANT_ACCOUNT_AGE.days} 天",
            "UNIONPLAN_DORMANT_ACCOUNT_AGE",
        ),
        PolicyFigure(
            "传输",
            "HSTS",
            f"{getattr(settings, 'SECURE_HSTS_SECONDS', 0) or 0} 秒",
            "SECURE_HSTS_SECONDS",
        ),
        PolicyFigure(
            "传输",
            "内容安全策略（CSP）",
            "; ".join(f"{k} {' '.join(v)}" for k, v in csp.items()),
            "CONTENT_SECURITY_POLICY",
        ),
    ]


def password_change_reason(user: User, *, now: dt.datetime | None = None) -> str:
    """Why `user` must change their password before anything else, or "" if they need not."""
    if user.must_change_password:
        return "首次登录或管理员重置密码后，请先修改密码。"
    changed_at = user.password_changed_at or user.date_joined
    max_age = settings.UNIONPLAN_PASSWORD_MAX_AGE
    if changed_at and (now or timezone.now()) - changed_at > max_age:
        return f"密码已超过 {max_age.days} 天未修改，请修改密码。"
    return ""
