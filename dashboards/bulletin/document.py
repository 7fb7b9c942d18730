"""The bulletin as a Word file: the body with its three charts, then four attachments.

The text follows the usual layout of a federation's 通报 (GB/T 9704 fonts and margins): title,
数据截至 line, addressee, 一、总体情况 (with the programme chart), 二、各单位推进情况 (with the
best and worst units' scores), 三、报送情况 (with the units most behind in reporting),
四、市总工作节点 (the federation's own steps overdue: dashboards.federation_steps),
五、督办情况 (the 督办单 counted, the overdue named: dashboards.bulletin.supervision),
六、下一步工作要求, signature, then the tables as attachments. The charts show what a reader
can read on a page, at most `CHART_UNITS` units at each end; the attachments list every unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from common import clock
from dashboards import charts, selectors
from dashboards.bulletin.figures import JUDGED, Figures, bulletin_figures, pct, points
from dashboards.bulletin.heading import bulletin_addressees, bulletin_signature, bulletin_title
from dashboards.bulletin.late_requests import late_requests_text
from dashboards.bulletin.supervision import supervision_text
from dashboards.bulletin.tables import table
from dashboards.bulletin.text import overall_text, reporting_text, requirements_text, units_text
from dashboards.bulletin.unit_rules import unit_rules_text
from dashboards.bulletin.word import (
    CENTER,
    HEADING,
    RIGHT,
    SUBHEADING,
    TITLE,
    Document,
    new_document,
    page_heading,
    para,
    picture,
    save,
)
from dashboards.exports import RATIO, cn_date
from dashboards.federation_steps import bulletin_steps_text
from orgs.models import Unit
from plans.groups import quoted_names
from plans.levels import plan_level
from plans.models import Plan
from plans.selectors import format_number

CHART_UNITS = 10  # a chart names at most this many units at each end
ATTACHMENTS = [
    "各专案指标完成情况",
    "各单位推进情况排名",
    "进度滞后单位及滞后指标",
    "逾期及未报送情况",
]


def best_and_worst(
    ranking: list[selectors.RankRow], n: int = CHART_UNITS
) -> tuple[list[selectors.RankRow], int | None]:
    """Every row when they fit in 2n, else the first n and the last n and where they meet."""
    if len(ranking) <= 2 * n:
        return ranking, None
    return ranking[:n] + ranking[-n:], n


def reporting_behind(
    timeliness: list[tuple[Unit, selectors.Timeliness]],
) -> list[tuple[Unit, selectors.Timeliness]]:
    """Units with reports missing or late, most missing first, then most late."""
    return sorted(
        (x for x in timeliness if x[1].late or x[1].missing),
        key=lambda x: (-x[1].missing, -x[1].late),
    )


def ranking_picture(ranking: list[selectors.RankRow], title: str, *, grouped: bool) -> bytes:
    """The scores of `ranking` (the whole list, or one ranking group's with the ranks within
    it), at most the best and the worst `CHART_UNITS`."""
    rows, split = best_and_worst(ranking)
    if split:
        title += f"（前{split}名和后{split}名，共{len(ranking)}个单位）"
    return charts.ranking_chart(
        [f"{r.group_rank if grouped else r.rank}. {r.unit.short_name}" for r in rows],
        [float(r.score or 0) for r in rows],
        title=title,
        split=split,
    )


def ranking_pictures(f: Figures) -> list[bytes]:
    """图2: one chart of every unit, or one per ranking group (图2-1, 图2-2…) with units."""
    if not f.ranking_groups:
        return [ranking_picture(f.ranking, "图2 各单位得分排名", grouped=False)]
    groups = [g for g in f.ranking_groups if g.rows]
    return [
        ranking_picture(g.rows, f"图2-{i} {g.name}得分排名", grouped=True)
        for i, g in enumerate(groups, 1)
    ]


def timeliness_picture(behind: list[tuple[Unit, selectors.Timeliness]]) -> bytes:
    shown = behind[:CHART_UNITS]
    title = "图3 未报送及逾期报送较多的单位"
    if len(behind) > len(shown):
        title += f"（前{len(shown)}个，有未报送或逾期的共{len(behind)}个）"
    return charts.timeliness_chart(
        [u.short_name for u, _ in shown],
        [t.on_time for _, t in shown],
        [t.late for _, t in shown],
        [t.missing for _, t in shown],
        title=title,
    )


def bulletin_docx(*, plan: Plan, as_of: dt.date) -> bytes:
    f = bulletin_figures(plan=plan, as_of=as_of)
    behind = reporting_behind(f.reporting)
    doc = new_document()
    para(
        doc,
        bulletin_title(plan),
        font=TITLE,
        size=22,
        bold=True,
        align=CENTER,
        indent=False,
    )
    para(doc, f"（数据截至{cn_date(as_of)}）", font=SUBHEADING, size=16, align=CENTER, indent=False)
    para(doc, indent=False)
    para(doc, bulletin_addressees(plan) + "：", indent=False)
    para(
        doc,
        f"为全面掌握{plan.year}年{quoted_names(plan)}专案推进情况，根据各单位报送并经"
        f"责任部门审核的数据，现将截至{cn_date(as_of)}的推进情况通报如下。",
    )

    para(doc, "一、总体情况", font=HEADING)
    for text in overall_text(f):
        para(doc, text)
    progress = [
        (p, done, elapsed)
        for p, _r, _j, done, elapsed in f.programme_progress()
        if done is not None
    ]
    if progress:
        picture(
            doc,
            charts.progress_chart(
                [f"{p.number}. {p.title.removesuffix('专案')[:14]}" for p, _d, _e in progress],
                [float(d * 100) for _p, d, _e in progress],
                [float(e * 100) for _p, _d, e in progress],
                title="图1 各专案完成率与时间进度",
            ),
        )
    para(doc, "二、各单位推进情况", font=HEADING)
    for text in units_text(f):
        para(doc, text)
    for text in unit_rules_text(plan=plan, as_of=as_of):  # rules per unit not met
        para(doc, text)
    if f.ranking:
        for png in ranking_pictures(f):
            picture(doc, png)
    para(doc, "三、报送情况", font=HEADING)
    for text in reporting_text(f):
        para(doc, text)
    for text in late_requests_text(plan=plan, as_of=as_of):  # approved 补报申请
        para(doc, text)
    if behind:
        picture(doc, timeliness_picture(behind))
    para(doc, f"四、{plan_level(plan).federation}工作节点", font=HEADING)
    for text in bulletin_steps_text(f):
        para(doc, text)
    para(doc, "五、督办情况", font=HEADING)
    for text in supervision_text(plan=plan, as_of=as_of):
        para(doc, text)
    para(doc, "六、下一步工作要求", font=HEADING)
    for text in requirements_text(f):
        para(doc, text)
    para(doc)
    for i, name in enumerate(ATTACHMENTS, 1):
        para(doc, ("附件：" if i == 1 else "　　　") + f"{i}. {name}")
    para(doc)
    for text in (bulletin_signature(plan), cn_date(clock.today())):
        para(doc, text, align=RIGHT, indent=False)
    _attachments(doc, f, behind)
    return save(doc)


def _number(value: Decimal | None, measure: str = "") -> str:
    if value is None:
        return "—"
    if measure == RATIO:
        return pct(value)
    return format_number(value if value == int(value) else value.quantize(Decimal("0.01")))


class _Reports(dict):
    """A unit's late and missing reports and its 完成率 and 及时率 (as text), by the counts
    they are worked out from (expected, received, on time): a thousand units repeat a few
    counts, and each is a property, each rate a division."""

    def of(self, t: selectors.Timeliness) -> tuple[int, int, str, str]:
        key = (t.expected, t.received, t.on_time)
        figures = self.get(key)
        if figures is None:
            figures = self[key] = (t.late, t.missing, pct(t.completeness), pct(t.timeliness))
        return figures


def _lagging(warnings: list[selectors.Warning]) -> list[str]:
    """Each unit's lagging targets, a line each: 专案N 指标（完成x%，时间进度y%）."""
    # The words before and after the completion, by the identity of the indicator's object:
    # the units lag on the same few indicators, whose objects (and elapsed shares) they share,
    # and a model instance hashes (by its key) in Python. Each completion's `pct`, by its text:
    # a thousand units repeat the same shares, and `str` of a Decimal (exact) is quicker to
    # make than the hash of a Decimal just computed.
    percent: dict[str, str] = {}
    words: dict[int, tuple[str, str, Decimal]] = {}
    texts = []
    for w in warnings:
        lines = []
        for indicator, done, elapsed in w.lagging:
            known = words.get(id(indicator))
            if known is None or known[2] is not elapsed:
                known = words[id(indicator)] = (
                    f"专案{indicator.programme.number} {indicator.name}（完成",
                    f"，时间进度{pct(elapsed)}）",
                    elapsed,
                )
            done_text = percent.get(key := str(done))
            if done_text is None:
                done_text = percent[key] = pct(done)
            lines.append(known[0] + done_text + known[1])
        texts.append("\n".join(lines))
    return texts


