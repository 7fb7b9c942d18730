"""A programme's matrix shows its units a page at a time (issue 14: at 1,000 units the whole
table was 577 KB of HTML), keeping the date asked for; a page number that is not one shows
the nearest page, never an error."""

import pytest
from django.test import Client

from dashboards import views
from demo.bench import bench_data_generate, bench_leader
from orgs.tests.personas import force_login_verified


@pytest.fixture
def reader(db, monkeypatch):
    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 5)
    plan = bench_data_generate(units=12).plans[0]
    client = Client()
    force_login_verified(client, bench_leader(federation=plan.issuer))
    return plan, client


def units_shown(html: str) -> list[str]:
    return [f"bench-{n:04d}" for n in range(1, 13) if f"/units/bench-{n:04d}/" in html]


def test_the_first_page_shows_the_first_units_and_links_to_the_next(reader):
    plan, client = reader
    html = client.get(f"/dashboards/{plan.slug}/programmes/3/?as_of=2022-09-30").content.decode()
    assert units_shown(html) == [f"bench-{n:04d}" for n in range(1, 6)]
    assert "第 1 / 3 页，共 12 条" in html
    assert "?as_of=2022-09-30&amp;page=2" in html


def test_the_last_page_shows_the_rest(reader):
    plan, client = reader
    html = client.get(f"/dashboards/{plan.slug}/programmes/3/?page=3").content.decode()
    assert units_shown(html) == ["bench-0011", "bench-0012"]
    assert "上一页" in html and "下一页" not in html


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("99", 3), ("-1", 3)])
def test_a_page_number_that_is_not_one_shows_the_nearest_page(reader, asked, shown):
    plan, client = reader
    page = client.get(f"/dashboards/{plan.slug}/programmes/3/?page={asked}")
    assert page.status_code == 200
    assert f"第 {shown} / 3 页" in page.content.decode()
