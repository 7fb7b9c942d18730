"""A minimal xlsx writer for long lists: one sheet, typed cells, written as XML text.

openpyxl, even write-only, builds a cell object and an lxml element per cell (~40 µs); a
10,000-row export has 200,000 cells. This writes the sheet XML as strings (~2 µs a cell):
text as inline strings, numbers as numbers, dates as date serials with a date format, a bold
header, frozen panes and column widths. Everything else (merged titles, borders, several
sheets) stays with openpyxl (`common.excel`). Cells are assumed already formula-safe
(`safe_cell`); text is XML-escaped here, and characters XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape  # nosec B406

from openpyxl.utils import get_column_letter

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001  (a calendar origin, not a moment)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Style ids in styles.xml below: 0 plain, 1 bold header, 2 date, 3 date and time, 4 title.
PLAIN, HEADER, DATE, DATETIME, TITLE = 0, 1, 2, 3, 4

_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)


def _text(value: str, style: int = PLAIN) -> str:
    text = escape(_ILLEGAL.sub("", value))
    s = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(value, style: int = PLAIN) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return _text("是" if value else "否", style)
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        days = (value.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86400
        return f'<c s="{DATETIME}"><v>{days:.6f}</v></c>'
    if isinstance(value, dt.date):
        return f'<c s="{DATE}"><v>{(value - EXCEL_EPOCH.date()).days}</v></c>'
    return _text(str(value), style)


def rows_xlsx(
    *,
    sheet_title: str,
    title: str,
    subtitle: str,
    headers: list[str],
    rows,
    widths: list[float],
    freeze_columns: int = 1,
) -> bytes:
    """A workbook of one sheet: title, subtitle, a bold header frozen on screen, the rows."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane xSplit="{freeze_columns}" ySplit="3" '
        f'topLeftCell="{get_column_letter(freeze_columns + 1)}4"'
        ' activePane="bottomRight" state="frozen"/></sheetView></sheetViews><cols>',
    ]
    parts += [
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
    ]
    parts.append("</cols><sheetData>")
    parts.append(f'<row r="1">{_text(title, TITLE)}</row><row r="2">{_text(subtitle)}</row>')
    parts.append('<row r="3">' + "".join(_text(h, HEADER) for h in headers) + "</row>")
    cell = _cell
    for number, values in enumerate(rows, 4):
        parts.append(f'<row r="{number}">{"".join(cell(v) for v in values)}</row>')
    parts.append("</sheetData></worksheet>")
    name = escape(_ILLEGAL.sub("", sheet_title[:31]), {'"': "&quot;"})
    book = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    # Level 1 deflate: the sheet text compresses ~10x already; higher levels cost more time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()
