"""Word building blocks of the bulletin: page set-up, fonts, paragraphs, pictures, the file.

GB/T 9704 (党政机关公文格式) sets the page, the margins and the fonts: 仿宋 three-size (16 pt)
body, 黑体 and 楷体 headings, 宋体 two-size title; tables in 宋体 10.5 pt.

python-docx writes the file: `new_document` starts from its default template with the page,
the styles and the footer set up; paragraphs, page breaks and pictures go through its API,
and `save` is its own (the standard library's zipfile). Only the attachments' tables are
written as text (`tables`), each parsed into the body whole: python-docx's table API walks the
table for each row it adds, 17 s for one table of 1,000 rows (docs/benchmarks.md).
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

BODY, HEADING, SUBHEADING, TITLE, TABLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
LATIN = "Times New Roman"
TABLE_SIZE = 10.5  # 五号
CENTER, RIGHT = "center", "right"  # values of w:jc
PICTURE_WIDTH = Cm(15.5)  # the text's width, in EMU
# Paragraph styles of table cells, so that a cell's markup names one style instead of carrying
# its fonts, size, spacing and (centred) alignment: a thousand-row table stays small and quick
# to write and to parse. Short ids for the same reason: a cell names its style.
TABLE_TEXT, TABLE_HEADER = "通报表格", "通报表头"  # as Word lists them
STYLE_IDS = {TABLE_TEXT: "Cell", TABLE_HEADER: "HeadCell"}
PNG = b"\x89PNG\r\n\x1a\n"

# Text goes in `<w:t xml:space="preserve">`; a line end closes it around a `w:br`.
BREAK = b'</w:t><w:br/><w:t xml:space="preserve">'
# What XML 1.0 does not allow in text is dropped, as Word shows none of it and any of it would
# make the file unreadable: the control characters but tab and line ends (one byte each in
# UTF-8, never part of another character's bytes), U+FFFE and U+FFFF, and lone surrogates
# (which UTF-8 cannot encode). NUL is `escape`'s callers' to drop: `tables` separates texts
# with it.
CONTROLS = bytes(range(1, 32)).translate(None, b"\t\n\r")
NONCHARACTERS = str.maketrans("", "", "\ufffe\uffff")


def _xml_text(text: str) -> bytes:
    """`text` in UTF-8 without what XML cannot carry (but NUL), its line ends as "\n"."""
    if "\ufffe" in text or "\uffff" in text:  # looked for first: rare, and quick to find
        text = text.translate(NONCHARACTERS)
    data = text.encode("utf-8", "ignore").translate(None, CONTROLS)
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def escape(text: str) -> bytes:
    """Text for `w:t`, in UTF-8: "&<>" as entities, line ends as `w:br`, what XML cannot carry
    dropped. Bytes, as they are searched and replaced faster than a str holding Chinese."""
    data = _xml_text(text)
    data = data.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    return data.replace(b"\n", BREAK)


def plain(text: str) -> str:
    """`text` for a python-docx run, which turns each line end into a `w:br`: what XML cannot
    carry dropped, NUL too; "\r\n" one line end, not two."""
    return _xml_text(text).replace(b"\0", b"").decode()


def new_document() -> Document:
    """python-docx's default template set up for a bulletin: A4, the official margins, 28 pt
    lines, page number centred in the footer (— 1 —), and the table cells' styles (宋体 五号,
    single-spaced, centred; the header's bold)."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    fonts(normal, BODY, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, bold in ((TABLE_TEXT, False), (TABLE_HEADER, True)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = STYLE_IDS[name]
        style.base_style = normal
        fonts(style, TABLE, TABLE_SIZE, bold)
        style.paragraph_format.line_spacing = 1.0
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(footer.add_run("— "), TABLE, 14)
    page = OxmlElement("w:fldSimple")  # python-docx has no API for fields
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    fonts(footer.add_run(" —"), TABLE, 14)
    return doc


def fonts(target, east_asian: str, size: float | None = None, bold: bool | None = None):
    """Latin and East Asian fonts of a python-docx run or style (it sets only the Latin one)."""
    target.font.name = LATIN
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes in the Chinese font too
    if size:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    return target


def para(
    doc: Document,
    text: str = "",
    *,
    font: str = BODY,
    size: float = 16,
    bold: bool = False,
    align: str | None = None,
    indent: bool = True,
    keep_with_next: bool = False,
) -> None:
    """A paragraph of one run (none when empty); `indent`, its first line indented by two
    characters."""
    paragraph = doc.add_paragraph()
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.from_xml(align)
    if text:
        fonts(paragraph.add_run(plain(text)), font, size, bold)


def picture(doc: Document, png: bytes) -> None:
    """A PNG centred on a line of its own, as wide as the text; its pixels taken as square."""
    if not png.startswith(PNG):  # its size is read from its header
        raise ValueError("a picture must be a PNG file")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # IHDR
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0  # not Normal's exact 28 pt, which clips it
    paragraph.add_run().add_picture(
        BytesIO(png), width=PICTURE_WIDTH, height=Emu(round(PICTURE_WIDTH * height / width))
    )


def page_heading(doc: Document, number: int, name: str) -> None:
    """An attachment's first page: 附件N, then its title."""
    doc.add_page_break()
    para(doc, f"附件{number}", font=HEADING, indent=False)
    para(doc, name, font=TITLE, size=18, bold=True, align=CENTER, indent=False)


def save(doc: Document) -> bytes:
    """The .docx file, as python-docx saves it."""
    file = BytesIO()
    doc.save(file)
    return file.getvalue()
