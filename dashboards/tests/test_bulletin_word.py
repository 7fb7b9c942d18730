"""The bulletin's Word file is written by python-docx, its attachments' tables as text parsed
into it (`word`, `tables`): it must have the fonts, sizes, page, footer and pictures asked for,
and be a whole package."""

import zipfile
from io import BytesIO

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm, Pt
from lxml import etree

from dashboards.bulletin import bulletin_docx, document, figures, heading, word
from dashboards.tests.test_exports import AS_OF
from orgs.models import Unit

W = {"w": nsmap["w"]}
PICTURE_WIDTH = 5_580_000  # 15.5 cm in EMU
ODD = "郏县<&>\"'&amp;"


@pytest.fixture
def data(bulletin_data) -> bytes:
    return bulletin_docx(plan=bulletin_data, as_of=AS_OF)


@pytest.fixture
def bulletin(data):
    return docx.Document(BytesIO(data))


def run_format(paragraph) -> tuple[str, float, bool]:
    """(East Asian font, size in pt, bold) of the paragraph's first run, as written on it."""
    run = paragraph.runs[0]
    rfonts = run.element.rPr.rFonts
    assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == word.LATIN
    assert rfonts.get(qn("w:hint")) == "eastAsia"
    return rfonts.get(qn("w:eastAsia")), run.font.size.pt, run.font.bold


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_the_package_is_whole_and_each_part_is_well_formed(data):
    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert len(names) == len(set(names))
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))  # raises unless well-formed
        types = etree.fromstring(package.read("[Content_Types].xml"))
        defaults = {e.get("Extension") for e in types if e.tag.endswith("Default")}
        overrides = {e.get("PartName") for e in types if e.tag.endswith("Override")}
        for name in names:
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
        relationships = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        ids = [r.get("Id") for r in relationships]
        assert len(ids) == len(set(ids))
        for r in relationships:
            if r.get("TargetMode") != "External":
                assert f"word/{r.get('Target')}" in names or r.get("Target").startswith("../")


def test_the_page_is_a4_with_the_official_margins(bulletin):
    section = bulletin.sections[0]
    assert section.page_width.cm == pytest.approx(21, abs=0.01)
    assert section.page_height.cm == pytest.approx(29.7, abs=0.01)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [m.cm for m in margins] == pytest.approx([3.7, 3.5, 2.8, 2.6], abs=0.01)


def test_the_styles_carry_the_body_and_table_fonts(bulletin):
    normal = bulletin.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing == Pt(28)
    assert normal.paragraph_format.space_after == 0
    for name, bold in ((word.TABLE_TEXT, False), (word.TABLE_HEADER, True)):
        style = bulletin.styles[name]
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert style.font.size.pt == 10.5
        assert bool(style.font.bold) is bold
        assert style.paragraph_format.line_spacing == 1.0
        assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert style.base_style.name == "Normal"


def test_each_kind_of_paragraph_has_its_font_size_and_place(bulletin):
    title = bulletin.paragraphs[0]
    assert run_format(title) == ("宋体", 22, True)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.first_line_indent is None
    assert run_format(bulletin.paragraphs[1]) == ("楷体", 16, False)
    heading = paragraph(bulletin, "一、总体情况")
    assert run_format(heading) == ("黑体", 16, False)
    assert heading.paragraph_format.first_line_indent == Pt(32)  # two characters
    body = next(p for p in bulletin.paragraphs if p.text.startswith("截至"))
    assert run_format(body) == ("仿宋", 16, False)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.alignment is None
    issuer = paragraph(bulletin, "平顶山市总工会")
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert issuer.paragraph_format.first_line_indent is None
    for number in range(1, 5):
        attachment = paragraph(bulletin, f"附件{number}")
        assert run_format(attachment) == ("黑体", 16, False)
    name = paragraph(bulletin, "各单位推进情况排名")
    assert name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert run_format(name) == ("宋体", 18, True)
    caption = paragraph(bulletin, "表1 各专案推进情况汇总")
    assert run_format(caption) == ("黑体", 12, False)
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert caption.paragraph_format.keep_with_next


def test_each_attachment_starts_on_a_new_page(bulletin):
    body = bulletin.element.body
    breaks = body.xpath("w:p[w:r/w:br[@w:type='page']]")
    assert len(breaks) == 4
    assert [b.getnext().xpath("string(.)") for b in breaks] == [f"附件{n}" for n in range(1, 5)]


