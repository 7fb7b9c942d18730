"""Boxed tables for the bulletin's attachments, a thousand rows in a few milliseconds.

python-docx finds a cell by walking the whole table and sets fonts run by run, and lxml parses
then re-serializes every element it holds: for the 1,000-unit attachments that was most of the
file's time. Here a table never enters python-docx. It is written as WordprocessingML text:
the table's properties (style "Table Grid", centred, fixed column widths), then the rows, each
cell its column's fixed markup (width, vertical centring, the paragraph style
`word.TABLE_TEXT` or `word.TABLE_HEADER`, alignment) around its escaped text. python-docx
writes only the caption and a placeholder (`word.placeholder`), which `word.save` replaces
with the table's text.

A table's texts are escaped and encoded as one string, then put between the markup by slices
of one list joined once: no call per cell. The markup, being ASCII, stays bytes: as a str
mixed with Chinese, megabytes of it would take twice the memory and a pass to encode.
"""

from __future__ import annotations

from itertools import chain

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from dashboards.bulletin.word import HEADING, STYLE_IDS, TABLE_HEADER, TABLE_TEXT, para, placeholder

# The style id of python-docx's "Table Grid" (boxed cells) in its default template, which
# `word.new_document` starts from: by name, python-docx would compare it with every style.
GRID_STYLE = "TableGrid"
BREAK = b'</w:t><w:br/><w:t xml:space="preserve">'  # a line break inside a cell's text
AFTER = b"</w:t></w:r></w:p></w:tc>"  # after a cell's text
HEADER = b"<w:trPr><w:tblHeader/></w:trPr>"  # the row is repeated at the top of each page
SEPARATOR = "\x00"  # between texts while a table's are escaped together: never XML text
# What XML 1.0 does not allow in text is dropped, as Word shows none of it and any of it would
# make the file unreadable: the control characters but tab and line ends (one byte each in
# UTF-8, never part of another character's bytes), U+FFFE and U+FFFF, and lone surrogates
# (which UTF-8 cannot encode).
CONTROLS = bytes(range(1, 32)).translate(None, b"\t\n\r")
NONCHARACTERS = str.maketrans("", "", "\ufffe\uffff")


def _before(width: float, *, style: str, align: str) -> bytes:
    """A cell's markup before its text."""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{Cm(width).twips}"/>'
        '<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">'
    ).encode()


def _escape(text: str) -> bytes:
    """Text for `w:t`, in UTF-8: "&<>" as entities, line ends as `w:br`, what XML cannot carry
    dropped. Bytes, as they are searched and replaced faster than a str holding Chinese."""
    if "\ufffe" in text or "\uffff" in text:  # looked for first: rare, and quick to find
        text = text.translate(NONCHARACTERS)
    data = text.encode("utf-8", "ignore").translate(None, CONTROLS)
    data = data.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.replace(b"\n", BREAK)


def _texts(values: list) -> list[bytes]:
    """Each value as the escaped UTF-8 text of a cell, its line breaks kept.

    A value holding the separator itself (which XML cannot carry) splits in two: then each
    value is escaped on its own, without it.
    """
    cells = _escape(SEPARATOR.join(map(str, values))).split(SEPARATOR.encode())
    if len(cells) != len(values):
        cells = [_escape(str(v).replace(SEPARATOR, "")) for v in values]
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
    if len(headers) != len(widths) or any(len(values) != len(widths) for values in rows):
        raise ValueError("a table needs a header and, in each row, a value per column")
    grid = "".join(f'<w:gridCol w:w="{Cm(w).twips}"/>' for w in widths)
    head = [_before(w, style=STYLE_IDS[TABLE_HEADER], align="center") for w in widths]
    body = [
        _before(w, style=STYLE_IDS[TABLE_TEXT], align="left" if i == left else "center")
        for i, w in enumerate(widths)
    ]
    properties = (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{GRID_STYLE}"/>'
        '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1"'
        ' w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )
    return b"".join(
        [
            properties.encode(),
            *_rows(head, headers, HEADER),
            *_rows(body, list(chain.from_iterable(rows))),
            b"</w:tbl>",
        ]
    )


def table(
    doc,
    spliced: list[bytes],
    caption: str,
    headers: list[str],
    rows: list[list],
    widths: list[float],
    left: int | None = None,
) -> None:
    """A boxed table under its caption (see `table_xml`): its text goes to `spliced`, for
    `word.save` to put in place of its placeholder. A value's line breaks are kept."""
    p = para(doc, caption, font=HEADING, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.keep_with_next = True
    placeholder(doc, spliced, table_xml(headers, rows, widths, left))
    para(doc, indent=False)
