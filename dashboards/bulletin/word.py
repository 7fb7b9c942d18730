"""Word building blocks of the bulletin: page set-up, fonts, paragraphs, pictures, the file.

GB/T 9704 (党政机关公文格式) sets the page, the margins and the fonts: 仿宋 three-size (16 pt)
body, 黑体 and 楷体 headings, 宋体 two-size title; tables in 宋体 10.5 pt.

The file is written as text. python-docx makes, once per process, the parts that are the same
in every bulletin (`_template`: page set-up, styles, footer with its page number, theme,
settings); a bulletin then writes only word/document.xml, its pictures and their relationships.
A paragraph is the markup python-docx would write for it, worked out once for each kind of
paragraph (`_paragraph`): building and serializing an element tree cost more than the rest of
the file. The zip is written by `package`, as the template's parts are kept deflated and
word/document.xml is deflated in two parts, its end on a thread of its own (`deflate_end`):
`zipfile` takes neither.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

from docx import Document as _DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dashboards.bulletin import package

BODY, HEADING, SUBHEADING, TITLE, TABLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
LATIN = "Times New Roman"
TABLE_SIZE = 10.5  # 五号
CENTER, RIGHT = "center", "right"  # values of w:jc
PICTURE_WIDTH = Cm(15.5)  # the text's width, in EMU
# Paragraph styles of table cells, so that a cell's markup names one style instead of carrying
# its fonts, size, spacing and (centred) alignment: a thousand-row table stays small and quick
# to write and to deflate. Short ids for the same reason: a cell names its style.
TABLE_TEXT, TABLE_HEADER = "通报表格", "通报表头"  # as Word lists them
STYLE_IDS = {TABLE_TEXT: "Cell", TABLE_HEADER: "HeadCell"}
MAIN = "word/document.xml"
RELATIONSHIPS = "word/_rels/document.xml.rels"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
PNG = b"\x89PNG\r\n\x1a\n"
PNG_TYPE = b'<Default Extension="png" ContentType="image/png"/>'

# Text goes in `<w:t xml:space="preserve">`; a line end closes it around a `w:br`.
BREAK = b'</w:t><w:br/><w:t xml:space="preserve">'
# What XML 1.0 does not allow in text is dropped, as Word shows none of it and any of it would
# make the file unreadable: the control characters but tab and line ends (one byte each in
# UTF-8, never part of another character's bytes), U+FFFE and U+FFFF, and lone surrogates
# (which UTF-8 cannot encode). NUL is the callers' to drop: `tables` separates texts with it.
CONTROLS = bytes(range(1, 32)).translate(None, b"\t\n\r")
NONCHARACTERS = str.maketrans("", "", "\ufffe\uffff")


def escape(text: str) -> bytes:
    """Text for `w:t`, in UTF-8: "&<>" as entities, line ends as `w:br`, what XML cannot carry
    dropped. Bytes, as they are searched and replaced faster than a str holding Chinese."""
    if "\ufffe" in text or "\uffff" in text:  # looked for first: rare, and quick to find
        text = text.translate(NONCHARACTERS)
    data = text.encode("utf-8", "ignore").translate(None, CONTROLS)
    data = data.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.replace(b"\n", BREAK)


def markup(text: str) -> bytes:
    """`text` for `w:t`, anything XML cannot carry dropped."""
    return escape(text).replace(b"\0", b"")


@dataclass
class Document:
    """A bulletin being written: its body's markup in order, and its pictures (PNG)."""

    body: list[bytes] = field(default_factory=list)
    pictures: list[bytes] = field(default_factory=list)


def new_document() -> Document:
    return Document()


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


@cache
def _paragraph(
    font: str, size: float, bold: bool, align: str | None, indent: bool, keep_with_next: bool
) -> tuple[bytes, bytes]:
    """A paragraph's markup before its text and, without text, the whole paragraph: its
    properties in the schema's order, the run's fonts as `fonts` sets them."""
    properties = "".join(
        [
            "<w:keepNext/>" if keep_with_next else "",
            f'<w:ind w:firstLine="{round(size * 40)}"/>' if indent else "",  # two characters
            f'<w:jc w:val="{align}"/>' if align else "",
        ]
    )
    start = f"<w:p><w:pPr>{properties}</w:pPr>" if properties else "<w:p>"
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    run = (
        f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}"'
        f' w:hint="eastAsia"/>{weight}<w:sz w:val="{round(size * 2)}"/></w:rPr>'
        '<w:t xml:space="preserve">'
    )
    return (start + run).encode(), (start + "</w:p>" if properties else "<w:p/>").encode()


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
    """A paragraph of one run; `indent`, its first line indented by two characters."""
    start, empty = _paragraph(font, size, bold, align, indent, keep_with_next)
    if text:
        doc.body.append(start + markup(text) + b"</w:t></w:r></w:p>")
    else:
        doc.body.append(empty)


