"""Password policy (等保 身份鉴别): validators named in AUTH_PASSWORD_VALIDATORS.

Every message is Chinese. The figures are the validators' options in settings; see
docs/security.md for where MLPS 2.0 and OWASP ASVS disagree (composition, rotation).
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import (
    CommonPasswordValidator as DjangoCommonPasswordValidator,
)
from django.core.exceptions import ValidationError

SYMBOLS = frozenset(string.punctuation + " ")


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols `password` uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() or c in SYMBOLS for c in password),
        )
    )


class LengthValidator:
    def __init__(self, min_length: int = 8, max_length: int = 128):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要 {self.min_length} 个字符。", code="password_too_short"
            )
        if len(password) > self.max_length:
            raise ValidationError(
                f"密码太长，最多 {self.max_length} 个字符。", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"密码长度为 {self.min_length} 至 {self.max_length} 个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号四类中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class UsernameValidator:
    """The password is not the username and does not contain it (ignoring case)."""

    def validate(self, password: str, user=None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(
                "密码不能是用户名，也不能包含用户名。", code="password_has_username"
            )

    def get_help_text(self) -> str:
        return "不能包含用户名。"


# Common in China and long enough to pass the other rules; Django's list misses them.
EXTRA_COMMON_PASSWORDS = frozenset(
    {
        "admin@123",
        "admin@1234",
        "admin123!",
        "abc@123456",
        "qwer@1234",
        "1qaz@wsx",
        "1qaz2wsx!",
        "1qaz@wsx3edc",
        "aa123456!",
        "a123456!",
        "woaini1314!",
        "p@ssw0rd123",
        "passw0rd!",
    }
)


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords and a few more, with a Chinese message."""

    def validate(self, password: str, user=None) -> None:
        common = password.lower().strip() in EXTRA_COMMON_PASSWORDS
        try:
            super().validate(password, user)
        except ValidationError:
            common = True
        if common:
            raise ValidationError("该密码过于常见，请换一个。", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能是常见密码。"


class HistoryValidator:
    """None of the user's last `count` passwords (the current one included) is used again."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        hashes = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.has_usable_password() and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in hashes[: self.count]):
            raise ValidationError(
                f"不能使用最近 {self.count} 次用过的密码。", code="password_reused"
            )

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次用过的密码相同。"


def temporary_password_generate(length: int = 14) -> str:
    """A random password that meets the policy: all four classes, no look-alike characters.

    It starts with a letter or digit: a spreadsheet reads a leading = + @ as a formula, and the
    bulk creation of unit accounts hands its passwords out in one (orgs/unit_accounts.py)."""
    upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    lower = "abcdefghijkmnpqrstuvwxyz"
    digits = "23456789"
    symbols = "@#%+=?"
    alphabet = upper + lower + digits + symbols
    chars = [secrets.choice(pool) for pool in (upper, lower, digits, symbols)]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    first = next(i for i, c in enumerate(chars) if c.isalnum())
    chars[0], chars[first] = chars[first], chars[0]
    return "".join(chars)
