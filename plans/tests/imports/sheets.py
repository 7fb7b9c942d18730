"""Spreadsheets for the table and unit imports, made in memory, and their reading."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from plans.exports import allocation_table_xlsx
from plans.importing import sheet_read
from plans.selectors import table_get
from plans.table_import import table_import_preview, table_sheet_read
from plans.unit_import import plan_units_preview, unit_sheet_read

# 专案3's table (T02), as the 2022 notice prints it.
T02_HEADERS = [
    "各级工匠选树(名)",
    "新建创新工作室(个)",
    "签订师徒协议(份)",
    "职业技能培训数(人)",
    "新增技能人才(人)",
]


def xlsx(rows: list[list], name: str = "表.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def exported(plan, code: str) -> SimpleUploadedFile:
    """The table's own export, as a person downloads it."""
    table = table_get(plan=plan, code=code)
    return SimpleUploadedFile(f"{code}.xlsx", allocation_table_xlsx(table=table))


def t02_rows(plan, **changed) -> list[list]:
    """T02 as it stands (unit label → its five values), with `changed` rows replaced; a
    value of None drops that row."""
    table = table_get(plan=plan, code="T02")
    rows = [["单位", *T02_HEADERS]]
    for row in table.rows.all():
        values = {a.indicator.code: a.value for a in row.allocations.all()}
        cells = [values.get(c.indicator.code) for c in table.columns.all()]
        label = row.label
        if label in changed:
            cells = changed.pop(label)
            if cells is None:
                continue
        rows.append([label, *cells])
    rows += [[label, *cells] for label, cells in changed.items()]
    rows.append(["合计", 125, 35, 900, 8000, 2600])
    return rows


def table_preview(plan, code: str, upload, choices=None, aliases=frozenset()):
    table = table_get(plan=plan, code=code)
    sheet = table_sheet_read(table=table, sheet=sheet_read(upload), file=upload.name)
    return table_import_preview(table=table, sheet=sheet, choices=choices, aliases=aliases)


def units_preview(plan, upload):
    sheet = unit_sheet_read(sheet=sheet_read(upload), file=upload.name)
    return plan_units_preview(plan=plan, sheet=sheet)
