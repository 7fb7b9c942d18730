"""The second factor: an authenticator app's time-based codes (TOTP, django-otp's otp_totp) and
single-use recovery codes (otp_static). Required of the three administrators, open to everyone;
every enrolment, check and reset is on record.

Its reads and writes stay together here rather than in services.py and selectors.py, which are
close to the size at which a module becomes a package.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.models import AuditEntry
from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import User

EVENT_OTP_ENROLLED = "orgs.otp.enrolled"
EVENT_OTP_ENROLMENT_FAILED = "orgs.otp.enrolment_failed"
EVENT_OTP_VERIFIED = "orgs.otp.verified"
EVENT_OTP_FAILED = "orgs.otp.failed"
EVENT_OTP_RECOVERY_USED = "orgs.otp.recovery_used"
EVENT_OTP_RESET = "orgs.otp.reset"

OTP_CODE_WRONG = (
    "验证码不正确或已用过（每个验证码只能用一次），请输入身份验证器 App 当前显示的 6 位数字"
)
OTP_CODE_REUSED = (
    "这个验证码刚刚已经用过，每个验证码只能用一次；请等身份验证器 App 显示下一个验证码后再输入"
)
OTP_RECOVERY_WRONG = "恢复码不正确或已使用过"
OTP_THROTTLED = "错误次数较多，请 {seconds} 秒后再试"
OTP_RESET_SELF = "不能重置自己的两步验证，请由另一位安全管理员重置"

# What a session still needs before any other page (second_factor_step).
STEP_VERIFY = "verify"
STEP_ENROL = "enrol"
# Session key: the user had an authenticator when they logged in. Set at login so that an
# ordinary user without one costs no query on each request (orgs.middleware).
ASK_KEY = "unionplan_otp_ask"

TOTP_DIGITS = re.compile(r"\d{6}")
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# Who acted, in the audit log, when a command run on the server did (as orgs.services).
COMMAND_ACTOR = "manage.py"


@dataclass(frozen=True)
class SecondFactorStatus:
    enrolled_at: dt.datetime | None
    recovery_codes: int

    @property
    def enrolled(self) -> bool:
        return self.enrolled_at is not None


def otp_status(*, user: User) -> SecondFactorStatus:
    """Whether `user` has an authenticator (since when) and how many recovery codes are left."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return SecondFactorStatus(device.created_at if device else None, codes)


def second_factor_step(user: User) -> str:
    """What this session still needs before any other page: STEP_VERIFY (a code, for a user
    with an authenticator), STEP_ENROL (an administrator without one), or "" (nothing)."""
    if not user.is_authenticated or user.is_verified():
        return ""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return STEP_VERIFY
    return STEP_ENROL if user.is_administrator else ""


