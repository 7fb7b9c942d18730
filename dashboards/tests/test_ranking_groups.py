"""Ranking within the plan's ranking groups (排名分组): 汝州市 (targets of 100) is ranked against
the 县（市、区）, not against 姚电公司 (targets of 3); the whole list stays one tab away."""

import datetime as dt
from io import BytesIO

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import exports, selectors
from dashboards.bulletin import bulletin_docx
from dashboards.tests.test_exports import AS_OF, approved, sheet
from demo.bench import bench_data_generate, bench_leader
from orgs.tests.factories import head_of, reporter_of
from orgs.tests.personas import force_login_verified

SLUG = "pingdingshan-2022"
COUNTIES = {"county_city", "county", "district", "zone"}
RANKING_HEADER = ["名次", "单位", "得分", "任务项数", "落后项数", "报送完整率", "按时报送率"]


@pytest.fixture
def yaomeng_ahead(bulletin_data, settings, labour_staff):
    """汝州市 at half its 专案3 shares and 郏县 at a tenth (bulletin_data), and 姚电公司 at all of
    its own small shares: first of every unit, but in another group than 汝州市."""
    approved(
        settings,
        unit="yaomeng",
        values=(3, 1, 10, 200, 60),
        reporter=reporter_of("yaomeng", username="yaomeng-test"),
        head=head_of("yaomeng", username="yaomeng-head-test"),
        reviewer=labour_staff,
        day=dt.date(2022, 6, 5),
    )
    settings.UNIONPLAN_TODAY = AS_OF.isoformat()
    return bulletin_data


def ranking_page(client, leader, **query):
    client.force_login(leader)
    response = client.get(
        reverse("dashboards:ranking", args=[SLUG]), {"as_of": AS_OF.isoformat(), **query}
    )
    assert response.status_code == 200
    return response


def test_a_plan_with_groups_ranks_ruzhou_only_against_the_counties(client, leader, yaomeng_ahead):
    ranking = selectors.unit_ranking(plan=yaomeng_ahead, as_of=AS_OF)
    assert [r.unit.code for r in ranking[:2]] == ["yaomeng", "ruzhou"]  # over every unit

    response = ranking_page(client, leader)
    shown = response.context["rows"]
    assert response.context["group"].name == "县（市、区）"  # the first group by default
    assert {r.unit.kind for r in shown} <= COUNTIES and len(shown) == 12
    assert [(r.group_rank, r.unit.short_name) for r in shown[:2]] == [(1, "汝州市"), (2, "郏县")]
    html = response.content.decode()
    assert "姚电公司" not in html and "组内名次" in html and "全部名次" in html


def test_the_whole_list_is_still_reachable_under_all(client, leader, yaomeng_ahead):
    html = ranking_page(client, leader).content.decode()
    assert "group=%E5%85%A8%E9%83%A8" in html  # the 全部 tab

    response = ranking_page(client, leader, group="全部")
    rows = response.context["rows"]
    assert response.context["group"] is None and len(rows) == len(
        selectors.unit_ranking(plan=yaomeng_ahead, as_of=AS_OF)
    )
    first = rows[0]
    assert (first.rank, first.unit.short_name, first.group, first.group_rank) == (
        1,
        "姚电公司",
        "直属企业",
        1,
    )
    html = response.content.decode()
    assert "排名分组" in html and "汝州市" in html
    # Changing the date or the programme keeps the tab.
    assert '<input type="hidden" name="group" value="全部">' in html


def test_each_group_has_its_tab_and_an_unknown_one_shows_the_first_with_a_message(
    client, leader, yaomeng_ahead
):
    response = ranking_page(client, leader, group="直属企业")
    assert [r.unit.short_name for r in response.context["rows"]][:1] == ["姚电公司"]
    tabs = [name for name, _query, _shown in response.context["group_tabs"]]
    assert tabs == ["县（市、区）", "产业工会", "直属企业", "其他", "全部"]

    response = ranking_page(client, leader, group="乡镇<script>")
    html = response.content.decode()
    assert "没有名为「乡镇&lt;script&gt;」的排名分组，已显示「县（市、区）」。" in html
    assert response.context["group"].name == "县（市、区）"

    html = ranking_page(client, leader, group="长" * 5000, as_of="2022-06-30").content.decode()
    assert f"没有名为「{'长' * 20}…」的排名分组" in html and 'value="2022-06-30"' in html


