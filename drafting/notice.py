"""A notice as the drafter reads it: paragraphs and tables in document order.

Notices arrive as .docx files or as text pasted from one (where a table's cells are separated
by tabs, as Word copies them). Both become the same blocks, so everything after reading does
not care where the notice came from. Each block keeps its position, so every drafted item can
point back at the sentence or cell it came from.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

# A paragraph that ends like this is complete; one that does not was cut by a page break in
# the source and continues in the next paragraph (unless that one opens a new heading).
_SENTENCE_END = tuple("。；：！？”」）)》") + ("**",)
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)]|附件)"
)


@dataclass
class Cell:
    text: str
    # The cell continues the one to its left or above (a merged cell in the source).
    merged: str = ""  # "" | "left" | "above"


@dataclass
class Table:
    index: int
    rows: list[list[Cell]]

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


@dataclass
class Paragraph:
    index: int
    text: str


@dataclass
class Notice:
    blocks: list[Paragraph | Table] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.paragraphs)


class NoticeUnreadable(ValueError):
    """The file is not a notice the drafter can read; the message says why, in Chinese."""


def clean(text: str) -> str:
    """One paragraph's text without layout: bold markers, and the spaces typesetting puts
    between Chinese characters (“4 月底前”, “组织 750 名”) or inside names (“叶 县”)."""
    text = text.replace("**", "").replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", text).strip()
    cjk = r"[\u4e00-\u9fff（）()“”《》、，。：；]"
    text = re.sub(rf"(?<={cjk}) (?=[\w（(“《])", "", text)
    return re.sub(rf"(?<=[\w）)”》]) (?={cjk})", "", text)


def read_text(text: str) -> Notice:
    """Pasted or saved text: blank lines separate paragraphs, lines with tabs are table rows."""
    notice = Notice()
    pending: list[str] = []
    rows: list[list[Cell]] = []

    def flush_paragraphs() -> None:
        for line in pending:
            _add_paragraph(notice, line)
        pending.clear()

    def flush_table() -> None:
        if rows:
            notice.blocks.append(Table(index=len(notice.blocks), rows=list(rows)))
            rows.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" in line:
            flush_paragraphs()
            rows.append([Cell(text=clean(cell)) for cell in line.split("\t")])
            continue
        flush_table()
        if line.strip():
            pending.append(line)
        else:
            flush_paragraphs()
    flush_table()
    flush_paragraphs()
    return notice


def _add_paragraph(notice: Notice, line: str) -> None:
    text = clean(line)
    if not text:
        return
    last = notice.blocks[-1] if notice.blocks else None
    if (
        isinstance(last, Paragraph)
        and not last.text.endswith(_SENTENCE_END)
        and not HEADING.match(text)
        # A title has no commas; a sentence cut by a page break has.
        and re.search(r"[，,；]", last.text)
    ):
        last.text = clean(last.text + text)
        return
    notice.blocks.append(Paragraph(index=len(notice.blocks), text=text))


def read_docx(data: bytes) -> Notice:
    """A Word file's body in order: paragraphs, and tables with their merged cells marked."""
    import docx  # python-docx; imported here so reading text needs nothing else

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise NoticeUnreadable("无法读取该文件：请上传 Word（.docx）文件，或粘贴通知全文") from exc
    notice = Notice()
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            notice.blocks.append(Table(index=len(notice.blocks), rows=_docx_rows(item)))
        else:
            for line in item.text.split("\n"):
                _add_paragraph(notice, line)
    return notice


def _docx_rows(table) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    above: list = []
    for row in table.rows:
        cells: list[Cell] = []
        seen: list = []
        for i, cell in enumerate(row.cells):
            merged = ""
            if seen and cell._tc is seen[-1]:
                merged = "left"
            elif i < len(above) and cell._tc is above[i]:
                merged = "above"
            cells.append(Cell(text=clean(cell.text), merged=merged))
            seen.append(cell._tc)
        above = seen
        rows.append(cells)
    return rows


def read_notice(name: str, data: bytes) -> Notice:
    """By the file's name: .docx, or text in UTF-8 (or GB18030, as Windows saves it)."""
    if name.lower().endswith(".docx"):
        return read_docx(data)
    if name.lower().endswith((".doc", ".pdf", ".wps")):
        raise NoticeUnreadable("暂不支持该格式：请另存为 .docx 后上传，或粘贴通知全文")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return read_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise NoticeUnreadable("无法识别文件的文字编码：请另存为 UTF-8 文本或 .docx")
