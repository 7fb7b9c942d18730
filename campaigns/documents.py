"""The naming's two files: the decision (命名决定, .docx) and the certificate list (证书名单,
.xlsx).

The decision is laid out as the dashboards' bulletin lays out its Word file (GB/T 9704: A4,
the official margins, 宋体 title, 仿宋 three-size body, 黑体 headings, 28 pt lines), written with
python-docx; the list with the shared Excel table (`common.excel.table_xlsx`), formula-safe.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from campaigns.models import Campaign, Designation
from common.clock import chinese_date
from common.excel import INTEGER, Column, table_xlsx

BODY, HEADING, TITLE = "仿宋", "黑体", "宋体"
LATIN = "Times New Roman"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHINESE_NUMBERS = "一二三四五六七八九十"


def _fonts(target, east_asian: str, size: float, bold: bool = False):
    target.font.name = LATIN
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    target.font.size = Pt(size)
    target.font.bold = bold


def _para(doc, text: str, *, font: str = BODY, size: float = 16, align=None, indent=True):
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _fonts(paragraph.add_run(text), font, size)
    return paragraph


def _chinese_ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = CHINESE_NUMBERS[tens - 1] if tens > 1 else ""
    return f"{head}十{CHINESE_NUMBERS[ones - 1] if ones else ''}"


def decision_docx(campaign: Campaign, groups: list[tuple[str, list[Designation]]]) -> bytes:
    """命名决定: title, document number, the decision's sentence, the named list by unit, date."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, campaign.decision_number, align=center, indent=False)
    _para(doc, "", indent=False)
    _para(doc, campaign.decision_title, font=TITLE, size=22, align=center, indent=False)
    _para(doc, "", indent=False)
    count = sum(len(rows) for _, rows in groups)
    _para(
        doc,
        f"经单位推荐、资格审查、评选和公示（{chinese_date(campaign.publicity_from)}至"
        f"{chinese_date(campaign.publicity_until)}），决定命名以下{count}个对象为"
        f"“{campaign.named_as}”。",
    )
    for number, (unit_name, rows) in enumerate(groups, 1):
        _para(doc, f"{_chinese_ordinal(number)}、{unit_name}", font=HEADING)
        for row in rows:
            _para(doc, row.name)
    _para(doc, "", indent=False)
    _para(doc, chinese_date(campaign.named_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


CERTIFICATE_COLUMNS = [
    Column("序号", 8, kind=INTEGER),
    Column("命名对象", 40),
    Column("推荐单位", 24),
    Column("称号", 28),
    Column("命名日期", 14),
    Column("文号", 24),
]


def certificates_xlsx(campaign: Campaign, designations: list[Designation]) -> bytes:
    """证书名单: one row per designation not withdrawn."""
    rows = [
        [
            number,
            d.name,
            d.unit.name,
            campaign.named_as,
            d.named_on.isoformat(),
            d.decision_number,
        ]
        for number, d in enumerate(designations, 1)
    ]
    return table_xlsx(
        sheet_title="证书名单",
        title=f"{campaign.named_as}证书名单",
        subtitle=f"{campaign.decision_title}（{campaign.decision_number}）",
        columns=CERTIFICATE_COLUMNS,
        rows=rows,
    )
