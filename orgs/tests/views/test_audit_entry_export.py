from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.services import audit_record
from orgs.tests.personas import force_login_verified

EXPORT = reverse("audit:entry_export")


@pytest.fixture
def audit_client(client, audit_admin):
    force_login_verified(client, audit_admin)
    return client


def rows_of(response) -> list[tuple]:
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def records_of(response) -> list[dict]:
    header, *rows = rows_of(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_export_holds_the_filtered_entries_and_is_itself_on_record(audit_client, leader):
    audit_record(
        actor=leader,
        event="orgs.user.updated",
        target=leader,
        before={"display_name": "甲"},
        after={"display_name": "乙"},
    )
    audit_record(actor=None, username="zhang", event="auth.login.failed", result="failed")
    response = audit_client.get(EXPORT, {"event": "orgs.user"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    header, *rows = rows_of(response)
    assert header[0] == "时间（北京时间）" and len(rows) == 1
    (row,) = records_of(response)
    assert row["用户"] == "leader-test" and row["事件代码"] == "orgs.user.updated"
    assert row["事件"] == "修改用户信息" and '"乙"' in row["修改后"]
    entry = AuditEntry.objects.get(event="audit.exported")
    assert entry.actor_username == "auditadmin-test"
    assert entry.after == {"filters": {"event": "orgs.user"}, "rows": 1}


def test_text_that_a_spreadsheet_would_run_is_written_as_text(audit_client, db):
    audit_record(
        actor=None,
        username='=HYPERLINK("http://x")',
        event="auth.login.failed",
        reason="+cmd|' /C calc'!A0",
    )
    (row,) = records_of(audit_client.get(EXPORT, {"event": "auth.login.failed"}))
    assert row["用户"] == '\'=HYPERLINK("http://x")'
    assert row["原因"] == "'+cmd|' /C calc'!A0"


def test_the_export_names_roles_events_objects_and_results_in_chinese_beside_the_codes(
    audit_client, submitted_report
):
    (row,) = records_of(audit_client.get(EXPORT, {"event": "reporting.report."}))
    assert row["角色"] == "单位填报员" and row["结果"] == "成功"
    assert (row["事件类别"], row["事件"]) == ("填报", "提交单位负责人确认")
    assert row["对象类型"] == "填报" and row["对象说明"] == str(submitted_report)
    assert row["对象编号"] == str(submitted_report.pk)
    assert (row["事件代码"], row["对象类型代码"]) == (
        "reporting.report.submitted",
        "reporting.report",
    )


def test_an_empty_result_still_exports_the_header(audit_client, db):
    rows = rows_of(audit_client.get(EXPORT, {"username": "nobody"}))
    assert len(rows) == 1


def test_an_export_with_a_wrong_filter_exports_nothing_and_says_why(audit_client, db):
    response = audit_client.get(EXPORT, {"date_to": "9999-12-31", "username": "zhang"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:entry_list") + "?")
    page = audit_client.get(response["Location"]).content.decode()
    assert "筛选条件有误" in page and "日期应在" in page
