"""The bulletin's sentences, each written from the figures (`figures.Figures`).

A reviewer may edit the wording in Word but never has to look a number up.
"""

from __future__ import annotations

import heapq
from decimal import Decimal
from itertools import islice

from dashboards import metrics
from dashboards.bulletin.figures import JUDGED, Figures, pct, points
from dashboards.exports import cn_date
from plans.groups import quoted_names
from plans.levels import plan_level

NAMED = 5  # how many units a sentence names at most
GROUP_NAMED = 3  # how many first and last units of each ranking group are named


def _names(items: list[tuple[str, str]]) -> str:
    """[(汝州市, 80.5分)] → 汝州市（80.5分）、…"""
    return "、".join(f"{name}（{note}）" for name, note in items[:NAMED])


def overall_text(f: Figures) -> list[str]:
    rows, judged = f.overview.rows, f.judged_rows
    count = {s: sum(1 for r in judged if r.status == s) for s in JUDGED}
    others = len(rows) - len(judged)
    first = (
        # 时间进度 runs from the start of reporting, not 1 January: say so, or a reader takes it
        # for the share of the year (which the 时间过半 sentence below is about).
        f"截至{cn_date(f.as_of)}，时间进度为{pct(f.elapsed)}"
        f"（自{cn_date(metrics.window(f.plan)[0])}起计）。"
        f"{f.plan.year}年{quoted_names(f.plan)}共{len(f.overview.programmes)}个专案、"
        f"{len(rows)}项量化指标，其中{len(judged)}项纳入进度评价：已完成{count[metrics.DONE]}项，"
        f"进度正常{count[metrics.ON_TRACK]}项，滞后{count[metrics.BEHIND]}项，"
        f"严重滞后{count[metrics.FAR_BEHIND]}项"
        + (
            f"；另有{others}项由{plan_level(f.plan).federation_full}本级统计或未设具体目标，"
            "不作评价。"
            if others
            else "。"
        )
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
        # 时间过半 is the calendar year's half, whatever day reporting began.
        if metrics.year_half_passed(f.plan.year, f.as_of):
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
    scored = list(islice((r for r in f.ranking if r.score), NAMED))
    if not scored:
        return ["截至目前，各单位尚无经审核的进度数据。"]
    if f.ranking_groups:
        texts = _groups_text(f)
    else:
        texts = [
            f"按各单位分解任务平均完成率（单项最高按100%计，满分100分）排名，"
            f"{len(f.ranking)}个单位中，"
            f"排名靠前的是：{_names([(r.unit.short_name, f'{r.score}分') for r in scored])}。"
        ]
        if len(f.ranking) > NAMED:
            tail = f.ranking[-NAMED:]
            texts.append(
                "排名靠后的是："
                + _names([(r.unit.short_name, f"{r.score or 0}分") for r in tail])
                + "。"
            )
    margin = points(f.margins[0])
    if f.warnings:
        named = [(w.unit.short_name, f"{len(w.lagging)}项") for w in f.warnings[:NAMED]]
        texts.append(
            f"有{len(f.warnings)}个单位至少一项分解任务完成率低于时间进度{margin}以上，"
            f"滞后项较多的是：{_names(named)}，具体见附件3。"
        )
    else:
        texts.append(f"各单位分解任务完成率均未低于时间进度{margin}以上。")
    return texts


def _groups_text(f: Figures) -> list[str]:
    """Each ranking group's first and last units, ranked within the group: a county-level
    city of targets of 100 is not set against an enterprise of targets of 3."""
    groups = [g for g in f.ranking_groups if g.rows]
    texts = [
        "按各单位分解任务平均完成率（单项最高按100%计，满分100分），在"
        f"{'、'.join(g.name for g in groups)}{len(groups)}个排名分组内分别排名，具体见附件2。"
    ]
    for g in groups:
        n = min(GROUP_NAMED, len(g.rows) // 2)  # as many first as last, never the same unit
        top = [(r.unit.short_name, f"{r.score}分") for r in g.rows[: max(n, 1)] if r.score]
        if not top:
            texts.append(f"{g.name}{len(g.rows)}个单位尚无经审核的进度数据。")
        elif not n:
            texts.append(f"{g.name}{len(g.rows)}个单位：{_names(top)}。")
        else:
            tail = [(r.unit.short_name, f"{r.score or 0}分") for r in g.rows[-n:]]
            texts.append(
                f"{g.name}{len(g.rows)}个单位中，排名靠前的是：{_names(top)}；"
                f"排名靠后的是：{_names(tail)}。"
            )
    return texts


def reporting_text(f: Figures) -> list[str]:
    t = f.total
    texts = [
        f"截至{cn_date(f.as_of)}，各单位应报进度及材料{t.expected}份，已报{t.received}份，"
        f"报送完整率{pct(t.completeness)}；其中按时报送{t.on_time}份，逾期报送{t.late}份，"
        f"未报送{t.missing}份，按时报送率{pct(t.timeliness)}。"
    ]
    # Only the first few are named: `nsmallest` keeps sorted()'s order for them, ties included.
    late = heapq.nsmallest(NAMED, (x for x in f.reporting if x[1].late), key=lambda x: -x[1].late)
    missing = heapq.nsmallest(
        NAMED, (x for x in f.reporting if x[1].missing), key=lambda x: -x[1].missing
    )
    if late:
        texts.append(
            f"逾期报送较多的单位：{_names([(u.short_name, f'{t.late}份') for u, t in late])}。"
        )
    if missing:
        named = [(u.short_name, f"{t.missing}份") for u, t in missing]
        texts.append(f"尚未报送较多的单位：{_names(named)}，具体见附件4。")
    states = [s.state for s in f.milestones]
    if states:  # a plan file may set no dated step: then nothing to say of them
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
