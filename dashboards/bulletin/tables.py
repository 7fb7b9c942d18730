"""Boxed tables for the bulletin's attachments, a thousand rows in a few milliseconds.

python-docx finds a cell by walking the whole table and sets fonts run by run, and lxml parses
then re-serializes every element it holds: for the 1,000-unit attachments that was most of the
file's time. Here a table is written as WordprocessingML text: the table's properties (style
"Table Grid", centred, fixed column widths), then the rows, each cell its column's fixed markup
(width, vertical centring, the paragraph style `word.TABLE_TEXT` or `word.TABLE_HEADER`, a
left alignment where the style's centring is not wanted) around its escaped text. The text is
parsed once into the python-docx document, which saves it with the rest.

A table's texts are escaped and encoded as one string, then put between the markup by slices
of one list joined once: no call per cell. The markup, being ASCII, stays bytes: as a str
mixed with Chinese, megabytes of it would take twice the memory and a pass to encode.
"""

from __future__ import annotations

from itertools import chain

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from dashboards.bulletin.word import (
    CENTER,
    HEADING,
    STYLE_IDS,
    TABLE_HEADER,
    TABLE_TEXT,
    Document,
    escape,
    para,
)

# The style id of "Table Grid" (boxed cells) in python-docx's default template, which
# `word._template` starts from.
GRID_STYLE = "TableGrid"
AFTER = b"</w:t></w:r></w:p></w:tc>"  # after a cell's text
HEADER = b"<w:trPr><w:tblHeader/></w:trPr>"  # the row is repeated at the top of each page
SEPARATOR = "\x00"  # between texts while a table's are escaped together: never XML text


def _before(width: float, *, style: str, align: str = CENTER) -> bytes:
    """A cell's markup before its text; centred, its alignment is its style's."""
    jc = "" if align == CENTER else f'<w:jc w:val="{align}"/>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{Cm(width).twips}"/>'
        '<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'
        '<w:r><w:t xml:space="preserve">'
    ).encode()


def _texts(values: list) -> list[bytes]:
    """Each value as the escaped UTF-8 text of a cell, its line breaks kept.

    A value holding the separator itself (which XML cannot carry) splits in two: then each
    value is escaped on its own, without it.
    """
    cells = escape(SEPARATOR.join(map(str, values))).split(SEPARATOR.encode())
    if len(cells) != len(values):
        cells = [escape(str(v).replace(SEPARATOR, "")) for v in values]
    return cells


def _rows(before: list[bytes], values: list, properties: bytes = b"") -> list[bytes]:
    """`w:tr` elements in pieces, `before[j] + text + AFTER` the cell of column j, from the
    values of every row one after the other."""
    cells = _texts(values)
    if not cells:
        return []
    start = b"<w:tr>" + properties + before[0]
    # What comes before each text: the first column's also ends the row above.
    joints = [AFTER + b"</w:tr>" + start] + [AFTER + b for b in before[1:]]
    parts = [b""] * (2 * len(cells))
    parts[0::2] = joints * (len(cells) // len(before))
    parts[1::2] = cells
    parts[0] = start
    parts.append(AFTER + b"</w:tr>")
    return parts


def table_xml(
    headers: list[str], rows: list[list], widths: list[float], left: int | None = None
) -> bytes:
    """A `w:tbl` element as UTF-8 text: boxed, centred, fixed column widths, its header row
    repeated on each page; column `left` (a text column) is aligned left in the body."""
    return b"".join(_table(headers, rows, widths, left))


def _table(
    headers: list[str], rows: list[list], widths: list[float], left: int | None
) -> list[bytes]:
    """`table_xml` in pieces, in order."""
    if len(headers) != len(widths) or not set(map(len, rows)) <= {len(widths)}:
        raise ValueError("a table needs a header and, in each row, a value per column")
    grid = "".join(f'<w:gridCol w:w="{Cm(w).twips}"/>' for w in widths)
    head = [_before(w, style=STYLE_IDS[TABLE_HEADER]) for w in widths]
    body = [
        _before(w, style=STYLE_IDS[TABLE_TEXT], align="left" if i == left else CENTER)
        for i, w in enumerate(widths)
    ]
    properties = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{GRID_STYLE}"/>'
        '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1"'
        ' w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )
    return [
        properties.encode(),
        *_rows(head, headers, HEADER),
        *_rows(body, list(chain.from_iterable(rows))),
        b"</w:tbl>",
    ]


def table(
    doc: Document,
    caption: str,
    headers: list[str],
    rows: list[list],
    widths: list[float],
    left: int | None = None,
) -> None:
    """A boxed table (see `table_xml`) under its caption. A value's line breaks are kept."""
    para(doc, caption, font=HEADING, size=12, align=CENTER, indent=False, keep_with_next=True)
    # python-docx's own insertion into the body, before the section's properties.
    doc.element.body._insert_tbl(parse_xml(table_xml(headers, rows, widths, left)))
    para(doc, indent=False)
