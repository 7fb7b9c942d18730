"""The pages of a table's import: upload, preview with a choice per unresolved row, confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Unit
from plans.selectors import table_get, table_layout
from plans.tests.imports.sheets import t02_rows, xlsx
from records.tests import crafted

SLUG = "pingdingshan-2022"
UPLOAD = reverse("plans:table_import", args=[SLUG, "T02"])
CONFIRM = reverse("plans:table_import_confirm", args=[SLUG, "T02"])


def first_value(plan, label):
    layout = table_layout(table_get(plan=plan, code="T02"))
    return {row.label: cells for row, cells in layout.rows}[label][0]


def test_staff_see_the_import_beside_the_export_and_leaders_do_not(client, labour_staff, leader):
    page = reverse("plans:programme", args=[SLUG, 3])
    client.force_login(labour_staff)
    assert UPLOAD in client.get(page).content.decode()
    client.force_login(leader)
    assert UPLOAD not in client.get(page).content.decode()


def test_the_upload_page_names_the_columns_and_links_the_export(client, labour_staff):
    client.force_login(labour_staff)
    page = client.get(UPLOAD).content.decode()
    assert "「各级工匠选树(名)」" in page
    assert reverse("plans:table_export", args=[SLUG, "T02"]) in page


def test_an_upload_shows_every_row_and_a_choice_for_an_ambiguous_name(
    client, plan_2022, labour_staff
):
    client.force_login(labour_staff)
    upload = xlsx(t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    response = client.post(UPLOAD, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "汝州市总工会" in page and "名称或别名一致" in page
    assert 'name="row-' in page and "有歧义" in page
    assert "舞阳钢铁有限责任公司" in page
    assert 'id="import-confirm" disabled' in page
    assert first_value(plan_2022, "汝州市") == 10  # nothing written yet


def test_a_choice_and_its_alias_box_survive_a_refused_confirmation(client, plan_2022, labour_staff):
    client.force_login(labour_staff)
    upload = xlsx(t02_rows(plan_2022, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    preview = client.post(UPLOAD, {"file": upload}).context["preview"]
    index = next(r.index for r in preview.rows if r.label == "舞钢")
    steel = Unit.objects.get(code="wugangsteel")
    response = client.post(
        CONFIRM,
        {
            "preview": _token(client, plan_2022),
            "fingerprint": "0" * 64,  # not what the page showed
            f"row-{index}": steel.pk,
            f"alias-{index}": "on",
            "confirm": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "自预览以来" in page
    assert f'<option value="{steel.pk}" selected>' in page
    assert f'id="alias-{index}" checked' in page
    assert first_value(plan_2022, "汝州市") == 10


def _token(client, plan):
    upload = xlsx(t02_rows(plan, **{"舞钢": [3, 1, 30, 600, 100], "舞钢公司": None}))
    return client.post(UPLOAD, {"file": upload}).context["form"]["preview"].value()


def test_choose_look_again_then_confirm_writes_the_table(client, plan_2022, labour_staff):
    client.force_login(labour_staff)
    rows = t02_rows(plan_2022, **{"舞钢": [4, 1, 30, 600, 100], "舞钢公司": None})
    first = client.post(UPLOAD, {"file": xlsx(rows)}).context
    index = next(r.index for r in first["preview"].rows if r.label == "舞钢")
    choice = {f"row-{index}": Unit.objects.get(code="wugangsteel").pk}
    token = first["form"]["preview"].value()
    again = client.post(CONFIRM, {"preview": token, "fingerprint": "x" * 64, **choice})
    preview = again.context["preview"]
    assert preview.ready and 'id="import-confirm" disabled' not in again.content.decode()
    done = client.post(
        CONFIRM,
        {"preview": token, "fingerprint": preview.fingerprint, "confirm": "on", **choice},
    )
    assert done.status_code == 302
    assert done["Location"].endswith(reverse("plans:programme", args=[SLUG, 3]) + "#table-T02")
    page = client.get(done["Location"]).content.decode()
    assert "已导入「深化产业工人队伍建设改革行动任务分解表」" in page
    assert first_value(plan_2022, "舞钢") == 4


def test_a_crafted_file_is_refused_on_the_upload_page_with_its_reason(client, labour_staff):
    client.force_login(labour_staff)
    upload = SimpleUploadedFile("表.xlsx", crafted.bloated_styles())
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 200
    assert "超过 10 MB" in response.content.decode()


def test_a_preview_of_another_table_is_not_accepted(client, plan_2022, labour_staff):
    client.force_login(labour_staff)
    token = _token(client, plan_2022)
    other = reverse("plans:table_import_confirm", args=[SLUG, "T01"])
    response = client.post(other, {"preview": token, "fingerprint": "x" * 64, "confirm": "on"})
    assert response.status_code == 200
    assert "导入预览的内容不完整或已被改动，请重新上传文件。" in response.content.decode()


def test_a_sheet_with_problems_cannot_be_confirmed_even_by_a_hand_made_post(
    client, plan_2022, labour_staff
):
    client.force_login(labour_staff)
    rows = t02_rows(plan_2022, **{"汝州市": ["十二", 2, 80, 300, 100]})
    response = client.post(UPLOAD, {"file": xlsx(rows)})
    page = response.content.decode()
    assert "文件中有 1 处问题" in page and 'id="import-confirm"' not in page
    form = response.context["form"]
    refused = client.post(
        CONFIRM,
        {
            "preview": form["preview"].value(),
            "fingerprint": form["fingerprint"].value(),
            "confirm": "on",
        },
    )
    assert refused.status_code == 200
    assert first_value(plan_2022, "汝州市") == 10
