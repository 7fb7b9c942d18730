"""Boxed tables for the bulletin's attachments, a thousand rows in tens of milliseconds.

python-docx finds a cell by walking the whole table (every `row.cells` rebuilds the grid), so
writing a table cell by cell costs O(rows²), and setting fonts, alignment and width run by run
costs a dozen element look-ups per cell: the 1,000-unit ranking took seconds. Here python-docx
sets up the table once (style, alignment, fixed column widths); the rows are written as
WordprocessingML text, each cell its column's fixed markup (width, vertical centring, the
paragraph style `word.TABLE_TEXT` or `word.TABLE_HEADER`, alignment) around its escaped text,
and parsed in one go.
"""

from __future__ import annotations

from xml.sax.saxutils import escape  # nosec B406

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from dashboards.bulletin.word import HEADING, STYLE_IDS, TABLE_HEADER, TABLE_TEXT, para

BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # a line break inside a cell's text


def _cell(width: float, *, style: str, align: str) -> tuple[str, str]:
    """The markup before and after a cell's text."""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{Cm(width).twips}"/>'
        '<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">',
        "</w:t></w:r></w:p></w:tc>",
    )


def _row(cells: list[tuple[str, str]], values: list, properties: str = "") -> str:
    texts = (escape(str(v)).replace("\n", BREAK) for v in values)
    return (
        f"<w:tr>{properties}"
        + "".join(before + text + after for (before, after), text in zip(cells, texts, strict=True))
        + "</w:tr>"
    )


def table(
    doc,
    caption: str,
    headers: list[str],
    rows: list[list],
    widths: list[float],
    left: int | None = None,
):
    """A boxed table under its caption, its header repeated on each page; column `left` (a
    text column) is aligned left in the body. A value's line breaks are kept."""
    p = para(doc, caption, font=HEADING, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=0, cols=len(headers))
    # By id: python-docx's `table.style = name` compares it with every style of the document.
    grid._tbl.tblStyle_val = doc.styles["Table Grid"].style_id
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    head = [_cell(w, style=STYLE_IDS[TABLE_HEADER], align="center") for w in widths]
    body = [
        _cell(w, style=STYLE_IDS[TABLE_TEXT], align="left" if i == left else "center")
        for i, w in enumerate(widths)
    ]
    xml = [_row(head, headers, "<w:trPr><w:tblHeader/></w:trPr>")]  # repeated on each page
    xml += [_row(body, values) for values in rows]
    grid._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>")))
    para(doc, indent=False)
    return grid
