"""Writing Excel files that open cleanly in Excel and WPS, safe against formula injection."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
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