def test_a_plan_without_groups_ranks_every_unit_in_one_list_as_before(
    client, leader, yaomeng_ahead
):
    yaomeng_ahead.ranking_groups = []
    yaomeng_ahead.save(update_fields=["ranking_groups"])
    response = ranking_page(client, leader, group="县（市、区）")
    assert response.context["group_tabs"] == [] and response.context["group"] is None
    assert [r.unit.short_name for r in response.context["rows"][:2]] == ["姚电公司", "汝州市"]
    assert "组内名次" not in response.content.decode()

    ws = sheet(exports.ranking_xlsx(response.context["rows"], yaomeng_ahead, AS_OF))
    assert [c.value for c in ws[3]] == RANKING_HEADER


def test_the_bulletin_has_one_ranking_table_per_group_under_its_name(yaomeng_ahead):
    bulletin = docx.Document(BytesIO(bulletin_docx(plan=yaomeng_ahead, as_of=AS_OF)))
    tables = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in bulletin.tables
        if [c.text for c in t.rows[0].cells] == RANKING_HEADER
    ]
    captions = [p.text for p in bulletin.paragraphs]
    assert [len(t) - 1 for t in tables] == [12, 6, 10, 1]  # units of each group
    for name in ("县（市、区）", "产业工会", "直属企业", "其他"):
        assert name in captions
    counties, _industry, enterprises, others = tables
    assert counties[1][:2] == ["1", "汝州市"] and counties[2][:2] == ["2", "郏县"]
    assert enterprises[1][:2] == ["1", "姚电公司"]
    assert others[1][:2] == ["1", "市总工会"]


def test_the_bulletin_names_each_groups_first_and_last_units(yaomeng_ahead):
    bulletin = docx.Document(BytesIO(bulletin_docx(plan=yaomeng_ahead, as_of=AS_OF)))
    text = "\n".join(p.text for p in bulletin.paragraphs)
    groups = selectors.PlanFigures(yaomeng_ahead, AS_OF).ranking_groups
    counties = groups[0].rows
    assert "在县（市、区）、产业工会、直属企业、其他4个排名分组内分别排名" in text
    last = "、".join(f"{r.unit.short_name}（{r.score or 0}分）" for r in counties[-3:])
    assert (
        f"县（市、区）12个单位中，排名靠前的是：汝州市（{counties[0].score}分）、"
        f"郏县（{counties[1].score}分）；排名靠后的是：{last}。"
    ) in text
    assert f"直属企业10个单位中，排名靠前的是：姚电公司（{groups[2].rows[0].score}分）；" in text


def test_the_warnings_page_and_export_show_each_units_group(client, leader, yaomeng_ahead):
    client.force_login(leader)
    response = client.get(reverse("dashboards:warnings", args=[SLUG]), {"as_of": "2022-06-30"})
    jiaxian = next(w for w in response.context["warnings"] if w.unit.code == "jiaxian")
    assert jiaxian.group == "县（市、区）"
    assert '<span class="badge text-bg-light border">县（市、区）</span>' in (
        response.content.decode()
    )
    ws = sheet(exports.warnings_xlsx(response.context["warnings"], yaomeng_ahead, AS_OF))
    assert [c.value for c in ws[3]][:3] == ["序号", "单位", "排名分组"]


def ranking_queries(units: int) -> list[int]:
    """Queries of the ranking page (first group, then 全部) and the warnings of a bench plan
    of `units` units, ranked within the 2022 file's groups."""
    plan = bench_data_generate(units=units).plans[0]
    assert [g["name"] for g in plan.ranking_groups] == ["县（市、区）", "产业工会", "直属企业"]
    client = Client()
    force_login_verified(client, bench_leader(federation=plan.issuer))
    counts = []
    for path in (
        f"/dashboards/{plan.slug}/ranking/?as_of=2022-09-30",
        f"/dashboards/{plan.slug}/ranking/?as_of=2022-09-30&group=全部",
        f"/dashboards/{plan.slug}/warnings/?as_of=2022-09-30",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    return counts


@pytest.mark.django_db
def test_the_ranking_page_with_groups_runs_as_many_queries_for_40_units_as_for_10():
    assert ranking_queries(40) == ranking_queries(10)
