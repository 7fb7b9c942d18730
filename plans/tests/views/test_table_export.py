from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from plans.models import AllocationTable


def export(client, code):
    response = client.get(
        reverse("plans:table_export", kwargs={"slug": "pingdingshan-2022", "code": code})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content)).active


def test_every_table_exports_and_reads_back_to_the_same_numbers(client, leader, plan_2022):
    client.force_login(leader)
    for table in AllocationTable.objects.filter(plan=plan_2022).prefetch_related(
        "rows__allocations", "columns"
    ):
        sheet = export(client, table.code)
        assert sheet.cell(1, 1).value == table.title
        columns = list(table.columns.all())
        headers = [sheet.cell(3, c).value for c in range(1, len(columns) + 2)]
        assert headers == ["单位", *[c.header for c in columns]]
        for i, row in enumerate(table.rows.all()):
            cells = {a.indicator_id: a.value for a in row.allocations.all()}
            got = [sheet.cell(4 + i, c + 2).value for c in range(len(columns))]
            assert sheet.cell(4 + i, 1).value == row.label
            assert got == [cells.get(c.indicator_id) for c in columns], row.label
        if table.has_total_row:
            total_row = 4 + table.rows.count()
            assert sheet.cell(total_row, 1).value == "合计（印发）"
            assert [sheet.cell(total_row, c + 2).value for c in range(len(columns))] == [
                c.declared_total for c in columns
            ]


def test_a_mismatched_total_is_exported_beside_the_computed_sum(client, leader, plan_2022):
    client.force_login(leader)
    code = AllocationTable.objects.get(plan=plan_2022, programme__number=13).code
    sheet = export(client, code)
    values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)}
    assert values["合计（印发）"] == 700
    assert values["各行相加"] == 690
    assert any(str(k).startswith("注：印发合计与各行相加不一致") for k in values)


def test_numbers_are_exported_as_numbers_not_text(client, leader, plan_2022):
    client.force_login(leader)
    sheet = export(client, AllocationTable.objects.filter(plan=plan_2022).first().code)
    assert isinstance(sheet.cell(4, 2).value, int)
