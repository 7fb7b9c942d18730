"""The preview of the bulk creation of unit accounts: its names and its cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import User
from orgs.passwords import temporary_password_generate
from orgs.tests.factories import UserFactory
from orgs.unit_accounts import _free_usernames, unit_accounts_preview


def test_names_wanted_twice_in_one_run_are_told_apart(db):
    UserFactory(username="B")
    assert _free_usernames(["a", "a", "a-2", "b"]) == ["a", "a-3", "a-2", "b-2"]


def test_the_preview_is_a_fixed_number_of_queries_however_many_units_lack_accounts(
    plan_2022, system_admin
):
    with CaptureQueriesContext(connection) as all_lacking:
        before = unit_accounts_preview(plan=plan_2022, actor=system_admin)
    for unit in plan_2022.units.exclude(pk=plan_2022.issuer_id)[:10]:
        UserFactory(role=User.Role.UNIT_REPORTER, unit=unit)
    UserFactory(username="wugang-head")  # a taken name costs one more query
    with CaptureQueriesContext(connection) as some_lacking:
        preview = unit_accounts_preview(plan=plan_2022, actor=system_admin)
    assert len(some_lacking) == len(all_lacking) + 1
    assert preview.reporters == before.reporters - 10


def test_a_temporary_password_never_starts_like_a_spreadsheet_formula():
    # A leading = + @ would turn the password into a formula in the exported workbook.
    assert all(temporary_password_generate()[0].isalnum() for _ in range(500))
