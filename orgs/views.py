"""Account pages: password change, the system and security administrators' pages, error pages.

Each view: access check (orgs/access.py) → form → one service or selector → render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from common.errors import ServiceError
from orgs import access, selectors, services
from orgs.forms import (
    PasswordChangeForm,
    RoleChangeForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)

USERS_PER_PAGE = 50


# Error and lockout pages ------------------------------------------------------------------


def login_locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lockout message, status 429."""
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"登录失败次数过多，账号已锁定 {minutes} 分钟，请稍后再试或联系安全管理员"
    context = {"form": form, "locked_message": message, "next": ""}
    return render(request, "registration/login.html", context, status=429)


def permission_denied(request, exception=None):
    """handler403: every refusal is on record, then a generic Chinese page."""
    audit_record(
        actor=request.user,
        event=services.EVENT_PERMISSION_DENIED,
        after={"path": request.path[:300], "method": request.method},
        result=AuditEntry.Result.DENIED,
        reason=str(exception or "")[:500],
    )
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Chinese page instead of Django's English one."""
    message = "页面已过期或请求来源无效，请返回上一页刷新后重试。"
    return render(request, "403.html", {"message": message}, status=403)


# Every user ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays; the others end
        messages.success(request, "密码已修改。")
        return redirect("home")
    reason = selectors.password_change_reason(request.user)
    return render(request, "orgs/password_change.html", {"form": form, "reason": reason})


# System administrator: accounts ---------------------------------------------------------


@require_GET
def user_list(request):
    access.require_system_admin(request.user)
    form = UserFilterForm(request.GET or None)
    users = selectors.user_list(**form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"form": form, "page": page})


@never_cache
@require_http_methods(["GET", "POST"])
def user_create(request):
    access.require_system_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return _password_shown(request, user, password, "账号已创建")
    return render(request, "orgs/user_form.html", {"form": form, "title": "新建用户"})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    access.require_system_admin(request.user)
    user = selectors.user_get(pk=pk)
    access.require_account_manageable(request.user, user)
    initial = {"display_name": user.display_name, "email": user.email}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=request.user, user=user, **form.cleaned_data)
        messages.success(request, f"已保存用户 {user.username} 的信息。")
        return redirect("orgs:user_list")
    context = {"form": form, "title": f"编辑用户 {user.username}", "target": user}
    return render(request, "orgs/user_form.html", context)


@require_POST
def user_active_set(request, pk: int):
    access.require_system_admin(request.user)
    user = selectors.user_get(pk=pk)
    access.require_account_manageable(request.user, user)
    active = request.POST.get("active") == "1"
    services.user_active_set(actor=request.user, user=user, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}用户 {user.username}。")
    return redirect("orgs:user_list")


@never_cache
@require_POST
def user_password_reset(request, pk: int):
    access.require_system_admin(request.user)
    user = selectors.user_get(pk=pk)
    access.require_account_manageable(request.user, user)
    password = services.user_password_reset(actor=request.user, user=user)
    return _password_shown(request, user, password, "密码已重置")


def _password_shown(request, user, password: str, title: str):
    """The temporary password, on this one response only (never stored, never cached)."""
    context = {"target": user, "password": password, "title": title}
    return render(request, "orgs/password_shown.html", context)


# Security administrator: roles, locked accounts, policy ----------------------------------


@require_GET
def role_list(request):
    access.require_security_admin(request.user)
    form = UserFilterForm(request.GET or None)
    users = selectors.user_list(**form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orgs/role_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
def role_change(request, pk: int):
    access.require_security_admin(request.user)
    user = selectors.user_get(pk=pk)
    access.require_role_changeable(request.user, user)
    initial = {"role": user.role, "unit": user.unit, "department": user.department}
    form = RoleChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_role_change(actor=request.user, user=user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已修改用户 {user.username} 的角色。")
            return redirect("orgs:role_list")
    return render(request, "orgs/role_change.html", {"form": form, "target": user})


@require_GET
def locked_list(request):
    access.require_security_admin(request.user)
    accounts = selectors.locked_account_list()
    return render(request, "orgs/locked_list.html", {"accounts": accounts})


@require_POST
def account_unlock(request):
    access.require_security_admin(request.user)
    username = request.POST.get("username", "")[:150]
    if username:
        services.account_unlock(actor=request.user, username=username)
        messages.success(request, f"已解除账号 {username} 的锁定。")
    return redirect("orgs:locked_list")


@require_GET
def policy(request):
    access.require_security_admin(request.user)
    return render(request, "orgs/policy.html", {"figures": selectors.security_policy()})
