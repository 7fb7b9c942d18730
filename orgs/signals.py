"""Audit entries for login, logout, failed logins and lockouts (connected in OrgsConfig.ready)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEntry
from audit.services import audit_record
from orgs import services
from orgs.middleware import session_start
from orgs.models import User
from orgs.otp import otp_session_start

LOGOUT_REASONS = {
    "idle": "空闲超时",
    "absolute": "超过最长会话时间",
}


@receiver(user_logged_in, dispatch_uid="orgs_audit_login")
def login_recorded(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request)
        otp_session_start(request, user)
    audit_record(actor=user, event=services.EVENT_LOGIN_OK, target=user)


@receiver(user_logged_out, dispatch_uid="orgs_audit_logout")
def logout_recorded(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    why = getattr(request, "unionplan_logout_reason", None)
    audit_record(
        actor=user,
        event=services.EVENT_SESSION_EXPIRED if why else services.EVENT_LOGOUT,
        target=user,
        reason=LOGOUT_REASONS.get(why, ""),
    )


@receiver(user_login_failed, dispatch_uid="orgs_audit_login_failed")
def login_failure_recorded(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or "")[:150]
    # Refused without checking the password: the account was already locked (axes counts no
    # failure then). A failure that locks the account is still a wrong password.
    locked = bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
    audit_record(
        actor=None,
        username=username,
        event=services.EVENT_LOGIN_FAILED,
        target=User.objects.filter(username=username).first() if username else None,
        result=AuditEntry.Result.DENIED if locked else AuditEntry.Result.FAILED,
        reason=_locked_reason(request) if locked else "用户名或密码错误",
    )


def _locked_reason(request) -> str:
    # orgs.lockout marks a request refused because its address, not the username, is locked.
    return "来源地址已锁定" if getattr(request, "unionplan_address_locked", False) else "账号已锁定"


@receiver(user_locked_out, dispatch_uid="orgs_audit_locked_out")
def lockout_recorded(sender, request, username, ip_address, **kwargs) -> None:
    # Axes sends this for the failure that locks the account and again for each attempt while
    # it is locked; only the first carries a failure count, and only it is a new lock.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    username = str(username or "")[:150]
    if getattr(request, "unionplan_address_locked", False):
        limit = settings.UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT
        reason = f"同一地址累计 {limit} 次登录失败，锁定该地址的登录至冷却期结束"
    else:
        limit = settings.AXES_FAILURE_LIMIT
        reason = f"连续 {limit} 次登录失败，锁定该用户名在该地址的登录至冷却期结束"
    audit_record(
        actor=None,
        username=username,
        event=services.EVENT_LOCKED,
        target=User.objects.filter(username=username).first() if username else None,
        result=AuditEntry.Result.DENIED,
        reason=reason,
    )
