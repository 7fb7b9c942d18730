"""The three administrators as fixtures, and logging in through the login page (so that
django-axes sees the attempt: `client.login` passes no request and `force_login` skips it)."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.models import User
from orgs.tests.factories import UserFactory

PASSWORD = "Test@pass123"


@pytest.fixture
def system_admin(db):
    return UserFactory(username="sysadmin-test", role=User.Role.SYSTEM_ADMIN)


@pytest.fixture
def security_admin(db):
    return UserFactory(username="secadmin-test", role=User.Role.SECURITY_ADMIN)


@pytest.fixture
def audit_admin(db):
    return UserFactory(username="auditadmin-test", role=User.Role.AUDIT_ADMIN)


def login_post(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def force_login_verified(client, user) -> None:
    """`force_login`, then the second factor as the login would leave it: an administrator (or
    anyone with an authenticator) has a confirmed one, and this session has passed it.
    `force_login` alone leaves an administrator with nothing but the enrolment page."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not user.is_administrator:
        return
    device = device or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code(key: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with `key` shows now (or that many 30-second steps on)."""
    return f"{TOTP(bytes.fromhex(key), drift=steps_ahead).token():06d}"
