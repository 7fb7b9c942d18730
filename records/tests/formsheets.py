"""Form definition workbooks for tests: a stored form's sheet, edited cell by cell as a person
would in Excel, and read back."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from records.formsheet import (
    FormSheet,
    form_sheet_read,
    form_sheet_xlsx,
    form_spec_of,
    indicator_names,
)
from records.models import FormDefinition


def stored_sheet(form: FormDefinition) -> bytes:
    return form_sheet_xlsx(spec=form_spec_of(form), indicator_names=indicator_names(form.plan))


def upload(data: bytes, name: str = "统计表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def read(data: bytes, indicators: dict[str, str], name: str = "统计表.xlsx") -> FormSheet:
    return form_sheet_read(upload(data, name), indicators=indicators)


def rows(data: bytes, sheet: str) -> list[list]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def row_of(data: bytes, sheet: str, first: str) -> int:
    """The Excel row number (from 1) whose first cell is `first` (a field's or item's code)."""
    return next(i for i, r in enumerate(rows(data, sheet), 1) if r[0] == first)


def edited(data: bytes, sheet: str, changes: dict[tuple[int, str], object]) -> bytes:
    """The workbook with cells changed: (row number, header) → value (None empties it)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    headers = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
    for (row, header), value in changes.items():
        ws.cell(row, headers[header], value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def without_rows(data: bytes, sheet: str, numbers: list[int]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for number in sorted(numbers, reverse=True):
        wb[sheet].delete_rows(number)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
