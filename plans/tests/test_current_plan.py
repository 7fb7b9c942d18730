"""Which plan the menus and the home page open."""

from orgs.tests.personas import force_login_verified
from plans.models import Plan
from plans.selectors import plan_latest


def _next_year(plan_2022, status):
    return Plan.objects.create(
        slug="pds-2023", title="2023年专案", year=2023, issuer=plan_2022.issuer,
        issued_on="2023-02-20", status=status,
    )  # fmt: skip


def test_next_years_plan_published_early_does_not_replace_the_running_one(
    plan_2022, leader, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    _next_year(plan_2022, Plan.Status.PUBLISHED)
    assert plan_latest(actor=leader) == plan_2022


def test_once_its_year_begins_next_years_plan_is_the_one_opened(plan_2022, leader, settings):
    settings.UNIONPLAN_TODAY = "2023-01-05"
    later = _next_year(plan_2022, Plan.Status.PUBLISHED)
    assert plan_latest(actor=leader) == later


def test_the_home_page_lands_on_the_running_plan(client, plan_2022, leader, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    _next_year(plan_2022, Plan.Status.PUBLISHED)
    force_login_verified(client, leader)
    assert client.get("/").url == f"/dashboards/{plan_2022.slug}/"
