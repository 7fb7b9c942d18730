"""The ranking ranks every unit but shows them a page at a time (issue 14: a thousand units'
rows were most of the page's time), keeping the date asked for; the ranks go on from page to
page, and another group starts at its first page."""

import datetime as dt
import re

import pytest
from django.test import Client

from dashboards import views
from dashboards.selectors import PlanFigures
from demo.bench import bench_data_generate, bench_leader
from orgs.tests.personas import force_login_verified


@pytest.fixture
def reader(db, monkeypatch):
    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 5)
    plan = bench_data_generate(units=12).plans[0]
    client = Client()
    force_login_verified(client, bench_leader(federation=plan.issuer))
    return plan, client


def ranks_shown(html: str) -> list[int]:
    table = html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    return [int(n) for n in re.findall(r'<td class="up-lead">(\d+)</td>', table)]


def ranking(client, plan, query: str) -> str:
    response = client.get(f"/dashboards/{plan.slug}/ranking/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_first_page_shows_the_first_five_ranks_and_links_to_the_next(reader):
    plan, client = reader
    html = ranking(client, plan, "as_of=2022-09-30")
    assert ranks_shown(html) == [1, 2, 3, 4, 5]
    assert "第 1 / 3 页，共 12 条" in html
    assert "?as_of=2022-09-30&amp;page=2" in html


def test_the_ranks_go_on_across_pages(reader):
    plan, client = reader
    everyone = [r.rank for r in PlanFigures(plan, dt.date(2022, 9, 30)).ranking]
    pages = [ranks_shown(ranking(client, plan, f"as_of=2022-09-30&page={n}")) for n in (1, 2, 3)]
    assert [rank for page in pages for rank in page] == everyone
    assert len(pages[2]) == 2 and "下一页" not in ranking(client, plan, "page=3")


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("99", 3), ("0", 3)])
def test_a_page_number_that_is_not_one_shows_the_nearest_page(reader, asked, shown):
    plan, client = reader
    assert f"第 {shown} / 3 页" in ranking(client, plan, f"page={asked}")


def test_a_groups_tab_opens_its_first_page(client, leader, plan_2022, monkeypatch):
    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 5)
    client.force_login(leader)
    html = client.get(f"/dashboards/{plan_2022.slug}/ranking/?as_of=2022-07-20&page=2")
    tabs = re.search(r'<ul[^>]*id="ranking-groups".*?</ul>', html.content.decode(), re.S)[0]
    assert "group=" in tabs and "page=" not in tabs
    assert "第 2 / " in html.content.decode()


def test_the_page_links_keep_the_group_and_the_programme(client, leader, plan_2022, monkeypatch):
    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 5)
    client.force_login(leader)
    query = "as_of=2022-07-20&group=%E5%85%A8%E9%83%A8&programme=3"
    html = client.get(f"/dashboards/{plan_2022.slug}/ranking/?{query}").content.decode()
    [link] = re.findall(r'href="([^"]*)">下一页', html)
    assert "programme=3" in link and "group=%E5%85%A8%E9%83%A8" in link and "page=2" in link
