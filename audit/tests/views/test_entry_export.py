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
    assert rows[0][1] == "leader-test" and rows[0][5] == "orgs.user.updated"
    assert rows[0][6] == "修改用户信息" and '"乙"' in rows[0][11]
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
    _, row = rows_of(audit_client.get(EXPORT, {"event": "auth.login.failed"}))
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[13] == "'+cmd|' /C calc'!A0"


def test_an_empty_result_still_exports_the_header(audit_client, db):
    rows = rows_of(audit_client.get(EXPORT, {"username": "nobody"}))
    assert len(rows) == 1


def test_an_export_with_a_wrong_filter_exports_nothing_and_says_why(audit_client, db):
    response = audit_client.get(EXPORT, {"date_to": "9999-12-31", "username": "zhang"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:entry_list") + "?")
    page = audit_client.get(response["Location"]).content.decode()
    assert "筛选条件有误" in page and "日期应在" in page
