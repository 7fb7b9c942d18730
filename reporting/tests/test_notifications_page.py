"""The notifications page shows every notification, fifty a page, newest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.tests.factories import reporter_of
from reporting.models import Notification

URL = "/reporting/notifications/"


@pytest.fixture
def reporter(plan_2022):
    return reporter_of("ruzhou", username="paging-reporter")


def _notify(user, count):
    Notification.objects.bulk_create(
        [Notification(user=user, message=f"第{i}条通知", url="/plans/") for i in range(count)]
    )


def _shown(response):
    html = response.content.decode()
    return [n for n in range(500) if f"第{n}条通知 " in html]


def test_a_user_with_422_notifications_can_page_through_all_of_them(client, reporter):
    _notify(reporter, 422)
    client.force_login(reporter)

    first = client.get(URL)
    html = first.content.decode()
    assert len(_shown(first)) == 50
    assert "未读 422 条" in html
    assert "第 1 / 9 页，共 422 条" in html
    assert "下一页" in html and "上一页" not in html

    seen = set()
    for number in range(1, 10):
        seen.update(_shown(client.get(URL, {"page": number})))
    assert seen == set(range(422))

    last = client.get(URL, {"page": 9}).content.decode()
    assert "第 9 / 9 页" in last and "上一页" in last and "下一页" not in last


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("0", 9), ("-3", 9), ("999", 9), ("", 1)])
def test_a_bad_page_number_falls_back_to_a_real_page(client, reporter, page, shown):
    _notify(reporter, 422)
    client.force_login(reporter)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert f"第 {shown} / 9 页" in response.content.decode()


def test_a_few_notifications_show_no_page_links(client, reporter):
    _notify(reporter, 3)
    client.force_login(reporter)
    html = client.get(URL).content.decode()
    assert len(_shown(client.get(URL))) == 3
    assert "下一页" not in html and "第 1 / 1 页" not in html


def test_mark_all_read_reaches_notifications_beyond_the_first_page(client, reporter):
    _notify(reporter, 120)
    client.force_login(reporter)
    response = client.post("/reporting/notifications/read/")
    assert response.status_code == 302 and response.url == URL
    assert not Notification.objects.filter(user=reporter, read_at__isnull=True).exists()
    assert "未读" not in client.get(URL, {"page": 3}).content.decode()


def test_a_page_costs_the_same_queries_however_many_notifications(client, reporter):
    client.force_login(reporter)
    client.get(URL)  # warm the session and the user

    def queries_for_second_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"page": 2}).status_code == 200
        return len(captured)

    _notify(reporter, 60)
    few = queries_for_second_page()
    _notify(reporter, 300)
    many = queries_for_second_page()
    assert few == many
