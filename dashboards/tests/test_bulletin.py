import logging
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from dashboards import charts, metrics, selectors
from dashboards.bulletin import bulletin_docx
from dashboards.tests.test_exports import AS_OF, two_units_reported

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def bulletin(plan_2022, settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff):
    two_units_reported(settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff)
    return docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=AS_OF)))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_after(document, header: list[str], first: str | None = None):
    """The table with this header row (and, if given, this text in its first data row)."""
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0] == header and (first is None or any(first in r[0] for r in rows[1:])):
            return rows
    raise AssertionError(f"no table headed {header}")


def test_bulletin_opens_with_its_title_and_the_as_of_date(bulletin):
    paragraphs = [p.text for p in bulletin.paragraphs if p.text]
    assert paragraphs[0] == "关于2022年“五大行动”“十件实事”专案推进情况的通报"
    assert paragraphs[1] == "（数据截至2022年6月30日）"
    assert paragraphs[2].startswith("各县（市、区）总工会，") and paragraphs[2].endswith("：")
    assert "平顶山市总工会" in paragraphs
    for heading in ("一、总体情况", "二、各单位推进情况", "三、报送情况", "四、下一步工作要求"):
        assert heading in paragraphs


def test_summary_is_written_from_the_figures(bulletin, plan_2022):
    text = text_of(bulletin)
    overview = selectors.city_overview(plan=plan_2022, as_of=AS_OF)
    assert "截至2022年6月30日，全年时间进度为33.1%。" in text
    assert (
        f"已完成{overview.count(metrics.DONE)}项，进度正常{overview.count(metrics.ON_TRACK)}项，"
        f"滞后{overview.count(metrics.BEHIND)}项，严重滞后{overview.count(metrics.FAR_BEHIND)}项"
    ) in text
    assert "全年时间尚未过半" in text and "时间过半、任务过半" in text
    ranking = selectors.unit_ranking(plan=plan_2022, as_of=AS_OF)
    assert f"排名靠前的是：汝州市（{ranking[0].score}分）、郏县（{ranking[1].score}分）。" in text
    assert "专案3“深化产业工人队伍建设改革行动”（滞后2项、严重滞后3项）" in text
    assert "逾期报送1份" in text and "逾期报送较多的单位：郏县（1份）。" in text
    missing = sum(
        t.missing for t in selectors.timeliness_by_unit(plan=plan_2022, as_of=AS_OF).values()
    )
    assert f"未报送{missing}份" in text


def test_tables_carry_the_approved_figures_and_the_ranking_order(bulletin):
    programme = table_after(
        bulletin,
        ["指标", "计量单位", "目标", "已完成", "完成率", "时间进度", "状态"],
        "职业技能培训",
    )
    rows = {r[0]: r[1:] for r in programme[1:]}
    assert rows["职业技能培训"] == ["人", "8,000", "180", "2.2%", "33.1%", "严重滞后"]
    assert rows["各级工会选树各类工匠人才"] == ["名", "125", "6", "4.8%", "33.1%", "滞后"]
    summary = table_after(
        bulletin, ["专案", "指标数", "已完成", "正常", "滞后", "严重滞后", "平均完成率", "时间进度"]
    )
    assert summary[3][0] == "3. 深化产业工人队伍建设改革行动专案"
    assert summary[3][1:6] == ["5", "0", "0", "2", "3"]
    ranking = table_after(
        bulletin, ["名次", "单位", "得分", "任务项数", "落后项数", "报送完整率", "按时报送率"]
    )
    assert [r[:2] for r in ranking[1:3]] == [["1", "汝州市"], ["2", "郏县"]]
    late = table_after(
        bulletin, ["序号", "单位", "应报", "已报", "逾期报送", "未报", "完整率", "及时率"]
    )
    jiaxian = next(r for r in late if r[1] == "郏县")
    assert jiaxian[3:5] == ["1", "1"]
    lagging = table_after(bulletin, ["序号", "单位", "滞后项数", "滞后指标"])
    jiaxian = next(r for r in lagging if r[1] == "郏县")
    assert "专案3 职业技能培训（完成10.0%，时间进度33.1%）" in jiaxian[3]


def test_charts_are_embedded_and_chinese_is_set_in_document_fonts(bulletin):
    images = list(bulletin.inline_shapes)
    assert len(images) >= 2
    blobs = [
        bulletin.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for s in images
    ]
    assert all(b.startswith(PNG) for b in blobs)
    title = bulletin.paragraphs[0].runs[0]
    body = next(p for p in bulletin.paragraphs if p.text.startswith("截至")).runs[0]
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert body.font.size.pt == 16


def test_charts_are_drawn_without_a_chinese_font_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font For Tests",))
    charts.cjk_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="dashboards.charts"):
            png = charts.ranking_chart(["汝州市", "郏县"], [50.0, 8.0], title="图2 各单位得分排名")
    finally:
        charts.cjk_family.cache_clear()
    assert png.startswith(PNG)
    assert "No CJK font found" in caplog.text


@pytest.mark.skipif(
    not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists(),
    reason="Debian's fonts-noto-cjk is not installed",
)
def test_the_installed_noto_font_is_found_by_its_family_name():
    assert charts.cjk_family() == "Noto Sans CJK SC"
