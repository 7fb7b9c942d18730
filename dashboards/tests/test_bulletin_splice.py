"""The attachments' tables are written as text into word/document.xml (`tables`, `word.save`):
whatever a unit is called, the file must stay whole and readable."""

import zipfile
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import nsmap, qn
from lxml import etree

from dashboards.bulletin import bulletin_docx, document, figures, tables, word
from dashboards.tests.test_exports import AS_OF
from orgs.models import Unit

MARKER = '<w:p w:bulletinSplice="0"/>'  # a unit named like markup stays a name
ODD = "郏县<&>\"'&amp;"  # XML's special characters, and an entity written out


def parts(data: bytes) -> tuple[bytes, etree._Element]:
    """word/document.xml of a .docx file, as bytes and parsed (which fails unless well-formed)."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.testzip() is None
        xml = package.read("word/document.xml")
    return xml, etree.fromstring(xml)


def assert_no_markup_is_injected(xml: bytes, root) -> None:
    assert MARKER.encode() not in xml
    assert not root.xpath("//*[@w:bulletinSplice]", namespaces={"w": nsmap["w"]})


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def line_breaks(cell) -> int:
    """How many `w:br` the cell holds; a line end left in the text would show as a space."""
    assert not any("\n" in (t.text or "") for t in cell._tc.xpath(".//w:t"))
    return len(cell._tc.xpath(".//w:br"))


def test_each_attachment_table_is_written_whole_with_its_header_and_texts(bulletin_data):
    Unit.objects.filter(code="ruzhou").update(short_name=MARKER)
    Unit.objects.filter(code="jiaxian").update(short_name=ODD)
    data = bulletin_docx(plan=bulletin_data, as_of=AS_OF)

    xml, root = parts(data)
    assert_no_markup_is_injected(xml, root)
    bulletin = docx.Document(BytesIO(data))
    f = figures.bulletin_figures(plan=bulletin_data, as_of=AS_OF)
    programmes = [rows for _p, rows in f.overview.programmes if rows]
    behind = document.reporting_behind(f.reporting)
    found = bulletin.tables
    groups = [g for g in f.ranking_groups if g.rows]
    # 表1, a table per programme with targets, then the ranking (a table per ranking group),
    # the warnings, the late
    assert len(found) == 1 + len(programmes) + len(groups) + 2
    for table in found:
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None for row in table.rows[1:])
        assert table.style.name == "Table Grid"

    summary = cells(found[0])
    assert len(summary) == 1 + len(f.overview.programmes)
    for table, rows in zip(found[1 : 1 + len(programmes)], programmes, strict=True):
        assert [r[0] for r in cells(table)[1:]] == [r.indicator.name for r in rows]

    ranking = [row for table in found[1 + len(programmes) : -2] for row in cells(table)[1:]]
    assert len(ranking) == len(f.ranking)
    assert [r[1] for r in ranking] == [r.unit.short_name for g in groups for r in g.rows]
    assert {MARKER, ODD} <= {r[1] for r in ranking}

    lagging = cells(found[-2])
    assert lagging[0] == ["序号", "单位", "滞后项数", "滞后指标"]
    assert len(lagging) == 1 + len(f.warnings)
    jiaxian = next(w for w in f.warnings if w.unit.short_name == ODD)
    at = next(i for i, r in enumerate(lagging) if r[1] == ODD)
    row = lagging[at]
    assert line_breaks(found[-2].rows[at].cells[3]) == len(jiaxian.lagging) - 1
    assert row[2] == str(len(jiaxian.lagging)) and len(jiaxian.lagging) > 1
    assert row[3] == "\n".join(  # a line each, kept as line breaks in one cell
        f"专案{i.programme.number} {i.name}（完成{figures.pct(d)}，时间进度{figures.pct(e)}）"
        for i, d, e in jiaxian.lagging
    )

    late = cells(found[-1])
    assert len(late) == 1 + len(behind) + 1
    assert [r[1] for r in late[1:-1]] == [u.short_name for u, _t in behind]
    assert late[-1][:2] == ["", "合计"]
    assert late[-1][2] == str(f.total.expected)


def test_a_table_drops_what_xml_cannot_carry_and_keeps_every_line():
    doc = word.new_document()
    values = [
        [1, "a\x00b", "第一行\r\n第二行\r第三行"],
        [2, "bell\x07\x1f \ufffe\uffff tab\t", MARKER],
        [3, "lone \ud800 surrogate", ""],
    ]
    tables.table(doc, "表", ["序号", "单位", "说明"], values, [1.2, 3.0, 6.0])
    tables.table(doc, "空表", ["序号", "单位"], [], [1.2, 3.0])
    data = word.save(doc)

    xml, root = parts(data)
    assert_no_markup_is_injected(xml, root)
    found = docx.Document(BytesIO(data)).tables
    assert cells(found[0]) == [
        ["序号", "单位", "说明"],
        ["1", "ab", "第一行\n第二行\n第三行"],
        ["2", "bell  tab\t", MARKER],
        ["3", "lone  surrogate", ""],
    ]
    assert line_breaks(found[0].rows[1].cells[2]) == 2
    assert cells(found[1]) == [["序号", "单位"]]
    assert [p.text for p in docx.Document(BytesIO(data)).paragraphs if p.text] == ["表", "空表"]


def test_tables_land_in_the_body_where_they_are_written():
    doc = word.new_document()
    for n in range(3):
        word.para(doc, f"段{n}")
        tables.table(doc, f"表{n}", ["序号"], [[n]], [1.2])
    _xml, root = parts(word.save(doc))
    body = root.find(qn("w:body"))
    order = ["".join(e.itertext()) for e in body if e.tag in (qn("w:p"), qn("w:tbl")) and len(e)]
    assert order == ["段0", "表0", "序号0", "段1", "表1", "序号1", "段2", "表2", "序号2"]


def test_a_table_needs_a_value_per_column():
    with pytest.raises(ValueError):
        tables.table_xml(["序号", "单位"], [[1, "汝州市"], [2]], [1.2, 3.0])


def test_the_saved_file_is_compressed():
    doc = word.new_document()
    rows = [[i, f"单位{i}", "80.0%"] for i in range(1000)]
    tables.table(doc, "表", ["序号", "单位", "完成率"], rows, [1.2, 3.0, 2.0])
    with zipfile.ZipFile(BytesIO(word.save(doc))) as package:
        entry = package.getinfo("word/document.xml")
    assert entry.compress_type == zipfile.ZIP_DEFLATED
    assert entry.compress_size * 10 < entry.file_size
