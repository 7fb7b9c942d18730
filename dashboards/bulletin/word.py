"""Word building blocks of the bulletin: page set-up, fonts, paragraphs, pictures, the file.

GB/T 9704 (党政机关公文格式) sets the page, the margins and the fonts: 仿宋 three-size (16 pt)
body, 黑体 and 楷体 headings, 宋体 two-size title; tables in 宋体 10.5 pt.

Large parts of the body (the attachments' tables) are written as WordprocessingML text and
never handed to python-docx: it would parse them into lxml and serialize them back. python-docx
holds a placeholder paragraph for each (`placeholder`); `save` writes the file, then swaps each
placeholder for its text in word/document.xml.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

BODY, HEADING, SUBHEADING, TITLE, TABLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
LATIN = "Times New Roman"
TABLE_SIZE = 10.5  # 五号
# Paragraph styles of table cells, so that a cell's markup names one style instead of carrying
# its fonts, size and spacing: a thousand-row table stays small and quick to write.
TABLE_TEXT, TABLE_HEADER = "通报表格", "通报表头"  # as Word lists them
STYLE_IDS = {TABLE_TEXT: "BulletinTableText", TABLE_HEADER: "BulletinTableHeader"}
# A placeholder is an empty paragraph with this attribute, its number in the list of texts.
# Being markup, not text, it cannot be confused with anything written in the document: lxml
# writes every "<" of a text as "&lt;".
SPLICE = "bulletinSplice"
# zlib level of the written file: the tables' markup repeats itself, so the lowest levels
# already shrink it about thirtyfold, at twice the speed of the default (6).
COMPRESSION = 1


def fonts(target, east_asian: str, size: float | None = None, bold: bool | None = None):
    """Latin and East Asian fonts of a run or a style (python-docx sets only the Latin one)."""
    target.font.name = LATIN
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes in the Chinese font too
    if size:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    return target


@cache
def _run_fonts(east_asian: str, size: float, bold: bool) -> str:
    """What `fonts` writes on a new run (its `w:rPr`), as XML: worked out once, as python-docx
    looks for each property's place among dozens of possible siblings."""
    run = Paragraph(OxmlElement("w:p"), None).add_run()
    fonts(run, east_asian, size, bold)
    return etree.tostring(run._r.rPr, encoding="unicode")


def para(
    doc,
    text: str = "",
    *,
    font: str = BODY,
    size: float = 16,
    bold: bool = False,
    align=None,
    indent: bool = True,
):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        p.add_run(text)._r.insert(0, parse_xml(_run_fonts(font, size, bold)))
    return p


def picture(doc, png: bytes) -> None:
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(BytesIO(png), width=Cm(15.5))


def page_heading(doc, number: int, name: str) -> None:
    """An attachment's first page: 附件N, then its title."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, f"附件{number}", font=HEADING, indent=False)
    para(doc, name, font=TITLE, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def new_document():
    """A4, the official margins, 28 pt lines, page number centred in the footer (— 1 —), and
    the table cells' styles (宋体 五号, single-spaced; the header's bold)."""
    doc = Document()
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
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(footer.add_run("— "), TABLE, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    fonts(footer.add_run(" —"), TABLE, 14)
    return doc


def placeholder(doc, spliced: list[bytes], xml: bytes) -> None:
    """Body-level WordprocessingML (UTF-8, `w:` prefixed elements) at the end of the body,
    kept in `spliced` until `save` writes it in."""
    doc.add_paragraph()._p.set(qn(f"w:{SPLICE}"), str(len(spliced)))
    spliced.append(xml)


def save(doc, spliced: list[bytes]) -> bytes:
    """The .docx file of `doc`, each placeholder replaced by its text in `spliced`.

    python-docx writes the file, then it is written again with word/document.xml spliced:
    python-docx takes no text of its own for a part, and compresses at zlib's default level.
    """
    saved = BytesIO()
    doc.save(saved)
    main = doc.part.partname.membername  # word/document.xml
    written = BytesIO()
    with (
        ZipFile(saved) as package,
        ZipFile(written, "w", ZIP_DEFLATED, compresslevel=COMPRESSION) as result,
    ):
        for entry in package.infolist():
            data = package.read(entry)
            if entry.filename == main:
                data = _splice(data, spliced)
            result.writestr(entry.filename, data)
    return written.getvalue()


def _splice(xml: bytes, spliced: list[bytes]) -> bytes:
    """`xml` with the placeholders, in body order, replaced by their texts."""
    if xml.count(f'<w:p w:{SPLICE}="'.encode()) != len(spliced):
        raise ValueError("the document does not hold one placeholder per spliced text")
    pieces, start = [], 0
    for number, part in enumerate(spliced):
        marker = f'<w:p w:{SPLICE}="{number}"/>'.encode()
        at = xml.find(marker, start)
        if at < 0:
            raise ValueError(f"placeholder {number} is missing or out of order")
        pieces += [xml[start:at], part]
        start = at + len(marker)
    pieces.append(xml[start:])
    return b"".join(pieces)
