from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import Obligation, Report
from reporting.tests.files import JPG, upload

Status = Report.Status


def url(name, obligation):
    return reverse(f"reporting:{name}", kwargs={"pk": obligation.pk})


@pytest.fixture
def jiaxian_may(plan_2022):
    return Obligation.objects.get(
        unit__code="jiaxian", programme__number=3, kind="progress", period_end="2022-05-31"
    )


def post_values(client, obligation, values, version=1):
    data = {"version": version, "note": ""}
    for indicator, value in zip(obligation.indicators.order_by("order"), values, strict=True):
        data[f"value_{indicator.pk}"] = value
    return client.post(url("report_save", obligation), data)


def test_a_reporter_saves_and_submits_through_the_pages(client, ruzhou_reporter, may_reform):
    client.force_login(ruzhou_reporter)
    assert client.get(url("report", may_reform)).status_code == 200
    response = post_values(client, may_reform, ["5", "1", "20", "100", "30"])
    assert response.status_code == 302
    report = Report.objects.get(obligation=may_reform)
    response = client.post(
        url("report_submit", may_reform), {"version": report.version}, follow=True
    )
    assert "已提交，等待单位负责人确认" in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_a_bad_value_is_shown_as_a_chinese_message_not_an_error_page(
    client, ruzhou_reporter, may_reform
):
    client.force_login(ruzhou_reporter)
    response = post_values(client, may_reform, ["-1", "1", "1", "1", "1"])
    page = response.content.decode()
    assert response.status_code == 200 and "不能为负数" in page


def test_a_reporter_cannot_read_or_write_another_units_report_by_changing_the_id(
    client, ruzhou_reporter, jiaxian_may
):
    client.force_login(ruzhou_reporter)
    assert client.get(url("report", jiaxian_may)).status_code == 404
    assert post_values(client, jiaxian_may, ["1"] * 5).status_code == 404
    assert client.post(url("report_submit", jiaxian_may), {"version": 1}).status_code == 404
    assert not Report.objects.filter(obligation=jiaxian_may).exists()


def test_a_reporter_cannot_confirm_or_approve(client, ruzhou_reporter, may_reform):
    client.force_login(ruzhou_reporter)
    assert client.post(url("report_confirm", may_reform), {"version": 1}).status_code == 403
    assert client.post(url("report_approve", may_reform), {"version": 1}).status_code == 403


def test_staff_of_another_department_do_not_see_the_report(client, organisation_staff, may_reform):
    client.force_login(organisation_staff)  # 组织部; 专案3 belongs to 劳动和经济工作部
    assert client.get(url("report", may_reform)).status_code == 404


def test_a_leader_reads_but_cannot_act(client, leader, may_reform):
    client.force_login(leader)
    assert client.get(url("report", may_reform)).status_code == 200
    assert client.post(url("report_approve", may_reform), {"version": 1}).status_code == 403
    assert post_values(client, may_reform, ["1"] * 5).status_code == 403


def test_the_unit_field_cannot_be_set_from_the_form(
    client, ruzhou_reporter, may_reform, jiaxian_may
):
    client.force_login(ruzhou_reporter)
    client.post(
        url("report_save", may_reform),
        {
            "version": 1,
            "unit": jiaxian_may.unit_id,
            "status": "approved",
            "obligation": jiaxian_may.pk,
        },
    )
    report = Report.objects.get(obligation=may_reform)
    assert report.status == Status.DRAFT and report.obligation.unit.code == "ruzhou"


def test_evidence_is_downloaded_as_an_attachment_only_by_those_who_may_see_it(
    client, ruzhou_reporter, jiaxian_reporter, may_reform
):
    report = services.report_for(obligation=may_reform)
    [evidence] = services.evidence_add(
        report=report, actor=ruzhou_reporter, files=[upload("照片.jpg", JPG)]
    )
    client.force_login(ruzhou_reporter)
    response = client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == JPG
    client.force_login(jiaxian_reporter)
    assert client.get(reverse("reporting:evidence_download", args=[evidence.pk])).status_code == 404


def test_uploading_through_the_page(client, ruzhou_reporter, may_reform):
    client.force_login(ruzhou_reporter)
    response = client.post(
        reverse("reporting:evidence_upload", args=[may_reform.pk]),
        {"files": [upload("照片.jpg", JPG)]},
        follow=True,
    )
    assert "已上传 1 个文件" in response.content.decode()
    response = client.post(
        reverse("reporting:evidence_upload", args=[may_reform.pk]),
        {"files": [upload("病毒.exe", b"MZ")]},
        follow=True,
    )
    assert "类型不允许" in response.content.decode()


def test_todo_counts_overdue_and_due_soon(client, ruzhou_reporter, settings):
    settings.UNIONPLAN_TODAY = "2022-06-02"
    client.force_login(ruzhou_reporter)
    page = client.get(reverse("reporting:todo")).content.decode()
    assert "我的待办" in page
    # 2022-06-02: the April progress (due 5.5) and the plans due 4.30→5.5 are overdue.
    assert 'id="count-overdue">0<' not in page
    assert "2022年5月进度" in page


def test_todo_is_for_unit_users_only(client, leader):
    client.force_login(leader)
    assert client.get(reverse("reporting:todo")).status_code == 403


def test_chase_lists_units_by_state_and_exports_to_excel(
    client, labour_staff, plan_2022, may_reform, ruzhou_reporter, ruzhou_head, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-20"
    report = services.report_for(obligation=may_reform)
    report.status = Status.CONFIRMED
    report.save()
    client.force_login(labour_staff)
    page = client.get(
        reverse("reporting:chase", args=[plan_2022.slug]), {"programme": 3}
    ).content.decode()
    assert "2022年5月进度" in page
    response = client.get(
        reverse("reporting:chase_export", args=[plan_2022.slug]), {"programme": 3}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    may = next(r for r in rows if r[1] == "2022年5月进度")
    assert may[5] == "汝州市"  # 待审核
    assert "郏县" in may[7]  # 已逾期
    assert sheet["A2"].value == "数据截至 2022年6月20日"


def test_a_units_users_see_only_their_own_row_of_approved_progress(
    client, ruzhou_reporter, plan_2022, may_reform, jiaxian_may
):
    for obligation in (may_reform, jiaxian_may):
        report = services.report_for(obligation=obligation)
        report.status = Status.APPROVED
        report.save()
        report.values.create(indicator=obligation.indicators.order_by("order").first(), value=7)
    client.force_login(ruzhou_reporter)
    html = client.get(
        reverse("reporting:programme_progress", args=[plan_2022.slug, 3])
    ).content.decode()
    assert "汝州市" in html and "郏县" not in html
