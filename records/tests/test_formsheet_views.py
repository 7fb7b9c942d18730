"""The issuing federation's department staff download a form as a sheet, or a blank one, and
upload one: they see its problems or what it changes, and nothing is saved until they confirm.
Nobody else reaches these pages."""

import re

import pytest
from django.urls import reverse

from orgs.tests.factories import staff_of
from records.models import FormDefinition
from records.tests.formsheets import edited, row_of, rows, stored_sheet, upload
from tests.test_federation_access import second_city, strangers  # noqa: F401 - fixtures

SLUG = "pingdingshan-2022"
UPLOAD = reverse("records:formsheet_upload", args=[SLUG])
SAVE = reverse("records:formsheet_save", args=[SLUG])


@pytest.fixture
def author(client, plan_2022):
    # 组织部 does not run 专案11; any department of the issuing federation may author its forms.
    client.force_login(staff_of("组织部", username="author"))
    return client


def childcare(plan):
    return FormDefinition.objects.get(plan=plan, code="childcare")


def test_staff_download_a_forms_sheet_and_a_blank_one(author, plan_2022):
    url = reverse("records:formsheet_export", args=[SLUG, "childcare"])
    response = author.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-childcare-form.xlsx"'
    settings = {r[0]: r[1] for r in rows(response.content, "设置")}
    assert settings["名称"] == "暑期爱心托管班登记表"
    blank = author.get(reverse("records:formsheet_template", args=[SLUG])).content
    assert rows(blank, "字段")[0][:4] == ["代码", "字段", "类型", "必填"]
    assert "P11-units" in [r[0] for r in rows(blank, "指标一览")]


def test_an_upload_with_problems_lists_each_and_offers_no_confirmation(author, plan_2022):
    data = stored_sheet(childcare(plan_2022))
    row = row_of(data, "字段", "children")
    data = edited(data, "字段", {(row, "类型"): "数子"})
    page = author.post(UPLOAD, {"programme": 11, "file": upload(data)}).content.decode()
    assert f"字段表第{row}行「类型」：无法识别「数子」" in page
    assert 'id="formsheet-confirm"' not in page


def test_a_file_that_is_not_a_workbook_is_refused_with_the_reason(author, plan_2022):
    page = author.post(
        UPLOAD, {"programme": 11, "file": upload(b"%PDF-1.4 ...", "统计表.xlsx")}
    ).content.decode()
    assert "「统计表.xlsx」的内容不是 xlsx 文件（实为 PDF）" in page


def test_an_upload_shows_what_changes_and_confirming_saves_it(author, plan_2022):
    data = stored_sheet(childcare(plan_2022))
    title = row_of(data, "设置", "名称")
    data = edited(data, "设置", {(title, "内容"): "暑期托管班登记表"})
    response = author.post(UPLOAD, {"programme": 11, "file": upload(data)})
    page = response.content.decode()
    assert "名称：「暑期爱心托管班登记表」→「暑期托管班登记表」" in page
    assert childcare(plan_2022).title == "暑期爱心托管班登记表"  # nothing saved yet
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    saved = author.post(SAVE, {"token": token})
    assert saved["Location"] == (
        reverse("plans:programme", kwargs={"slug": SLUG, "number": 11}) + "#form-childcare"
    )
    assert childcare(plan_2022).title == "暑期托管班登记表"
    assert (
        "已修改专案11的统计表「暑期托管班登记表」" in author.get(saved["Location"]).content.decode()
    )


def test_a_tampered_confirmation_saves_nothing(author, plan_2022):
    response = author.post(SAVE, {"token": "not-a-signed-preview"}, follow=True)
    assert "页面已过期，请刷新后重试。" in response.content.decode()
    assert childcare(plan_2022).title == "暑期爱心托管班登记表"


def test_a_refused_change_is_shown_with_its_reason_and_no_confirmation(author, plan_2022):
    data = stored_sheet(childcare(plan_2022))
    data = edited(data, "设置", {(row_of(data, "设置", "代码"), "内容"): "competitions"})
    page = author.post(UPLOAD, {"programme": 11, "file": upload(data)}).content.decode()
    assert "代码「competitions」已是专案1的统计表「技能竞赛项目登记表」" in page
    assert 'id="formsheet-confirm"' not in page


def test_the_forms_pages_offer_the_sheets_to_authors_only(
    client, author, plan_2022, ruzhou_reporter
):
    rows_page = reverse("records:rows", args=[SLUG, "competitions"])
    hub = reverse("records:hub", args=[SLUG])
    staff = staff_of("劳动和经济工作部", username="labour-author")
    client.force_login(staff)
    assert 'id="formsheet-export"' in client.get(rows_page).content.decode()
    assert 'id="formsheet-link"' in client.get(hub).content.decode()
    client.force_login(ruzhou_reporter)
    assert 'id="formsheet-export"' not in client.get(rows_page).content.decode()
    assert 'id="formsheet-link"' not in client.get(hub).content.decode()


def test_unit_users_are_refused_and_another_federations_staff_find_nothing(
    client,
    plan_2022,
    ruzhou_reporter,
    strangers,  # noqa: F811 - fixture
):
    export = reverse("records:formsheet_export", args=[SLUG, "childcare"])
    client.force_login(ruzhou_reporter)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(export).status_code == 403
    client.force_login(strangers["staff"])
    assert client.get(UPLOAD).status_code == 404
    assert client.get(export).status_code == 404
    assert client.post(SAVE, {"token": "x"}).status_code == 404
