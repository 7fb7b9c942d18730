"""Account pages: password change, the system and security administrators' pages, error pages.

Each view: access check (orgs/access.py) → form → one service or selector → render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from audit.models import AuditEntry
from audit.services import audit_record
from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE
from common.redirects import local_path
from orgs import access, extensions, otp, selectors, services, unit_accounts
from orgs.forms import (
    AccountUnlockForm,
    PasswordChangeForm,
    RoleChangeForm,
    SecondFactorCodeForm,
    UnitAccountsConfirmForm,
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
    if getattr(request, "unionplan_address_locked", False):  # set by orgs.lockout
        message = (
            f"此地址登录失败次数过多，已暂停从此地址登录 {minutes} 分钟，请稍后再试或联系安全管理员"
        )
    else:
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
    # Our refusals say why in Chinese (不能重置自己的两步验证); anything else keeps the page's
    # generic text rather than show a library's English.
    reason = str(exception or "")
    message = reason if any("\u4e00" <= c <= "\u9fff" for c in reason) else None
    return render(request, "403.html", {"message": message}, status=403)


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
    form = UserFilterForm(request.GET or None, actor=request.user)
    users = selectors.user_list(actor=request.user, **form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"form": form, "page": page})


@never_cache
@require_http_methods(["GET", "POST"])
def user_create(request):
    access.require_system_admin(request.user)
    form = UserCreateForm(request.POST or None, actor=request.user)
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
    user = selectors.user_get(pk=pk, actor=request.user)
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
    user = selectors.user_get(pk=pk, actor=request.user)
    access.require_account_manageable(request.user, user)
    active = request.POST.get("active") == "1"
    services.user_active_set(actor=request.user, user=user, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}用户 {user.username}。")
    return redirect("orgs:user_list")


@never_cache
@require_POST
def user_password_reset(request, pk: int):
    access.require_system_admin(request.user)
    user = selectors.user_get(pk=pk, actor=request.user)
    access.require_account_manageable(request.user, user)
    password = services.user_password_reset(actor=request.user, user=user)
    return _password_shown(request, user, password, "密码已重置")


def _password_shown(request, user, password: str, title: str):
    """The temporary password, on this one response only (never stored, never cached)."""
    context = {"target": user, "password": password, "title": title}
    return render(request, "orgs/password_shown.html", context)


# System administrator: a reporter and a head for every unit of a plan (orgs/unit_accounts.py)


@require_GET
def unit_accounts_plans(request):
    access.require_system_admin(request.user)
    plans = extensions.plan_list(actor=request.user)
    return render(request, "orgs/unit_accounts_plans.html", {"plans": plans})


@never_cache
@require_GET
def unit_accounts_preview(request, slug: str):
    access.require_system_admin(request.user)
    plan = extensions.plan_get(slug=slug, actor=request.user)
    preview = unit_accounts.unit_accounts_preview(plan=plan, actor=request.user)
    form = UnitAccountsConfirmForm(initial={"fingerprint": preview.fingerprint})
    context = {"plan": plan, "preview": preview, "form": form}
    return render(request, "orgs/unit_accounts_preview.html", context)


@never_cache
@require_POST
def unit_accounts_create(request, slug: str):
    """The accounts, and in this response only, the workbook of their temporary passwords:
    no address serves it again."""
    access.require_system_admin(request.user)
    plan = extensions.plan_get(slug=slug, actor=request.user)
    form = UnitAccountsConfirmForm(request.POST)
    again = redirect("orgs:unit_accounts_preview", slug=plan.slug)
    if not form.is_valid():
        messages.error(request, "请从预览页面确认创建。")
        return again
    try:
        done = unit_accounts.unit_accounts_create(
            actor=request.user, plan=plan, fingerprint=form.cleaned_data["fingerprint"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return again
    if not done.accounts:
        messages.info(request, "各单位都已有填报员和负责人账号，没有创建新账号。")
        return again
    # Shown on the next page the administrator opens; the passwords are in the file only.
    units = len({account.unit.pk for account in done.accounts})
    messages.success(request, f"已为 {units} 个单位创建 {len(done.accounts)} 个账号。")
    response = HttpResponse(done.workbook, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{done.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# Security administrator: roles, locked accounts, policy ----------------------------------


@require_GET
def role_list(request):
    access.require_security_admin(request.user)
    form = UserFilterForm(request.GET or None, actor=request.user)
    users = selectors.user_list(actor=request.user, **form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    enrolled = otp.otp_enrolled_user_ids([u.pk for u in page])
    return render(request, "orgs/role_list.html", {"form": form, "page": page, "otp": enrolled})


@require_http_methods(["GET", "POST"])
def role_change(request, pk: int):
    access.require_security_admin(request.user)
    user = selectors.user_get(pk=pk, actor=request.user)
    access.require_role_changeable(request.user, user)
    initial = {"role": user.role, "unit": user.unit, "department": user.department}
    form = RoleChangeForm(request.POST or None, initial=initial, actor=request.user)
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
    accounts = selectors.locked_account_list(actor=request.user)
    return render(request, "orgs/locked_list.html", {"accounts": accounts})


@require_POST
def account_unlock(request):
    access.require_security_admin(request.user)
    form = AccountUnlockForm(request.POST)
    if form.is_valid():
        try:
            services.account_unlock(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, form.done_message())
    return redirect("orgs:locked_list")


@require_GET
def policy(request):
    access.require_security_admin(request.user)
    return render(request, "orgs/policy.html", {"figures": selectors.security_policy()})


# Second factor (orgs/otp.py) -------------------------------------------------------------

# The secret being set up, until it is confirmed; wrong codes in a row in this session.
OTP_KEY_SESSION = "unionplan_otp_key"
OTP_FAILURES_SESSION = "unionplan_otp_failures"


@require_GET
def otp_settings(request):
    status = otp.otp_status(user=request.user)
    return render(request, "orgs/otp_settings.html", {"status": status})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    if otp.second_factor_step(request.user) == otp.STEP_VERIFY:
        return redirect("orgs:otp_verify")  # replacing an authenticator needs the old one first
    key = _otp_pending_key(request)
    form = SecondFactorCodeForm(request.POST or None, label="身份验证器显示的 6 位验证码")
    status = otp.otp_status(user=request.user)
    context = {"form": form, "secret": otp.otp_secret_text(key), "status": status}
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = otp.otp_enrol(
                actor=request.user, key=key, code=form.cleaned_data["code"]
            )
        except ServiceError as exc:
            return _otp_refused(request, form, exc, "orgs/otp_enrol.html", context)
        del request.session[OTP_KEY_SESSION]
        _otp_passed(request, device)
        return render(request, "orgs/otp_recovery_codes.html", {"codes": codes})
    return render(request, "orgs/otp_enrol.html", context)


@never_cache
@require_GET
def otp_qr(request):
    svg = otp.otp_qr_svg(user=request.user, key=_otp_pending_key(request))
    return HttpResponse(svg, content_type="image/svg+xml")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if otp.second_factor_step(request.user) != otp.STEP_VERIFY:
        return redirect("home")
    form = SecondFactorCodeForm(request.POST or None, label="验证码或恢复码")
    context = {"form": form, "next": local_path(request.GET.get("next")) or ""}
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.otp_verify(user=request.user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            return _otp_refused(request, form, exc, "orgs/otp_verify.html", context)
        _otp_passed(request, device)
        if isinstance(device, StaticDevice):
            left = otp.otp_status(user=request.user).recovery_codes
            messages.warning(request, f"已使用一个恢复码，还剩 {left} 个。")
        return redirect(local_path(request.POST.get("next")) or "home")
    return render(request, "orgs/otp_verify.html", context)


@require_http_methods(["GET", "POST"])
def otp_reset(request, pk: int):
    access.require_security_admin(request.user)
    user = selectors.user_get(pk=pk, actor=request.user)
    access.require_otp_resettable(request.user, user)
    if request.method == "POST":
        otp.otp_reset(actor=request.user, user=user)
        messages.success(request, f"已重置用户 {user.username} 的两步验证。")
        return redirect("orgs:role_list")
    context = {"target": user, "status": otp.otp_status(user=user)}
    return render(request, "orgs/otp_reset.html", context)


def _otp_pending_key(request) -> str:
    # The same secret for the page and its QR code, and across reloads: what was scanned stays
    # good until it is confirmed.
    return request.session.setdefault(OTP_KEY_SESSION, otp.otp_key_new())


def _otp_passed(request, device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new key for a session that now holds both factors
    request.session.pop(OTP_FAILURES_SESSION, None)


def _otp_refused(request, form, exc: ServiceError, template: str, context: dict):
    """A wrong code counts: UNIONPLAN_OTP_MAX_FAILURES in a row end the session."""
    failures = request.session.get(OTP_FAILURES_SESSION, 0) + 1
    limit = settings.UNIONPLAN_OTP_MAX_FAILURES
    if failures >= limit:
        logout(request)
        message = f"验证码连续 {limit} 次错误，已退出登录。请重新登录或联系安全管理员。"
        messages.error(request, message)
        return redirect("login")
    request.session[OTP_FAILURES_SESSION] = failures
    form.add_error("code", f"{exc.message}（还可尝试 {limit - failures} 次）")
    return render(request, template, context)
