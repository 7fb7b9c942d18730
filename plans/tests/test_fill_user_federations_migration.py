"""Migration plans 0006 gives each existing account its federation: a department's staff their
department's federation, a unit's users the federation that owns their unit, and leaders and
administrators the one federation when the database has exactly one, none when it has two."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs.models import User
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from tests.test_federation_access import second_city, strangers  # noqa: F401 - fixtures

BEFORE = [("plans", "0005_plan_life")]
ADMINISTRATORS = (User.Role.SYSTEM_ADMIN, User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN)


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _accounts_of_before_federations(users: list[User]) -> None:
    """Back before 0006: the accounts have no federation (orgs 0006 added the column)."""
    _migrate(BEFORE)
    User.objects.filter(pk__in=[u.pk for u in users]).update(federation=None)


def _federation_codes(users: list[User]) -> dict[str, str | None]:
    return {
        u.username: u.federation.code if u.federation else None
        for u in User.objects.filter(pk__in=[u.pk for u in users]).select_related("federation")
    }


@pytest.mark.django_db(transaction=True)
def test_with_one_federation_every_account_gets_it(plan_2022):
    users = [
        staff_of("劳动和经济工作部", username="m-staff"),
        reporter_of("ruzhou", username="m-reporter"),
        head_of("ruzhou", username="m-head"),
        UserFactory(username="m-leader"),
        *(UserFactory(username=f"m-{role}", role=role) for role in ADMINISTRATORS),
    ]
    try:
        _accounts_of_before_federations(users)
        assert set(_federation_codes(users).values()) == {None}

        _migrate()

        assert _federation_codes(users) == {u.username: plan_2022.issuer.code for u in users}
    finally:
        _migrate()


@pytest.mark.django_db(transaction=True)
def test_with_two_federations_staff_and_unit_users_get_theirs_and_the_rest_none(request, plan_2022):
    xuchang = request.getfixturevalue("strangers")
    users = [
        staff_of("劳动和经济工作部", username="m-staff"),  # Pingdingshan's department
        reporter_of("ruzhou", username="m-reporter"),
        *xuchang.values(),
    ]
    try:
        _accounts_of_before_federations(users)
        assert set(_federation_codes(users).values()) == {None}

        _migrate()

        second = xuchang["staff"].department.federation.code
        assert _federation_codes(users) == {
            "m-staff": plan_2022.issuer.code,
            "m-reporter": plan_2022.issuer.code,
            "x-staff": second,
            "x-reporter": second,
            "x-head": second,
            "x-leader": None,
            **{f"x-{role}": None for role in ADMINISTRATORS},
        }
    finally:
        _migrate()
