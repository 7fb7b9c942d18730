"""Session limits, the second factor and the forced password change, on every request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from orgs.otp import ASK_KEY, STEP_VERIFY, second_factor_step
from orgs.selectors import password_change_reason

# Session keys: when the user logged in and when they were last seen (POSIX seconds).
LOGIN_AT_KEY = "unionplan_login_at"
LAST_SEEN_KEY = "unionplan_last_seen"
# The last-seen time is written at most this often, so that a page view does not always
# write the session; the idle timeout is therefore exact to within this many seconds.
LAST_SEEN_RESOLUTION = 60


def idle_timeout_seconds(user) -> float:
    timeout = (
        settings.UNIONPLAN_SESSION_IDLE_TIMEOUT_ADMIN
        if user.is_administrator
        else settings.UNIONPLAN_SESSION_IDLE_TIMEOUT
    )
    return timeout.total_seconds()


def session_start(request) -> None:
    """Called at login (orgs/signals.py): the clocks for both limits start now."""
    now = timezone.now().timestamp()
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Log out a user idle for longer than the idle timeout (30 minutes; 15 for the three
    administrators) or logged in for longer than the absolute limit (12 hours)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            login_at = session.setdefault(LOGIN_AT_KEY, now)
            last_seen = session.get(LAST_SEEN_KEY, now)
            absolute = settings.UNIONPLAN_SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle_timeout_seconds(user):
                return self.expire(request, "idle", "长时间未操作，已自动退出，请重新登录。")
            if now - login_at > absolute:
                return self.expire(request, "absolute", "登录时间已超过上限，请重新登录。")
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_KEY not in session:
                session[LAST_SEEN_KEY] = now
        elif SESSION_KEY in request.session:
            # A session still naming a user who is now disabled (or deleted): Django already
            # treats it as anonymous; end it for good.
            request.session.flush()
        return self.get_response(request)

    @staticmethod
    def expire(request, why: str, message: str):
        request.unionplan_logout_reason = why  # read by the logout audit receiver
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


class SecondFactorRequiredMiddleware:
    """After the password, the second factor (orgs/otp.py): a user with an authenticator app
    enters one of its codes, or a recovery code, before any page; one of the three
    administrators without one sets it up first. Until then only those pages, logging in and
    out and static files are open, and, to someone still setting it up, the password change the
    next middleware may demand: a new administrator's first login needs both. A user who holds
    a second factor proves it before changing the password, or a stolen password would do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # An ordinary user is looked up only if they had an authenticator at login.
        if user.is_authenticated and (user.is_administrator or request.session.get(ASK_KEY)):
            step = second_factor_step(user)
            # The menu stays hidden while the second factor is outstanding (base.html).
            request.second_factor_pending = bool(step)
            if not step:
                request.session.pop(ASK_KEY, None)
            elif not request.path.startswith(self.open_paths(step)):
                if step == STEP_VERIFY:
                    return redirect_to_login(request.get_full_path(), reverse("orgs:otp_verify"))
                return redirect("orgs:otp_enrol")
        return self.get_response(request)

    @staticmethod
    def open_paths(step: str) -> tuple[str, ...]:
        common = (reverse("logout"), reverse("login"), settings.STATIC_URL)
        if step == STEP_VERIFY:
            return (reverse("orgs:otp_verify"), *common)
        # The enrolment page's prefix covers its QR code image.
        return (reverse("orgs:otp_enrol"), reverse("orgs:password_change"), *common)


class PasswordChangeRequiredMiddleware:
    """A user who must change their password (first login, an administrator's reset, older
    than UNIONPLAN_PASSWORD_MAX_AGE) is sent to the change page; only that page, logging out
    and static files stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and password_change_reason(user):
            change_url = reverse("orgs:password_change")
            # The second factor comes first (SecondFactorRequiredMiddleware).
            second_factor = (reverse("orgs:otp_verify"), reverse("orgs:otp_enrol"))
            allowed = (change_url, reverse("logout"), settings.STATIC_URL, *second_factor)
            if not request.path.startswith(allowed):
                return redirect(change_url)
        return self.get_response(request)
