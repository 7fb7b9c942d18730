"""Shared fixtures: the 2022 plan loaded once per test database, and personas."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.tests.arming import audit_table_arm, audit_table_disarm
from plans.models import Plan
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from reporting.services import obligations_generate

PLAN_2022_FILE = Path(settings.BASE_DIR) / "plans" / "data" / "pingdingshan-2022.yaml"


@pytest.fixture(scope="session")
def plan_2022_spec():
    return read_plan_file(PLAN_2022_FILE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, plan_2022_spec):
    # Loaded once; each test runs in a transaction that is rolled back.
    with django_db_blocker.unblock():
        plan = plan_load(spec=plan_2022_spec).plan
        obligations_generate(plan=plan)
        # Transactional tests empty tables with DELETE (SQLite) or TRUNCATE (PostgreSQL), which
        # the audit table refuses; tests of that refusal arm it again (`audit_append_only`).
        audit_table_disarm()
    yield
    if connection.vendor == "postgresql":
        # A live-server thread's disconnect can still be in flight when the test database is
        # dropped ("being accessed by other users"): end such sessions first.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def audit_append_only(db):
    """The audit table as in production: no UPDATE, no DELETE, no TRUNCATE (undone with the
    test's transaction)."""
    audit_table_arm()


@pytest.fixture
def plan_2022(db, plan_2022_spec):
    plan = Plan.objects.filter(slug="pingdingshan-2022").first()
    if plan is None:  # a transactional test emptied the database: load again
        _reseed_calendar()
        plan = plan_load(spec=plan_2022_spec).plan
        obligations_generate(plan=plan)
    return plan


def _reseed_calendar() -> None:
    """Put back the holidays a migration seeded, which an emptied database has lost too:
    without them 中秋节 is a working day and deadlines land on holidays."""
    from reporting.calendar import calendar_rows_from_library
    from reporting.models import CalendarDay, CalendarYear

    if CalendarYear.objects.exists():
        return
    years, rows = calendar_rows_from_library()
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinesecalendar") for y in years]
    )
    CalendarDay.objects.bulk_create([CalendarDay(date=d, is_workday=w, name=n) for d, w, n in rows])


@pytest.fixture
def leader(db):
    from orgs.tests.factories import UserFactory

    return UserFactory(username="leader-test")


@pytest.fixture
def ruzhou_reporter(plan_2022):
    from orgs.tests.factories import reporter_of

    return reporter_of("ruzhou", username="ruzhou-test")


@pytest.fixture
def jiaxian_reporter(plan_2022):
    from orgs.tests.factories import reporter_of

    return reporter_of("jiaxian", username="jiaxian-test")


@pytest.fixture
def labour_staff(plan_2022):
    from orgs.tests.factories import staff_of

    return staff_of("劳动和经济工作部", username="staff-test")


@pytest.fixture
def ruzhou_head(plan_2022):
    from orgs.tests.factories import head_of

    return head_of("ruzhou", username="ruzhou-head-test")


@pytest.fixture
def organisation_staff(plan_2022):
    from orgs.tests.factories import staff_of

    return staff_of("组织部", username="org-staff-test")
