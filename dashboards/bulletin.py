"""The progress bulletin (通报) as a Word file, written from the dashboards' figures.

The text follows the usual layout of a federation's 通报 (GB/T 9704 fonts and margins): title,
数据截至 line, addressee, 一、总体情况 (with the programme chart), 二、各单位推进情况 (with the
ranking chart), 三、报送情况 (with the timeliness chart), 四、下一步工作要求, signature, then the
tables as attachments. Every sentence with a number is built from the selectors' results, so a
reviewer can edit the wording in Word but never has to look figures up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dashboards import charts, metrics, selectors
from dashboards.exports import RATIO, cn_date
from orgs.models import Unit
from plans.models import Plan
from plans.selectors import format_number
from reporting import clock

BODY, HEADING, SUBHEADING, TITLE, TABLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
LATIN = "Times New Roman"
JUDGED = (metrics.DONE, metrics.ON_TRACK, metrics.BEHIND, metrics.FAR_BEHIND)
ADDRESSEES = {  # unit kind → how the addressee line names such units
    Unit.Kind.COUNTY_CITY: "各县（市、区）总工会",
    Unit.Kind.COUNTY: "各县（市、区）总工会",
    Unit.Kind.DISTRICT: "各县（市、区）总工会",
    Unit.Kind.ZONE: "各功能区工会联合会",
    Unit.Kind.INDUSTRY_UNION: "各产业工会",
    Unit.Kind.ORGAN_UNION: "市直各单位工会",
    Unit.Kind.ENTERPRISE_UNION: "各直属企业工会",
    Unit.Kind.OTHER: "各有关单位",
}
NAMED = 5  # how many units a sentence names at most


def pct(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


def points(share: Decimal) -> str:
    """0.10 → 10个百分点"""
    return f"{format_number(share * 100)}个百分点"


def _names(items: list[tuple[str, str]]) -> str:
    """[(汝州市, 80.5分)] → 汝州市（80.5分）、…"""
    return "、".join(f"{name}（{note}）" for name, note in items[:NAMED])


@dataclass
class Figures:
    plan: Plan
    as_of: dt.date
    overview: selectors.Overview
    ranking: list[selectors.RankRow]
    warnings: list[selectors.Warning]
    timeliness: list[tuple[Unit, selectors.Timeliness]]
    milestones: list[selectors.MilestoneState]

    @property
    def elapsed(self) -> Decimal:
        start = self.plan.progress_from or self.plan.issued_on
        return metrics.time_elapsed(start, dt.date(self.plan.year, 12, 31), self.as_of)

    @property
    def judged(self) -> list[selectors.IndicatorRow]:
        return [r for r in self.overview.rows if r.status in JUDGED]

    @property
    def total(self) -> selectors.Timeliness:
        return selectors.Timeliness(
            *(
                sum(getattr(t, f) for _, t in self.timeliness)
                for f in ("expected", "received", "on_time")
            )
        )

    def programme_progress(self):
        """(programme, its judged rows, mean capped completion, mean elapsed) per programme."""
        for programme, rows in self.overview.programmes:
            judged = [r for r in rows if r.status in JUDGED]
            score = metrics.capped_score([r.completion for r in judged])
            done = None if score is None else score / 100
            elapsed = sum(r.elapsed for r in judged) / len(judged) if judged else None
            yield programme, rows, judged, done, elapsed


def bulletin_figures(*, plan: Plan, as_of: dt.date) -> Figures:
    by_unit = selectors.timeliness_by_unit(plan=plan, as_of=as_of)
    units = Unit.objects.filter(pk__in=by_unit).order_by("order", "pk")
    return Figures(
        plan=plan,
        as_of=as_of,
        overview=selectors.city_overview(plan=plan, as_of=as_of),
        ranking=selectors.unit_ranking(plan=plan, as_of=as_of),
        warnings=selectors.early_warnings(plan=plan, as_of=as_of),
        timeliness=[(u, by_unit[u.pk]) for u in units],
        milestones=selectors.milestone_states(plan=plan, as_of=as_of),
    )


# -- the text ------------------------------------------------------------------------------


def overall_text(f: Figures) -> list[str]:
    rows, judged = f.overview.rows, f.judged
    count = {s: sum(1 for r in judged if r.status == s) for s in JUDGED}
    others = len(rows) - len(judged)
    first = (
        f"截至{cn_date(f.as_of)}，全年时间进度为{pct(f.elapsed)}。"
        f"{f.plan.year}年“五大行动”“十件实事”共{len(f.overview.programmes)}个专案、"
        f"{len(rows)}项量化指标，其中{len(judged)}项纳入进度评价：已完成{count[metrics.DONE]}项，"
        f"进度正常{count[metrics.ON_TRACK]}项，滞后{count[metrics.BEHIND]}项，"
        f"严重滞后{count[metrics.FAR_BEHIND]}项"
        + (f"；另有{others}项由市总工会本级统计或未设具体目标，不作评价。" if others else "。")
    )
    texts = [first]
    score = metrics.capped_score([r.completion for r in judged])
    if score is not None:
        average = score / 100
        gap = (average - f.elapsed) * 100
        compared = (
            f"高于时间进度{gap:.1f}个百分点"
            if gap >= Decimal("0.05")
            else f"低于时间进度{-gap:.1f}个百分点"
            if gap <= Decimal("-0.05")
            else "与时间进度基本持平"
        )
        ahead = sum(1 for r in judged if r.completion >= r.elapsed)
        half = sum(1 for r in judged if r.completion >= Decimal("0.5"))
        second = (
            f"纳入评价的指标平均完成率为{pct(average)}（单项最高按100%计），{compared}；"
            f"完成率达到或超过时间进度的{ahead}项，低于时间进度的{len(judged) - ahead}项。"
        )
        if f.elapsed >= Decimal("0.5"):
            second += f"全年时间已过半，完成率过半的指标{half}项，" + (
                "总体实现了“时间过半、任务过半”。"
                if average >= Decimal("0.5")
                else "总体尚未实现“时间过半、任务过半”，需加快推进。"
            )
        else:
            second += (
                "全年时间尚未过半，各单位要对照“时间过半、任务过半”的要求，提前谋划、加快推进。"
            )
        texts.append(second)
    good, lagging = [], []
    for programme, _rows, judged_rows, _done, _elapsed in f.programme_progress():
        name = f"专案{programme.number}“{programme.title.removesuffix('专案')}”"
        behind = sum(1 for r in judged_rows if r.status == metrics.BEHIND)
        far = sum(1 for r in judged_rows if r.status == metrics.FAR_BEHIND)
        if behind or far:
            parts = [f"滞后{behind}项" if behind else "", f"严重滞后{far}项" if far else ""]
            lagging.append(f"{name}（{'、'.join(p for p in parts if p)}）")
        elif judged_rows:
            good.append(name)
    if good:
        texts.append(f"各项指标均完成或进度正常的专案有：{'、'.join(good)}。")
    if lagging:
        texts.append(f"存在滞后指标的专案有：{'、'.join(lagging)}。")
    return texts


def units_text(f: Figures) -> list[str]:
    scored = [r for r in f.ranking if r.score]
    if not scored:
        return ["截至目前，各单位尚无经审核的进度数据。"]
    texts = [
        f"按各单位分解任务平均完成率（单项最高按100%计，满分100分）排名，{len(f.ranking)}个单位中，"
        f"排名靠前的是：{_names([(r.unit.short_name, f'{r.score}分') for r in scored])}。"
    ]
    if len(f.ranking) > NAMED:
        tail = f.ranking[-NAMED:]
        texts.append(
            "排名靠后的是："
            + _names([(r.unit.short_name, f"{r.score or 0}分") for r in tail])
            + "。"
        )
    margin = points(metrics.thresholds()[0])
    if f.warnings:
        named = [(w.unit.short_name, f"{len(w.lagging)}项") for w in f.warnings]
        texts.append(
            f"有{len(f.warnings)}个单位至少一项分解任务完成率低于时间进度{margin}以上，"
            f"滞后项较多的是：{_names(named)}，具体见附件3。"
        )
    else:
        texts.append(f"各单位分解任务完成率均未低于时间进度{margin}以上。")
    return texts


def reporting_text(f: Figures) -> list[str]:
    t = f.total
    texts = [
        f"截至{cn_date(f.as_of)}，各单位应报进度及材料{t.expected}份，已报{t.received}份，"
        f"报送完整率{pct(t.completeness)}；其中按时报送{t.on_time}份，逾期报送{t.late}份，"
        f"未报送{t.missing}份，按时报送率{pct(t.timeliness)}。"
    ]
    late = sorted((x for x in f.timeliness if x[1].late), key=lambda x: -x[1].late)
    missing = sorted((x for x in f.timeliness if x[1].missing), key=lambda x: -x[1].missing)
    if late:
        texts.append(
            f"逾期报送较多的单位：{_names([(u.short_name, f'{t.late}份') for u, t in late])}。"
        )
    if missing:
        named = [(u.short_name, f"{t.missing}份") for u, t in missing]
        texts.append(f"尚未报送较多的单位：{_names(named)}，具体见附件4。")
    states = [s.state for s in f.milestones]
    texts.append(
        f"时间节点方面，{len(states)}个节点中进行中{states.count('running')}个，"
        f"单位报送材料已完成{states.count('done')}个、逾期未完成{states.count('overdue')}个。"
    )
    return texts


def requirements_text(f: Figures) -> list[str]:
    behind = f"本次通报的{len(f.warnings)}个进度滞后单位" if f.warnings else "各单位"
    return [
        "（一）对照目标抓落实。各单位要对照分解任务和时间节点，倒排工期、挂图作战，"
        "确保全年目标任务按期完成。",
        f"（二）聚焦滞后补短板。{behind}要认真分析原因，制定整改措施，加快工作进度。",
        "（三）规范报送提质效。各单位要按时、如实报送进度数据和佐证材料"
        + ("；逾期和未报送的单位要及时补报。" if f.total.late or f.total.missing else "。"),
    ]


# -- the document --------------------------------------------------------------------------


def _fonts(target, east_asian: str, size: float | None = None, bold: bool | None = None):
    """Latin and East Asian fonts of a run or a style (python-docx sets only the Latin one)."""
    target.font.name = LATIN
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes in the Chinese font too
    if size:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    return target


def _para(
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
        _fonts(p.add_run(text), font, size, bold)
    return p


def _picture(doc, png: bytes) -> None:
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(BytesIO(png), width=Cm(15.5))


def _table(
    doc,
    caption: str,
    headers: list[str],
    rows: list[list],
    widths: list[float],
    left: int | None = None,
):
    """A boxed table under its caption; column `left` (a text column) is aligned left."""
    p = _para(doc, caption, font=HEADING, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on each page
    for row, values, bold in [(header, headers, True)] + [(None, r, False) for r in rows]:
        cells = (row or table.add_row()).cells
        for i, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if i == left and not bold else WD_ALIGN_PARAGRAPH.CENTER
            )
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.line_spacing = 1.0
            _fonts(p.add_run(str(value)), TABLE, 10.5, bold)
    _para(doc, indent=False)
    return table


def _number(value: Decimal | None, measure: str = "") -> str:
    if value is None:
        return "—"
    if measure == RATIO:
        return pct(value)
    return format_number(value if value == int(value) else value.quantize(Decimal("0.01")))


def _document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), TABLE, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    _fonts(footer.add_run(" —"), TABLE, 14)
    return doc


def bulletin_docx(*, plan: Plan, as_of: dt.date) -> bytes:
    f = bulletin_figures(plan=plan, as_of=as_of)
    doc = _document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        f"关于{plan.year}年“五大行动”“十件实事”专案推进情况的通报",
        font=TITLE,
        size=22,
        bold=True,
        align=center,
        indent=False,
    )
    _para(
        doc, f"（数据截至{cn_date(as_of)}）", font=SUBHEADING, size=16, align=center, indent=False
    )
    _para(doc, indent=False)
    kinds = set(plan.units.exclude(kind=Unit.Kind.FEDERATION).values_list("kind", flat=True))
    addressees = dict.fromkeys(ADDRESSEES[k] for k in ADDRESSEES if k in kinds)
    _para(doc, "，".join(addressees or ["各有关单位"]) + "：", indent=False)
    _para(
        doc,
        f"为全面掌握{plan.year}年“五大行动”“十件实事”专案推进情况，根据各单位报送并经"
        f"责任部门审核的数据，现将截至{cn_date(as_of)}的推进情况通报如下。",
    )

    _para(doc, "一、总体情况", font=HEADING)
    for text in overall_text(f):
        _para(doc, text)
    progress = [
        (p, done, elapsed)
        for p, _r, _j, done, elapsed in f.programme_progress()
        if done is not None
    ]
    if progress:
        _picture(
            doc,
            charts.progress_chart(
                [f"{p.number}. {p.title.removesuffix('专案')[:14]}" for p, _d, _e in progress],
                [float(d * 100) for _p, d, _e in progress],
                [float(e * 100) for _p, _d, e in progress],
                title="图1 各专案完成率与时间进度",
            ),
        )
    _para(doc, "二、各单位推进情况", font=HEADING)
    for text in units_text(f):
        _para(doc, text)
    if f.ranking:
        _picture(
            doc,
            charts.ranking_chart(
                [r.unit.short_name for r in f.ranking],
                [float(r.score or 0) for r in f.ranking],
                title="图2 各单位得分排名",
            ),
        )
    _para(doc, "三、报送情况", font=HEADING)
    for text in reporting_text(f):
        _para(doc, text)
    if f.timeliness:
        _picture(
            doc,
            charts.timeliness_chart(
                [u.short_name for u, _ in f.timeliness],
                [t.on_time for _, t in f.timeliness],
                [t.late for _, t in f.timeliness],
                [t.missing for _, t in f.timeliness],
                title="图3 各单位报送情况",
            ),
        )
    _para(doc, "四、下一步工作要求", font=HEADING)
    for text in requirements_text(f):
        _para(doc, text)
    _para(doc)
    attachments = [
        "各专案指标完成情况",
        "各单位推进情况排名",
        "进度滞后单位及滞后指标",
        "逾期及未报送情况",
    ]
    for i, name in enumerate(attachments, 1):
        _para(doc, ("附件：" if i == 1 else "　　　") + f"{i}. {name}")
    _para(doc)
    issuer = plan.units.filter(kind=Unit.Kind.FEDERATION).first()
    for text in (issuer.name if issuer else "", cn_date(clock.today())):
        _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    _attachments(doc, f, attachments)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _attachment(doc, number: int, name: str) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, f"附件{number}", font=HEADING, indent=False)
    _para(doc, name, font=TITLE, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _attachments(doc, f: Figures, names: list[str]) -> None:
    _attachment(doc, 1, names[0])
    summary = []
    for programme, rows, judged, done, elapsed in f.programme_progress():
        count = [sum(1 for r in judged if r.status == s) for s in JUDGED]
        summary.append(
            [f"{programme.number}. {programme.title}", len(rows), *count, pct(done), pct(elapsed)]
        )
    _table(
        doc,
        "表1 各专案推进情况汇总",
        ["专案", "指标数", "已完成", "正常", "滞后", "严重滞后", "平均完成率", "时间进度"],
        summary,
        [5.0, 1.3, 1.3, 1.2, 1.2, 1.4, 1.9, 1.9],
        left=0,
    )
    numbered = [(p, rows) for p, rows in f.overview.programmes if rows]
    for i, (programme, rows) in enumerate(numbered, 2):
        body = [
            [
                r.indicator.name,
                r.indicator.measure,
                _number(r.target, r.indicator.measure),
                _number(r.achieved, r.indicator.measure),
                pct(r.completion),
                pct(r.elapsed),
                r.status_label if r.tracked else "市总统计",
            ]
            for r in rows
        ]
        _table(
            doc,
            f"表{i} 专案{programme.number}“{programme.title}”",
            ["指标", "计量单位", "目标", "已完成", "完成率", "时间进度", "状态"],
            body,
            [5.0, 1.3, 2.0, 2.0, 1.6, 1.6, 2.1],
            left=0,
        )

    _attachment(doc, 2, names[1])
    body = [
        [
            r.rank,
            r.unit.short_name,
            "—" if r.score is None else r.score,
            r.targets,
            r.behind,
            pct(r.timeliness.completeness),
            pct(r.timeliness.timeliness),
        ]
        for r in f.ranking
    ]
    _table(
        doc,
        "各单位推进情况排名",
        ["名次", "单位", "得分", "任务项数", "落后项数", "报送完整率", "按时报送率"],
        body,
        [1.4, 3.2, 1.6, 1.9, 1.9, 2.4, 2.4],
    )

    _attachment(doc, 3, names[2])
    body = [
        [
            i,
            w.unit.short_name,
            len(w.lagging),
            "\n".join(
                f"专案{ind.programme.number} {ind.name}（完成{pct(d)}，时间进度{pct(e)}）"
                for ind, d, e in w.lagging
            ),
        ]
        for i, w in enumerate(f.warnings, 1)
    ]
    _table(
        doc,
        f"完成率低于时间进度{points(metrics.thresholds()[0])}以上的单位",
        ["序号", "单位", "滞后项数", "滞后指标"],
        body or [["—", "无", 0, "—"]],
        [1.2, 2.6, 1.6, 10.4],
        left=3,
    )

    _attachment(doc, 4, names[3])
    behind = sorted(
        (x for x in f.timeliness if x[1].late or x[1].missing),
        key=lambda x: (-x[1].missing, -x[1].late),
    )
    body = [
        [
            i,
            u.short_name,
            t.expected,
            t.received,
            t.late,
            t.missing,
            pct(t.completeness),
            pct(t.timeliness),
        ]
        for i, (u, t) in enumerate(behind, 1)
    ]
    t = f.total
    body.append(
        [
            "",
            "合计",
            t.expected,
            t.received,
            t.late,
            t.missing,
            pct(t.completeness),
            pct(t.timeliness),
        ]
    )
    _table(
        doc,
        "逾期报送及未报送的单位",
        ["序号", "单位", "应报", "已报", "逾期报送", "未报", "完整率", "及时率"],
        body,
        [1.2, 3.0, 1.5, 1.5, 2.0, 1.5, 2.1, 2.0],
    )
