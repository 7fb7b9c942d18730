"""The pages of a unit list's import: upload, preview, confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Unit
from plans.tests.imports.sheets import xlsx

SLUG = "pingdingshan-2022"
UPLOAD = reverse("plans:unit_import", args=[SLUG])
CONFIRM = reverse("plans:unit_import_confirm", args=[SLUG])
HEADER = ["名称", "简称", "类型", "上级", "代码", "别名"]


def test_staff_find_the_import_on_the_unit_list_and_leaders_do_not(client, labour_staff, leader):
    page = reverse("plans:units", args=[SLUG])
    client.force_login(labour_staff)
    assert UPLOAD in client.get(page).content.decode()
    client.force_login(leader)
    assert UPLOAD not in client.get(page).content.decode()


def test_upload_preview_and_confirm_add_the_unit_to_the_plans_list(client, plan_2022, labour_staff):
    client.force_login(labour_staff)
    upload = xlsx([HEADER, ["平顶山市邮政工会", "邮政工会", "直属企业工会", "", "", "邮政局工会"]])
    response = client.post(UPLOAD, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "youzhenggonghui" in page and "（自动生成）" in page and "新增" in page
    assert not Unit.objects.filter(name="平顶山市邮政工会").exists()
    form = response.context["form"]
    done = client.post(
        CONFIRM,
        {
            "preview": form["preview"].value(),
            "fingerprint": form["fingerprint"].value(),
            "confirm": "on",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("plans:units", args=[SLUG])
    listing = client.get(done["Location"]).content.decode()
    assert "已导入单位名单：新增 1 个单位。" in listing and "邮政工会" in listing
    assert plan_2022.units.filter(code="youzhenggonghui").exists()


def test_a_file_with_problems_shows_them_and_offers_no_confirmation(client, labour_staff):
    client.force_login(labour_staff)
    response = client.post(UPLOAD, {"file": xlsx([["单位名单"], ["简称", "类型"], ["甲", "乙"]])})
    page = response.content.decode()
    assert "没有找到「名称」列" in page and 'id="import-confirm"' not in page


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_upload_page(client, labour_staff):
    client.force_login(labour_staff)
    upload = SimpleUploadedFile("单位.xlsx", b"%PDF-1.4 not a workbook")
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 200
    assert "的内容不是 xlsx 文件" in response.content.decode()
