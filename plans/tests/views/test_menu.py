"""The menu in the header links to the current plan on pages that belong to no plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.models import User
from orgs.tests.factories import UserFactory, reporter_of
from orgs.tests.personas import force_login_verified

SLUG = "pingdingshan-2022"


@pytest.mark.parametrize("page", ["reporting:review", "records:review", "reporting:notifications"])
def test_a_leader_keeps_the_whole_menu_on_pages_of_no_plan(client, plan_2022, page):
    client.force_login(UserFactory(role=User.Role.LEADER))
    html = client.get(reverse(page)).content.decode()
    assert f'href="{reverse("dashboards:overview", args=[SLUG])}">进度看板' in html
    assert f'href="{reverse("reporting:chase", args=[SLUG])}">催报' in html


def test_a_reporter_keeps_their_unit_checklist_in_the_menu_on_notifications(client, plan_2022):
    client.force_login(reporter_of("ruzhou"))
    html = client.get(reverse("reporting:notifications")).content.decode()
    assert f'href="{reverse("plans:unit", args=[SLUG, "ruzhou"])}">本单位清单' in html


def test_an_administrators_menu_asks_for_no_plan(client, plan_2022):
    force_login_verified(client, UserFactory(role=User.Role.SYSTEM_ADMIN))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("orgs:user_list")).content.decode()
    assert "专案总览" not in html
    assert not any('"plans_plan"' in q["sql"] for q in queries.captured_queries)
