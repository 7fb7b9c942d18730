"""考核结果 pages: staff and leaders see every unit, a unit its own only, and the exports open
and list the units."""

from io import BytesIO

import docx
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory
from orgs.tests.personas import force_login_verified

SLUG = "pingdingshan-2022"
AS_OF = "?as_of=2022-07-10"


def results_url():
    return reverse("assessment:results", args=[SLUG]) + AS_OF


def unit_url(code):
    return reverse("assessment:unit", args=[SLUG, code]) + AS_OF


def test_staff_see_every_units_composite_with_its_breakdown_by_group(
    client, assessed, labour_staff
):
    client.force_login(labour_staff)
    page = client.get(results_url()).content.decode()
    assert "考核结果" in page
    assert "县（市、区）" in page and "产业工会" in page
    assert "汝州市" in page and "郏县" in page
    assert "督办按时办结率" in page
    assert "50.0%" in page  # 汝州市's 督办: one of two closed on time


def test_a_leader_sees_the_results_too(client, assessed, leader):
    client.force_login(leader)
    assert client.get(results_url()).status_code == 200


def test_a_unit_sees_its_own_result_with_the_breakdown(client, assessed, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    response = client.get(unit_url("ruzhou"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "汝州市 · 考核结果" in page
    assert "督办按期办结 1/2" in page
    assert "评分 80/100" in page
    assert "完成率（封顶）" in page
    assert "20 × 80.0% = 16.00 分" in page  # the points: weight × share
    assert "县（市、区）名次" in page


def test_a_unit_cannot_see_another_units_result_nor_the_whole_list(
    client, assessed, ruzhou_reporter
):
    client.force_login(ruzhou_reporter)
    assert client.get(unit_url("jiaxian")).status_code == 404
    assert client.get(results_url()).status_code == 403
    assert client.get(reverse("assessment:export_xlsx", args=[SLUG])).status_code == 403


def test_a_unit_left_out_of_a_component_is_told_its_weight_was_respread(
    client, assessed, jiaxian_head
):
    client.force_login(jiaxian_head)
    page = client.get(unit_url("jiaxian")).content.decode()
    assert "该项不计，其权重按比例分给其他各项" in page
    assert "无到期督办单" in page


def test_a_unit_not_yet_scored_on_its_rubric_is_told_it_counts_zero(
    client, assessed, jiaxian_head, labour_staff
):
    client.force_login(jiaxian_head)
    page = client.get(unit_url("jiaxian")).content.decode()
    assert "评分未定稿（按 0 分计）" in page
    client.force_login(labour_staff)
    results = client.get(results_url()).content.decode()
    assert "未定稿" in results and "按 0 分计" in results


def test_an_impossible_date_still_shows_the_page(client, assessed, labour_staff):
    client.force_login(labour_staff)
    response = client.get(reverse("assessment:results", args=[SLUG]) + "?as_of=2022-13-45")
    assert response.status_code == 200


def test_a_plan_without_an_assessment_says_so(client, plan_2022, labour_staff):
    plan_2022.assessment = {}
    plan_2022.save(update_fields=["assessment"])
    client.force_login(labour_staff)
    page = client.get(results_url()).content.decode()
    assert "本方案未设置考核内容" in page


def test_the_excel_export_has_a_sheet_per_group_listing_its_units(client, assessed, labour_staff):
    client.force_login(labour_staff)
    response = client.get(reverse("assessment:export_xlsx", args=[SLUG]) + AS_OF)
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["县（市、区）", "产业工会"]
    sheet = workbook["县（市、区）"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "汝州市" in cells and "郏县" in cells
    assert "数据截至 2022年7月10日" in cells
    assert AuditEntry.objects.filter(event="assessment.exported", actor=labour_staff).exists()


def test_the_word_export_has_a_title_the_date_and_a_table_per_group(client, assessed, leader):
    client.force_login(leader)
    response = client.get(reverse("assessment:export_docx", args=[SLUG]) + AS_OF)
    document = docx.Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2022年度各单位考核结果" in text
    assert "数据截至2022年7月10日" in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"汝州市", "郏县", "考核得分"} <= cells
    assert len(document.tables) >= 2


def test_the_administrators_cannot_read_the_results(client, assessed):
    admin = UserFactory(username="sysadmin-test", role="system_admin")
    force_login_verified(client, admin)
    assert client.get(results_url()).status_code == 403
    assert client.get(unit_url("ruzhou")).status_code == 403