def test_the_charts_are_pictures_as_wide_as_the_text(bulletin):
    shapes = list(bulletin.inline_shapes)
    # The programmes', the ranking's of each of the 2022 plan's four ranking groups (其他
    # included), the reporting's.
    assert len(shapes) == 1 + 4 + 1
    for number, shape in enumerate(shapes, 1):
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        part = bulletin.part.related_parts[rid]
        assert part.partname == f"/word/media/image{number}.png"
        assert part.content_type == "image/png"
        png = part.blob
        assert png.startswith(word.PNG)
        assert shape.width == PICTURE_WIDTH == Cm(15.5)
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert shape.height == round(PICTURE_WIDTH * height / width)
    ids = bulletin.element.body.xpath(".//wp:docPr/@id")
    assert len(set(ids)) == len(shapes)


def test_the_footer_numbers_the_pages_between_dashes(bulletin):
    footer = bulletin.sections[0].footer
    assert not footer.is_linked_to_previous
    line = footer.paragraphs[0]
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert line._p.xpath("w:fldSimple/@w:instr") == ["PAGE"]
    assert [r.text for r in line.runs] == ["— ", " —"]
    for run in line.runs:
        assert run.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert run.font.size.pt == 14


def test_a_paragraph_escapes_its_text_and_drops_what_xml_cannot_carry():
    doc = word.new_document()
    word.para(doc, "a<&>\"' \x00\x07b\ufffe\n第二行", font=word.HEADING, size=12)
    word.para(doc)
    word.para(doc, "　　　2. 各单位推进情况排名", indent=False)
    paragraphs = docx.Document(BytesIO(word.save(doc))).paragraphs
    assert [p.text for p in paragraphs] == ["a<&>\"' b\n第二行", "", "　　　2. 各单位推进情况排名"]
    assert run_format(paragraphs[0]) == ("黑体", 12, False)
    assert paragraphs[0].paragraph_format.first_line_indent == Pt(24)
    assert paragraphs[1].paragraph_format.first_line_indent == Pt(32)


def test_a_windows_line_end_in_a_paragraph_is_one_line_break():
    doc = word.new_document()
    word.para(doc, "第一行\r\n第二行\r第三行")
    paragraph = docx.Document(BytesIO(word.save(doc))).paragraphs[0]
    assert paragraph.text == "第一行\n第二行\n第三行"
    assert len(paragraph._p.xpath(".//w:br")) == 2


def test_units_named_with_xml_characters_are_written_as_text(bulletin_data):
    Unit.objects.filter(code="jiaxian").update(short_name=ODD)
    data = bulletin_docx(plan=bulletin_data, as_of=AS_OF)
    with zipfile.ZipFile(BytesIO(data)) as package:
        etree.fromstring(package.read("word/document.xml"))
    text = "\n".join(p.text for p in docx.Document(BytesIO(data)).paragraphs)
    assert f"{ODD}（" in text  # named in the sentences as in the tables


def test_the_addressees_and_the_signature_come_from_the_plans_units(plan_2022):
    line = "各县（市、区）总工会，各功能区工会联合会，各产业工会，市直各单位工会，各直属企业工会"
    assert heading.bulletin_addressees(plan_2022) == line
    assert heading.bulletin_signature(plan_2022) == "平顶山市总工会"
    # Another federation among the units is addressed; the issuer never addresses itself.
    other = Unit.objects.create(
        code="other-federation", name="另一总工会", short_name="另一", kind=Unit.Kind.FEDERATION
    )
    plan_2022.units.add(other)
    assert heading.bulletin_addressees(plan_2022) == "各设区市总工会，" + line
    assert heading.bulletin_signature(plan_2022) == "平顶山市总工会"
    plan_2022.units.set([plan_2022.issuer])
    assert heading.bulletin_addressees(plan_2022) == "各有关单位"


def test_the_reporting_table_has_each_units_counts_and_rates(bulletin_data, bulletin):
    f = figures.bulletin_figures(plan=bulletin_data, as_of=AS_OF)
    behind = document.reporting_behind(f.reporting)
    table = bulletin.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows][1:-1]
    assert rows == [
        [
            str(i),
            u.short_name,
            str(t.expected),
            str(t.received),
            str(t.late),
            str(t.missing),
            figures.pct(t.completeness),
            figures.pct(t.timeliness),
        ]
        for i, (u, t) in enumerate(behind, 1)
    ]
