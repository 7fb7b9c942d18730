import pytest
from django.urls import reverse

from orgs.models import Unit
from orgs.tests.factories import UserFactory
from plans.models import Allocation, AllocationRow, AllocationTable

SLUG = "pingdingshan-2022"


def url(name, **kwargs):
    return reverse(f"plans:{name}", kwargs={"slug": SLUG, **kwargs})


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("overview", {}),
        ("programme", {"number": 2}),
        ("units", {}),
        ("unit", {"code": "ruzhou"}),
        ("consistency", {}),
        ("table_export", {"code": "T02"}),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, plan_2022, name, kwargs):
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_overview_shows_fourteen_programmes_in_two_groups(client, leader, plan_2022):
    client.force_login(leader)
    html = client.get(url("overview")).content.decode()
    assert "五大行动" in html and "十件实事" in html
    assert html.count('href="/plans/pingdingshan-2022/programmes/') == 14
    assert "200 项以上" in html


def test_programme_page_lays_out_the_table_with_its_printed_total(client, leader, plan_2022):
    client.force_login(leader)
    html = client.get(url("programme", number=13)).content.decode()
    assert "合计（印发）" in html
    assert "700" in html and "690" in html
    assert 'class="mismatch"' in html
    assert "<svg" in html  # the milestone timeline


def test_unit_page_lists_what_the_unit_owes(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    html = client.get(url("unit", code="ruzhou")).content.decode()
    assert "汝州市总工会 · 2022年任务清单" in html
    assert "乡村振兴" in html
    assert "<strong>100</strong> 名" in html


def test_a_reporter_cannot_open_another_units_page(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    assert client.get(url("unit", code="jiaxian")).status_code == 404
    assert client.get(url("unit", code="no-such-unit")).status_code == 404


def test_federation_only_pages_are_forbidden_to_reporters(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    assert client.get(url("consistency")).status_code == 403
    assert client.get(url("units")).status_code == 403


def test_home_takes_a_reporter_to_their_to_do_list_and_staff_to_the_dashboard(
    client, ruzhou_reporter, labour_staff
):
    client.force_login(ruzhou_reporter)
    assert client.get(reverse("home"))["Location"] == reverse("reporting:todo")
    client.force_login(labour_staff)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:overview", args=[SLUG])


def test_pages_refuse_other_methods(client, leader, plan_2022):
    client.force_login(leader)
    assert client.post(url("overview")).status_code == 405


def test_consistency_page_lists_findings_with_counts(client, leader, plan_2022):
    client.force_login(leader)
    html = client.get(url("consistency")).content.decode()
    assert "错误 1" in html
    assert "各行相加为 690，印发合计为 700" in html


def add_units(plan, n):
    """Add n synthetic units, each with an allocation in the first table."""
    table = AllocationTable.objects.filter(plan=plan).order_by("pk").first()
    column = table.columns.first()
    start = AllocationRow.objects.filter(table=table).count() + 1
    for i in range(n):
        unit = Unit.objects.create(
            code=f"extra{i}", name=f"扩展单位{i}", short_name=f"扩展{i}", kind=Unit.Kind.COUNTY
        )
        plan.units.add(unit)
        row = AllocationRow.objects.create(
            table=table, number=start + i, label=unit.name, unit=unit
        )
        Allocation.objects.create(row=row, indicator=column.indicator, unit=unit, value=1)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("overview", {}),
        ("programme", {"number": 2}),
        ("units", {}),
        ("consistency", {}),
        ("unit", {"code": "ruzhou"}),
    ],
)
def test_page_query_count_does_not_grow_with_the_number_of_units(
    client, plan_2022, django_assert_max_num_queries, name, kwargs
):
    client.force_login(UserFactory())
    client.get(url(name, **kwargs))  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url(name, **kwargs)).status_code == 200
    add_units(plan_2022, 40)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url(name, **kwargs)).status_code == 200


def test_programme_page_explains_its_forms_in_words(client, leader, plan_2022):
    client.force_login(leader)
    html = client.get(url("programme", number=11)).content.decode()
    assert "暑期爱心托管班登记表" in html
    assert "自动计算：working_days(period)" in html
    assert "托管规模不足20人；托管时间不足20个工作日；出勤率低于75%" in html
    assert "参与开展假期爱心托管服务的基层单位（条数，只计达标）" in html
    fourteen = client.get(url("programme", number=14)).content.decode()
    assert "附件3 消费惠农统计表" in fourteen
    assert "6月15日、11月25日前报送" in fourteen and "逾期不予统计" in fourteen
    assert "每单位 2—3 条" in fourteen
    eight = client.get(url("programme", number=8)).content.decode()
    assert "组织艰苦岗位一线职工疗休养（参加人数合计）" in eight
