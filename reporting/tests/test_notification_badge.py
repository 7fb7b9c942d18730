"""The bell in the menu shows the unread count on every page, whatever the business role."""

import pytest
from django.test import RequestFactory

from orgs.models import User
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from reporting.context_processors import notifications
from reporting.models import Notification

PAGES = ["/plans/", "/plans/pingdingshan-2022/", "/reporting/notifications/", "/reporting/todo/"]


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou", username="bell-reporter"),
        "head": head_of("ruzhou", username="bell-head"),
        "staff": staff_of("劳动和经济工作部", username="bell-staff"),
        "leader": UserFactory(username="bell-leader", role=User.Role.LEADER),
    }


@pytest.mark.parametrize("role", ["reporter", "head", "staff", "leader"])
def test_every_page_shows_the_unread_count_on_the_bell(client, people, role):
    user = people[role]
    Notification.objects.bulk_create(
        [Notification(user=user, message=f"第{i}条", url="/plans/") for i in range(2)]
    )
    Notification.objects.create(
        user=people["leader" if role != "leader" else "staff"], message="别人的"
    )
    client.force_login(user)
    for page in PAGES:
        response = client.get(page, follow=True)
        if response.status_code == 403:
            continue  # a page the role may not open shows no menu of theirs
        html = response.content.decode()
        assert 'id="unread-count">2<' in html, page
        # On a phone the menu is folded: the bell beside its button still shows the count.
        assert 'id="unread-count-folded">2<' in html, page


def test_the_count_costs_one_query_however_many_notifications(people, django_assert_num_queries):
    user = people["reporter"]
    Notification.objects.bulk_create(
        [Notification(user=user, message=f"第{i}条") for i in range(30)]
    )
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert notifications(request)["unread_notifications"] == 30