def otp_session_start(request, user: User) -> None:
    """Called at login (orgs/signals.py)."""
    request.session[ASK_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_key_new() -> str:
    """A new secret (20 random bytes, hex) for an authenticator being set up."""
    return random_hex(20)


def otp_secret_text(key: str) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otp_qr_svg(*, user: User, key: str) -> bytes:
    """The otpauth:// address of `key` for `user` as a QR code, an SVG image."""
    address = TOTPDevice(user=user, key=key).config_url
    out = io.BytesIO()
    segno.make(address, error="m").save(
        out, kind="svg", scale=5, border=2, light="#fff", xmldecl=False
    )
    return out.getvalue()


def _normalised(code: str) -> str:
    # Recovery codes are shown in lower case; people type spaces and dashes into both kinds.
    return re.sub(r"[\s-]", "", code or "").lower()


def _totp_step(key: str, code: str) -> int | None:
    """The time step at which `code` is `key`'s code (one step of clock difference allowed
    either way), or None."""
    if not TOTP_DIGITS.fullmatch(code):
        return None
    totp = TOTP(unhexlify(key))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def _snapshot(user: User) -> dict:
    status = otp_status(user=user)
    return {"authenticator": status.enrolled, "recovery_codes": status.recovery_codes}


def _recovery_codes_create(user: User) -> list[str]:
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < settings.UNIONPLAN_OTP_RECOVERY_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return sorted(codes)


def _devices_replace(
    user: User, *, key: str, last_t: int, recovery: bool
) -> tuple[TOTPDevice, list[str]]:
    """The authenticator with `key` replaces any earlier one, and so do new recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # last_t: the code just used to confirm cannot be used again to log in.
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_NAME, key=key, confirmed=True, last_t=last_t
    )
    return device, (_recovery_codes_create(user) if recovery else [])


def otp_enrol(*, actor: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app set up with `key` by a code it shows. It replaces any
    earlier authenticator and recovery codes; returns it and the new recovery codes, to be
    shown once. A wrong code stays on record (committed) and raises ServiceError."""
    step = _totp_step(key, _normalised(code))
    if step is None:
        audit_record(
            actor=actor,
            event=EVENT_OTP_ENROLMENT_FAILED,
            target=actor,
            result=AuditEntry.Result.FAILED,
            reason="验证码错误",
        )
        raise ServiceError(OTP_CODE_WRONG)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = _snapshot(user)
        device, codes = _devices_replace(user, key=key, last_t=step, recovery=True)
        audit_record(
            actor=actor, event=EVENT_OTP_ENROLLED, target=user, before=before, after=_snapshot(user)
        )
    return device, codes


def _code_reused(device: TOTPDevice, code: str) -> bool:
    """The code is the authenticator's own but of a step already used (django-otp refuses
    a step at or before `last_t`): tell the user to wait for the next code, not that it is
    wrong."""
    step = _totp_step(device.key, code)
    return step is not None and step <= device.last_t


def _failure_reason(*, recovery: bool, allowed: bool, reused: bool) -> str:
    if not allowed:
        return ("恢复码" if recovery else "验证码") + "：等待期内重试"
    if reused:
        return "验证码已用过"
    return ("恢复码" if recovery else "验证码") + "错误"


def otp_verify(*, user: User, code: str) -> Device:
    """Check a code of the user's authenticator, or one of their recovery codes (used up by
    the check). Returns the device that accepted it. A wrong code counts towards the device's
    wait (django-otp's throttling), stays on record (committed) and raises ServiceError."""
    code = _normalised(code)
    recovery = not TOTP_DIGITS.fullmatch(code)
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        allowed, wait = device.verify_is_allowed() if device else (True, None)
        if allowed and device is not None and device.verify_token(code):
            left = {"recovery_codes": device.token_set.count()} if recovery else None
            event = EVENT_OTP_RECOVERY_USED if recovery else EVENT_OTP_VERIFIED
            audit_record(actor=user, event=event, target=user, after=left)
            return device
        reused = allowed and not recovery and device is not None and _code_reused(device, code)
        if reused:
            message = OTP_CODE_REUSED
        elif allowed:
            message = OTP_RECOVERY_WRONG if recovery else OTP_CODE_WRONG
        else:
            seconds = math.ceil((wait["locked_until"] - timezone.now()).total_seconds())
            message = OTP_THROTTLED.format(seconds=max(seconds, 1))
        audit_record(
            actor=user,
            event=EVENT_OTP_FAILED,
            target=user,
            result=AuditEntry.Result.FAILED,
            reason=_failure_reason(recovery=recovery, allowed=allowed, reused=reused),
        )
    raise ServiceError(message)


@transaction.atomic
def otp_reset(*, actor: User, user: User) -> None:
    """Remove `user`'s authenticator and recovery codes (a lost phone): an administrator must
    set up a new one at the next login, anyone else may."""
    if actor.pk == user.pk:
        raise ServiceError(OTP_RESET_SELF)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    after = _snapshot(user)
    audit_record(actor=actor, event=EVENT_OTP_RESET, target=user, before=before, after=after)


@transaction.atomic
def otp_demo_enrol(*, user: User, key: str) -> None:
    """Give a demo account the printed demo authenticator (`seed_demo`, development only)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if TOTPDevice.objects.filter(user=user, key=key, confirmed=True).exists():
        return
    before = _snapshot(user)
    _devices_replace(user, key=key, last_t=-1, recovery=False)
    audit_record(
        actor=None,
        username=COMMAND_ACTOR,
        event=EVENT_OTP_ENROLLED,
        target=user,
        before=before,
        after=_snapshot(user),
        reason="演示账号",
    )


def otp_enrolled_user_ids(user_ids: list[int]) -> set[int]:
    """Which of `user_ids` have an authenticator, in one query (for lists of accounts)."""
    devices = TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True)
    return set(devices.values_list("user_id", flat=True))
