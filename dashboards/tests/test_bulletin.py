import datetime as dt
import logging
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from dashboards import chartfonts, charts, metrics, selectors
from dashboards.bulletin import bulletin_docx, document, figures, tables, word
from dashboards.bulletin.text import overall_text
from dashboards.tests.test_exports import AS_OF
from orgs.models import Unit

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def bulletin(bulletin_data):
    return docx.Document(BytesIO(bulletin_docx(plan=bulletin_data, as_of=AS_OF)))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def alignment(paragraph):
    """The paragraph's own alignment, else its style's (table cells take the centring from
    theirs)."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    return paragraph.style.paragraph_format.alignment


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
    for heading in (
        "一、总体情况",
        "二、各单位推进情况",
        "三、报送情况",
        "四、市总工作节点",
        "五、督办情况",
        "六、下一步工作要求",
    ):
        assert heading in paragraphs


def test_summary_is_written_from_the_figures(bulletin, plan_2022):
    text = text_of(bulletin)
    overview = selectors.city_overview(plan=plan_2022, as_of=AS_OF)
    assert "截至2022年6月30日，时间进度为33.1%（自2022年4月1日起计）。" in text
    assert (
        f"已完成{overview.count(metrics.DONE)}项，进度正常{overview.count(metrics.ON_TRACK)}项，"
        f"滞后{overview.count(metrics.BEHIND)}项，严重滞后{overview.count(metrics.FAR_BEHIND)}项"
    ) in text
    assert "全年时间尚未过半" in text and "时间过半、任务过半" in text
    ranking = selectors.unit_ranking(plan=plan_2022, as_of=AS_OF)
    assert (
        f"县（市、区）12个单位中，排名靠前的是：汝州市（{ranking[0].score}分）、"
        f"郏县（{ranking[1].score}分）；排名靠后的是："
    ) in text
    assert "专案3“深化产业工人队伍建设改革行动”（滞后2项、严重滞后3项）" in text
    assert "逾期报送1份" in text and "逾期报送较多的单位：郏县（1份）。" in text
    missing = sum(
        t.missing for t in selectors.timeliness_by_unit(plan=plan_2022, as_of=AS_OF).values()
    )
    assert f"未报送{missing}份" in text


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2022-06-30", "全年时间尚未过半"),
        ("2022-07-01", "全年时间尚未过半"),
        # 时间进度 (from 1 April) is 40.4%, under half, but half the year is gone.
        ("2022-07-20", "全年时间已过半"),
        ("2022-10-31", "全年时间已过半"),
    ],
)
def test_the_bulletin_says_half_the_year_is_gone_from_july(bulletin_data, settings, day, said):
    settings.UNIONPLAN_TODAY = "2022-12-31"
    as_of = dt.date.fromisoformat(day)
    texts = overall_text(figures.Figures(bulletin_data, as_of))
    paragraph = next(t for t in texts if "时间过半、任务过半" in t)
    assert said in paragraph
    assert ("全年时间已过半" in paragraph) != ("全年时间尚未过半" in paragraph)
    assert "全年时间进度" not in texts[0]


def test_the_bulletin_of_20_july_says_the_year_is_past_half(bulletin_data, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    document = docx.Document(BytesIO(bulletin_docx(plan=bulletin_data, as_of=dt.date(2022, 7, 20))))
    body = text_of(document)
    assert "截至2022年7月20日，时间进度为40.4%（自2022年4月1日起计）。" in body
    assert "全年时间已过半，完成率过半的指标" in body and "全年时间尚未过半" not in body


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
    monkeypatch.setattr(chartfonts, "CJK_FAMILIES", ("No Such Font For Tests",))
    chartfonts.cjk_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="dashboards.chartfonts"):
            png = charts.ranking_chart(["汝州市", "郏县"], [50.0, 8.0], title="图2 各单位得分排名")
    finally:
        chartfonts.cjk_family.cache_clear()
    assert png.startswith(PNG)
    assert "No CJK font found" in caplog.text


@pytest.mark.skipif(
    not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists(),
    reason="Debian's fonts-noto-cjk is not installed",
)
def test_the_installed_noto_font_is_found_by_its_family_name():
    assert chartfonts.cjk_family() == "Noto Sans CJK SC"


# -- charts a reader can read, tables that list everyone ----------------------------------


@pytest.fixture
def drawn(monkeypatch):
    """What each chart of the bulletin was asked to draw: name → (labels, title)."""
    calls = {}

    def recorder(name, real):
        def draw(labels, *values, title, **options):
            calls[name] = (labels, title)
            return real(labels, *values, title=title, **options)

        return draw

    for name in ("progress_chart", "ranking_chart", "timeliness_chart"):
        monkeypatch.setattr(charts, name, recorder(name, getattr(charts, name)))
    return calls


def test_a_chart_of_many_units_shows_the_best_and_the_worst_ten():
    rows = [SimpleNamespace(rank=i) for i in range(1, 26)]
    shown, split = document.best_and_worst(rows)
    assert [r.rank for r in shown] == [*range(1, 11), *range(16, 26)]
    assert split == 10
    assert document.best_and_worst(rows[:20]) == (rows[:20], None)


def test_the_ranking_chart_of_a_plan_without_groups_names_the_first_and_last_ten(
    bulletin_data, drawn, plan_2022
):
    plan_2022.ranking_groups = []  # one list of every unit, as before ranking groups
    plan_2022.save(update_fields=["ranking_groups"])
    ranking = selectors.unit_ranking(plan=plan_2022, as_of=AS_OF)
    assert len(ranking) > 20
    bulletin_docx(plan=plan_2022, as_of=AS_OF)
    labels, title = drawn["ranking_chart"]
    ends = ranking[:10] + ranking[-10:]
    assert labels == [f"{r.rank}. {r.unit.short_name}" for r in ends]
    assert title == f"图2 各单位得分排名（前10名和后10名，共{len(ranking)}个单位）"
    assert labels[:2] == ["1. 汝州市", "2. 郏县"]


def test_the_reporting_chart_shows_the_ten_units_most_behind(bulletin_data, drawn, plan_2022):
    timeliness = selectors.timeliness_by_unit(plan=plan_2022, as_of=AS_OF)
    units = Unit.objects.in_bulk(timeliness)
    behind = sorted(
        ((units[pk], t) for pk, t in timeliness.items() if t.missing or t.late),
        key=lambda x: (-x[1].missing, -x[1].late, x[0].order, x[0].pk),
    )
    assert len(behind) > 10
    bulletin_docx(plan=plan_2022, as_of=AS_OF)
    labels, title = drawn["timeliness_chart"]
    assert labels == [u.short_name for u, _ in behind[:10]]
    assert title == f"图3 未报送及逾期报送较多的单位（前10个，有未报送或逾期的共{len(behind)}个）"


def test_the_programme_chart_has_a_pair_of_bars_per_programme_with_judged_targets(
    bulletin_data, drawn, plan_2022
):
    bulletin_docx(plan=plan_2022, as_of=AS_OF)
    labels, _title = drawn["progress_chart"]
    overview = selectors.city_overview(plan=plan_2022, as_of=AS_OF)
    judged = [p for p, rows in overview.programmes if any(r.status in figures.JUDGED for r in rows)]
    assert labels == [f"{p.number}. {p.title.removesuffix('专案')[:14]}" for p in judged]


def test_charts_are_drawn_at_their_printed_width_at_150_dpi():
    png = charts.ranking_chart(["汝州市", "郏县"], [50.0, 8.0], title="图2 各单位得分排名")
    width = int.from_bytes(png[16:20], "big")  # IHDR
    assert width == round(15.5 / 2.54 * 150)


def test_the_ranking_table_of_a_plan_without_groups_lists_every_unit_with_its_figures(
    bulletin_data, plan_2022
):
    plan_2022.ranking_groups = []  # one list of every unit, as before ranking groups
    plan_2022.save(update_fields=["ranking_groups"])
    bulletin = docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=AS_OF)))
    ranking = selectors.unit_ranking(plan=plan_2022, as_of=AS_OF)
    table = table_after(
        bulletin, ["名次", "单位", "得分", "任务项数", "落后项数", "报送完整率", "按时报送率"]
    )
    assert len(table) == len(ranking) + 1
    for row, r in zip(table[1:], ranking, strict=True):
        assert row == [
            str(r.rank),
            r.unit.short_name,
            "—" if r.score is None else str(r.score),
            str(r.targets),
            str(r.behind),
            figures.pct(r.timeliness.completeness),
            figures.pct(r.timeliness.timeliness),
        ]


def test_a_table_of_a_thousand_rows_keeps_every_text_break_and_style():
    doc = word.new_document()
    rows = [[i, f"单位{i} <&>", f"第一行\n第二行{i}"] for i in range(1, 1001)]
    tables.table(doc, "表", ["序号", "单位", "说明"], rows, [1.2, 3.0, 6.0], left=2)
    saved = word.save(doc)
    table = docx.Document(BytesIO(saved)).tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "单位", "说明"]
    assert cells[1:] == [[str(a), b, c] for a, b, c in rows]
    header, first = table.rows[0], table.rows[1]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert {c.paragraphs[0].style.name for c in header.cells} == {word.TABLE_HEADER}
    assert header.cells[0].paragraphs[0].style.font.bold
    assert {c.paragraphs[0].style.name for c in first.cells} == {word.TABLE_TEXT}
    assert alignment(first.cells[2].paragraphs[0]) == WD_ALIGN_PARAGRAPH.LEFT
    assert alignment(first.cells[1].paragraphs[0]) == WD_ALIGN_PARAGRAPH.CENTER
    assert table.style.name == "Table Grid"
    text_style = docx.Document(BytesIO(saved)).styles[word.TABLE_TEXT]
    assert text_style.font.size.pt == 10.5
    assert text_style.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