def _attachments(
    doc: Document, f: Figures, behind: list[tuple[Unit, selectors.Timeliness]]
) -> None:
    reports = _Reports()
    counted = f"{plan_level(f.plan).federation}统计"  # 市总统计: figures the issuer counts
    page_heading(doc, 1, ATTACHMENTS[0])
    summary = []
    for programme, rows, judged, done, elapsed in f.programme_progress():
        count = [sum(1 for r in judged if r.status == s) for s in JUDGED]
        summary.append(
            [f"{programme.number}. {programme.title}", len(rows), *count, pct(done), pct(elapsed)]
        )
    table(
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
                # Money the notice prints in 万元 is shown so (Indicator.display_measure).
                f"其中：{r.indicator.name}" if r.indicator.part_of_id else r.indicator.name,
                r.indicator.shown_measure,
                _number(r.indicator.shown(r.target), r.indicator.measure),
                _number(r.indicator.shown(r.achieved), r.indicator.measure),
                pct(r.completion),
                pct(r.elapsed),
                (f"{r.status_label}（{counted}）" if r.city_counted else r.status_label)
                if r.tracked
                else counted,
            ]
            for r in rows
        ]
        table(
            doc,
            f"表{i} 专案{programme.number}“{programme.title}”",
            ["指标", "计量单位", "目标", "已完成", "完成率", "时间进度", "状态"],
            body,
            [5.0, 1.3, 2.0, 2.0, 1.6, 1.6, 2.1],
            left=0,
        )

    page_heading(doc, 2, ATTACHMENTS[1])
    # One table of every unit, or one per ranking group under its name, ranked within it.
    grouped_tables = [(g.name, g.rows, True) for g in f.ranking_groups if g.rows]
    for caption, rows, grouped in grouped_tables or [("各单位推进情况排名", f.ranking, False)]:
        body = [
            [
                r.group_rank if grouped else r.rank,
                r.unit.short_name,
                "—" if r.score is None else r.score,
                r.targets,
                r.behind,
                *reports.of(r.timeliness)[2:],
            ]
            for r in rows
        ]
        table(
            doc,
            caption,
            ["名次", "单位", "得分", "任务项数", "落后项数", "报送完整率", "按时报送率"],
            body,
            [1.4, 3.2, 1.6, 1.9, 1.9, 2.4, 2.4],
        )

    page_heading(doc, 3, ATTACHMENTS[2])
    body = [
        [i, w.unit.short_name, len(w.lagging), lines]
        for i, (w, lines) in enumerate(zip(f.warnings, _lagging(f.warnings), strict=True), 1)
    ]
    table(
        doc,
        f"完成率低于时间进度{points(f.margins[0])}以上的单位",
        ["序号", "单位", "滞后项数", "滞后指标"],
        body or [["—", "无", 0, "—"]],
        [1.2, 2.6, 1.6, 10.4],
        left=3,
    )

    page_heading(doc, 4, ATTACHMENTS[3])
    body = [
        [
            i,
            u.short_name,
            t.expected,
            t.received,
            *reports.of(t),  # late, missing, the two rates
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
    table(
        doc,
        "逾期报送及未报送的单位",
        ["序号", "单位", "应报", "已报", "逾期报送", "未报", "完整率", "及时率"],
        body,
        [1.2, 3.0, 1.5, 1.5, 2.0, 1.5, 2.1, 2.0],
    )