def picture(doc: Document, png: bytes) -> None:
    """A PNG centred on a line of its own, as wide as the text; its pixels taken as square."""
    if not png.startswith(PNG):
        raise ValueError("a picture must be a PNG file")
    doc.pictures.append(png)
    number = len(doc.pictures)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # IHDR
    extent = f'cx="{PICTURE_WIDTH}" cy="{round(PICTURE_WIDTH * height / width)}"'
    xml = (
        '<w:p><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>'
        "<w:r><w:drawing>"
        '<wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<wp:extent {extent}/><wp:docPr id="{number}" name="Picture {number}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image{number}.png"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{_picture_id(number)}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext {extent}/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )
    doc.body.append(xml.encode())


def page_heading(doc: Document, number: int, name: str) -> None:
    """An attachment's first page: 附件N, then its title."""
    doc.body.append(b'<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    para(doc, f"附件{number}", font=HEADING, indent=False)
    para(doc, name, font=TITLE, size=18, bold=True, align=CENTER, indent=False)


def deflate_end(doc: Document) -> Future[package.Segment]:
    """The end of word/document.xml, `doc`'s body (which may hold no pictures) and the
    section's properties, deflated on a thread of its own while the rest of the file is
    written (`save(..., end=...)`): at 1,000 units the attachments' tables are most of the
    text, and zlib lets go of the GIL while it deflates and sums."""
    if doc.pictures:
        raise ValueError("the end of the body is deflated alone: it may hold no pictures")
    data = b"".join([*doc.body, _template().tail])
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-deflate")
    try:
        return pool.submit(package.segment, data, final=True)
    finally:
        pool.shutdown(wait=False)  # its thread ends with its one task


@dataclass(frozen=True)
class _Template:
    members: list[package.Member]  # every part but word/document.xml and its relationships
    head: bytes  # word/document.xml up to its body's content
    tail: bytes  # the rest: the section's properties (page, margins, footer)
    relationships: bytes  # word/_rels/document.xml.rels without its closing tag
    first_free: int  # the first relationship id (rIdN) the template leaves free


@cache
def _template() -> _Template:
    """The parts of the file that never change, made with python-docx from its default
    template: A4, the official margins, 28 pt lines, page number centred in the footer
    (— 1 —), and the table cells' styles (宋体 五号, single-spaced, centred; the header's
    bold)."""
    doc = _DocxDocument()
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
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    fonts(footer.add_run(" —"), TABLE, 14)

    saved = BytesIO()
    doc.save(saved)
    with ZipFile(saved) as made:
        parts = {entry.filename: made.read(entry) for entry in made.infolist()}
    main, relationships = parts.pop(MAIN), parts.pop(RELATIONSHIPS)
    types = parts["[Content_Types].xml"]
    if b'Extension="png"' not in types:
        parts["[Content_Types].xml"] = re.sub(
            rb"<Types[^>]*>", rb"\g<0>" + PNG_TYPE, types, count=1
        )
    start = main.index(b"<w:body>") + len(b"<w:body>")
    end = main.index(b"<w:sectPr")
    if start != end:  # the body would have to be kept too; python-docx's template has none
        raise RuntimeError("python-docx's default template has a body: the bulletin drops it")
    taken = [int(n) for n in re.findall(rb'Id="rId(\d+)"', relationships)]
    return _Template(
        members=[package.member(name, data) for name, data in parts.items()],
        head=main[:start],
        tail=main[end:],
        relationships=relationships[: relationships.rindex(b"</Relationships>")],
        first_free=max(taken, default=0) + 1,
    )


def _picture_id(number: int) -> str:
    return f"rId{_template().first_free + number - 1}"


def save(doc: Document, end: Future[package.Segment] | None = None) -> bytes:
    """The .docx file: the template's parts as they are, then the body (`doc`'s, followed by
    `end`, from `deflate_end`), the pictures (stored, as PNG is compressed already) and the
    body's relationships."""
    template = _template()
    if end is None:
        main = package.segment(b"".join([template.head, *doc.body, template.tail]), final=True)
    else:
        start, rest = (
            package.segment(b"".join([template.head, *doc.body]), final=False),
            end.result(),
        )
        main = package.Segment(
            start.data + rest.data,
            package.crc32_combine(start.crc, rest.crc, rest.size),
            start.size + rest.size,
        )
    relationships = [template.relationships]
    pictures = []
    for number, png in enumerate(doc.pictures, 1):
        pictures.append(package.member(f"word/media/image{number}.png", png, ZIP_STORED))
        relationships.append(
            f'<Relationship Id="{_picture_id(number)}" Type="{IMAGE}"'
            f' Target="media/image{number}.png"/>'.encode()
        )
    relationships.append(b"</Relationships>")
    return package.zip_file(
        [
            *template.members,
            package.Member(MAIN, ZIP_DEFLATED, main.crc, main.size, main.data),
            package.member(RELATIONSHIPS, b"".join(relationships)),
            *pictures,
        ]
    )
