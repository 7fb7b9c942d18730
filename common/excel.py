"""Writing Excel files that open cleanly in Excel and WPS, safe against formula injection."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_text(text: str) -> str:
    """Text read back from a cell `safe_cell` wrote: without the apostrophe it put before text
    a spreadsheet would run as a formula (a sheet written to be edited and uploaded again)."""
    if text.startswith("'") and text[1:2] and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def write_titled_table(
    *,
    sheet_title: str,
    title: str,
    subtitle: str,
    headers: list[str],
    rows: list[list],
    footer_rows: list[list] | None = None,
    widths: list[int] | None = None,
) -> bytes:
    """One sheet: a merged title line, an optional subtitle, a boxed header and body."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ncols = len(headers)
    ws.append([safe_cell(title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([safe_cell(subtitle)])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.append([safe_cell(h) for h in headers])
    header_row = 3
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for row in footer_rows or []:
        ws.append([safe_cell(v) for v in row])
    last = ws.max_row
    for r in range(header_row, last + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if r == header_row or r > header_row + len(rows):
                cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for i, width in enumerate(widths or [18] + [14] * (ncols - 1), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- tables with typed columns -------------------------------------------------------------

TEXT, NUMBER, INTEGER, PERCENT, DATE = "text", "number", "integer", "percent", "date"
_FORMATS = {INTEGER: "#,##0", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, width in characters and how its numbers show.

    `kind` NUMBER shows integers as 1,234 and other numbers with two decimals; PERCENT expects
    shares of 1 (0.532 shows as 53.2%). Text in a number column (a "—") stays text.
    """

    header: str
    width: float = 14
    kind: str = TEXT
    number_format: str | None = None
    align: str = "center"


@dataclass(frozen=True)
class Mark:
    """A value shown on a coloured background (hex RGB, e.g. for a status) or in a number
    format of its own (a share in a column of counts)."""

    value: object
    fill: str | None = None
    number_format: str | None = None


def _number_format(column: Column, value) -> str | None:
    if column.number_format:
        return column.number_format
    if column.kind == NUMBER:
        return "#,##0" if isinstance(value, int) else "#,##0.00"
    return _FORMATS.get(column.kind)


def _lines(value, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a CJK character is
    about 1.8 of them in Excel's and WPS's default fonts)."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(
        max(1, math.ceil(sum(1.8 if ord(ch) > 0x2E7F else 1 for ch in part) / max(width, 1)))
        for part in value.split("\n")
    )


def _fit_height(ws, row: int, values: list, columns: list[Column]) -> None:
    """Excel and WPS do not grow a row for wrapped text on their own: set its height."""
    lines = max(
        (
            _lines(v.value if isinstance(v, Mark) else v, c.width)
            for v, c in zip(values, columns, strict=True)
        ),
        default=1,
    )
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _put(ws, row: int, col: int, value, column: Column, *, bold: bool = False) -> None:
    fill = own_format = None
    if isinstance(value, Mark):
        value, fill, own_format = value.value, value.fill, value.number_format
    value = safe_cell(value)
    cell = ws.cell(row, col, value)
    if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        number_format = own_format or _number_format(column, value)
        if number_format:
            cell.number_format = number_format
    cell.border = BOX
    cell.alignment = Alignment(horizontal=column.align, vertical="center", wrap_text=True)
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)


def table_sheet(
    ws,
    *,
    title: str,
    subtitle: str,
    columns: list[Column],
    rows: list[list],
    groups: list[tuple[str, int]] | None = None,
    footer_rows: list[list] | None = None,
    notes: list[str] | None = None,
    freeze_columns: int = 0,
) -> None:
    """Fill `ws` with a titled table: title, subtitle, a boxed header frozen on screen and
    repeated on every printed page, the body with typed columns, bold footer rows and notes.

    `groups` adds a header line above the column headers: (label, span) pairs covering every
    column; a group of span 1 takes its column's header, merged over both lines.
    Every text goes through `safe_cell` (formula-injection safe); numbers stay numbers.
    """
    ncols = len(columns)
    last_letter = get_column_letter(ncols)
    for r, (text, font) in enumerate(((title, Font(bold=True, size=14)), (subtitle, None)), 1):
        ws.cell(r, 1, safe_cell(text)).alignment = Alignment(horizontal="center")
        if font:
            ws.cell(r, 1).font = font
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[1].height = 24
    header = 3
    if groups:
        if sum(span for _, span in groups) != ncols:
            raise ValueError("header groups must cover every column")
        col = 1
        for label, span in groups:
            if span == 1:
                _put(ws, 3, col, columns[col - 1].header, columns[col - 1], bold=True)
                _put(ws, 4, col, None, columns[col - 1], bold=True)
                ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            else:
                for c in range(col, col + span):
                    _put(ws, 3, c, label if c == col else None, columns[c - 1], bold=True)
                    _put(ws, 4, c, columns[c - 1].header, columns[c - 1], bold=True)
                ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
            col += span
        header = 4
    else:
        for c, column in enumerate(columns, 1):
            _put(ws, 3, c, column.header, column, bold=True)
        _fit_height(ws, 3, [c.header for c in columns], columns)
    for r in range(3, header + 1):
        for c in range(1, ncols + 1):
            ws.cell(r, c).fill = _HEADER_FILL
            ws.cell(r, c).alignment = Alignment(
                horizontal="center", vertical="center", wrap_text=True
            )
    row = header
    for values in rows:
        row += 1
        for c, (value, column) in enumerate(zip(values, columns, strict=True), 1):
            _put(ws, row, c, value, column)
        _fit_height(ws, row, values, columns)
    if rows:
        ws.auto_filter.ref = f"A{header}:{last_letter}{row}"
    for values in footer_rows or []:
        row += 1
        for c, (value, column) in enumerate(zip(values, columns, strict=True), 1):
            _put(ws, row, c, value, column, bold=True)
        _fit_height(ws, row, values, columns)
    if notes:
        row += 1
    for note in notes or []:
        row += 1
        ws.cell(row, 1, safe_cell(note)).alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(ws, row, [note], [Column("", sum(c.width for c in columns))])
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.freeze_panes = ws.cell(header + 1, freeze_columns + 1)
    for c, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.print_title_rows = f"3:{header}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(c.width for c in columns) > 100 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def table_xlsx(*, sheet_title: str, **table) -> bytes:
    """A workbook of one sheet filled by `table_sheet` (same keyword arguments)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    table_sheet(ws, **table)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
