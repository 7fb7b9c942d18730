"""The three administrators as fixtures, and logging in through the login page (so that
django-axes sees the attempt: `client.login` passes no request and `force_login` skips it)."""

import pytest
from django.urls import reverse

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
