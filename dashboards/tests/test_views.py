from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from audit.models import AuditEntry

SLUG = "pingdingshan-2022"
PAGES = [
    ("overview", {}),
    ("matrix", {"number": 3}),
    ("ranking", {}),
    ("timeliness", {}),
    ("milestones", {}),
    ("warnings", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_dashboard_page_shows_its_as_of_date(client, leader, plan_2022, name, kwargs):
    client.force_login(leader)
    url = reverse(f"dashboards:{name}", kwargs={"slug": SLUG, **kwargs})
    html = client.get(url, {"as_of": "2022-06-30"}).content.decode()
    assert 'value="2022-06-30"' in html and "数据截至" in html


def test_a_malformed_date_gets_a_message_and_todays_figures(client, leader, plan_2022):
    client.force_login(leader)
    response = client.get(reverse("dashboards:overview", args=[SLUG]), {"as_of": "2022-13-45"})
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD" in response.content.decode()


def test_the_overview_keeps_pending_figures_apart(client, leader, plan_2022):
    client.force_login(leader)
    html = client.get(reverse("dashboards:overview", args=[SLUG])).content.decode()
    assert "已完成（已审核）" in html and "待审核" in html


def test_a_unit_user_is_refused_the_city_dashboards(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    assert client.get(reverse("dashboards:overview", args=[SLUG])).status_code == 403


@pytest.mark.parametrize("what", ["overview", "ranking", "timeliness", "warnings", "milestones"])
def test_each_table_downloads_as_xlsx_and_the_download_is_audited(client, leader, plan_2022, what):
    client.force_login(leader)
    response = client.get(reverse("dashboards:export", args=[SLUG, what]), {"as_of": "2022-06-30"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A2"].value == "数据截至 2022年6月30日"
    entry = AuditEntry.objects.get(event="dashboards.exported")
    assert entry.after == {"what": what, "plan": SLUG, "as_of": "2022-06-30"}


def test_an_unknown_export_is_not_found(client, leader, plan_2022):
    client.force_login(leader)
    assert client.get(reverse("dashboards:export", args=[SLUG, "secrets"])).status_code == 404


def test_the_bulletin_downloads_as_a_word_document(client, leader, plan_2022):
    client.force_login(leader)
    response = client.get(reverse("dashboards:bulletin", args=[SLUG]), {"as_of": "2022-06-30"})
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "通报" in text and "2022年6月30日" in text


@pytest.mark.parametrize(
    ("name", "kwargs", "query"),
    [
        ("matrix", {"number": 99}, {}),
        ("matrix_export", {"number": 99}, {}),
        ("ranking", {}, {"programme": 99}),
        ("export", {"what": "ranking"}, {"programme": 99}),
        ("timeliness", {}, {"programme": 99}),
        ("export", {"what": "timeliness"}, {"programme": 99}),
    ],
)
def test_a_programme_that_does_not_exist_is_not_found(
    client, leader, plan_2022, name, kwargs, query
):
    client.force_login(leader)
    url = reverse(f"dashboards:{name}", kwargs={"slug": SLUG, **kwargs})
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_beyond_the_calendar_gets_a_message_on_every_page(
    client, leader, plan_2022, name, kwargs, day
):
    client.force_login(leader)
    url = reverse(f"dashboards:{name}", kwargs={"slug": SLUG, **kwargs})
    response = client.get(url, {"as_of": day})
    assert response.status_code == 200
    assert "日期应在 1900-01-01 至 2100-12-31 之间" in response.content.decode()


def test_an_export_or_bulletin_for_a_date_beyond_the_calendar_is_still_a_file(
    client, leader, plan_2022
):
    # Like the page, the file falls back to today's figures; the page shows why.
    client.force_login(leader)
    export = client.get(
        reverse("dashboards:export", args=[SLUG, "ranking"]), {"as_of": "9999-12-31"}
    )
    bulletin = client.get(reverse("dashboards:bulletin", args=[SLUG]), {"as_of": "9999-12-31"})
    assert load_workbook(BytesIO(export.content)).active.max_row > 1
    assert Document(BytesIO(bulletin.content)).paragraphs


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_a_date_after_today_shows_todays_figures_and_says_so(
    client, leader, plan_2022, settings, name, kwargs
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    client.force_login(leader)
    url = reverse(f"dashboards:{name}", kwargs={"slug": SLUG, **kwargs})
    html = client.get(url, {"as_of": "2023-01-01"}).content.decode()
    assert "数据截至日期不能晚于今天，已按今天显示。" in html
    assert 'value="2022-07-20"' in html and "2023-01-01" not in html
    # Its tabs, export and bulletin links all carry today's date on.
    assert f"{reverse('dashboards:bulletin_start', args=[SLUG])}?as_of=2022-07-20" in html
    today = client.get(url, {"as_of": "2022-07-20"}).content.decode()
    assert "数据截至日期不能晚于今天" not in today


def test_an_export_or_bulletin_asked_for_after_today_is_dated_today(
    client, leader, plan_2022, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    client.force_login(leader)
    export = client.get(
        reverse("dashboards:export", args=[SLUG, "overview"]), {"as_of": "2023-01-01"}
    )
    assert load_workbook(BytesIO(export.content)).active["A2"].value == "数据截至 2022年7月20日"
    assert "2022-07-20.xlsx" in export["Content-Disposition"]
    bulletin = client.get(reverse("dashboards:bulletin", args=[SLUG]), {"as_of": "2023-01-01"})
    text = "\n".join(p.text for p in Document(BytesIO(bulletin.content)).paragraphs)
    assert "2022年7月20日" in text and "2023年" not in text
    assert "bulletin-2022-07-20.docx" in bulletin["Content-Disposition"]
    logged = AuditEntry.objects.filter(event="dashboards.exported").values_list("after", flat=True)
    assert {after["as_of"] for after in logged} == {"2022-07-20"}


def test_a_departments_warning_says_it_counts_only_its_own_programmes(
    client, leader, labour_staff, plan_2022
):
    client.force_login(labour_staff)
    own = client.get(reverse("dashboards:overview", args=[plan_2022.slug])).content.decode()
    assert "至少有一项本部门负责专案的任务" in own
    client.force_login(leader)
    everything = client.get(reverse("dashboards:overview", args=[plan_2022.slug])).content.decode()
    assert "至少有一项任务" in everything
