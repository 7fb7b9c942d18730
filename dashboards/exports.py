"""Every dashboard table as an Excel file: the same figures, numbers kept as numbers.

Each function takes what the matching selector returned and gives the bytes of an .xlsx with a
title, the 数据截至 line, a frozen header and safe cells (see `common.excel`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from common import clock
from common.excel import DATE, INTEGER, NUMBER, PERCENT, Column, Mark, table_xlsx
from dashboards import metrics, selectors
from dashboards.selectors import Matrix, MilestoneState, Overview, RankRow, Timeliness
from orgs.models import Unit
from plans.levels import plan_level
from plans.models import Plan, Programme
from plans.selectors import milestone_rule

NONE = "—"
# Background colours of a status, as on the dashboards.
STATUS_FILLS = {
    metrics.DONE: "D1E7DD",
    metrics.ON_TRACK: "CFE2FF",
    metrics.BEHIND: "FFE5B4",
    metrics.FAR_BEHIND: "F8D7DA",
}
MILESTONE_FILLS = {"done": "D1E7DD", "running": "CFE2FF", "overdue": "F8D7DA"}
SCORE = "0.0"
RATIO = "比例"  # the measure of a target that is a share of 1


def as_of_line(as_of: dt.date) -> str:
    """数据截至 2022年6月30日"""
    return f"数据截至 {cn_date(as_of)}"


def cn_date(day: dt.date) -> str:
    return clock.chinese_date(day)


def _value(value):
    return NONE if value is None else value


def _target(row: selectors.IndicatorRow):
    """A share (比例) as a percentage; other targets as counts, money printed in 万元 in 万元
    (Indicator.display_measure)."""
    if row.target is not None and row.indicator.measure == RATIO:
        return Mark(row.target, number_format="0.0%")
    return _value(row.indicator.shown(row.target))


def _status(status: str, label: str) -> Mark:
    return Mark(label, STATUS_FILLS.get(status))


def _overview_status(row, counted: str) -> Mark | str:
    """The status, and where the figure comes from when the federation counts it itself
    (`counted`: 市总统计, in the issuer's words)."""
    if not row.tracked:
        return counted
    label = f"{row.status_label}（{counted}）" if row.city_counted else row.status_label
    return _status(row.status, label)


def _programme_label(plan: Plan, programme: int | Programme | None) -> str:
    if programme is None:
        return ""
    if not isinstance(programme, Programme):
        programme = Programme.objects.get(plan=plan, number=programme)
    return f"（专案{programme.number}「{programme.title}」）"


def overview_xlsx(overview: Overview) -> bytes:
    level = plan_level(overview.plan)
    rows = [
        [
            f"{programme.number}. {programme.title}",
            f"其中：{row.indicator.name}" if row.indicator.part_of_id else row.indicator.name,
            row.indicator.shown_measure,
            _target(row),
            row.indicator.shown(row.achieved),
            row.indicator.shown(row.pending),
            _value(row.completion),
            row.elapsed,
            _overview_status(row, f"{level.federation}统计"),
            _value(row.indicator.shown(row.projection)),
        ]
        for programme, indicators in overview.programmes
        for row in indicators
    ]
    counts = "，".join(
        f"{metrics.STATUS_LABELS[s]} {overview.count(s)} 项"
        for s in (metrics.DONE, metrics.ON_TRACK, metrics.BEHIND, metrics.FAR_BEHIND)
    )
    margin, far = metrics.thresholds(overview.plan)
    return table_xlsx(
        sheet_title=f"{level.scope}总览",
        title=f"{overview.plan.year}年专案推进情况总览",
        subtitle=as_of_line(overview.as_of),
        columns=[
            Column("专案", 36, align="left"),
            Column("指标", 44, align="left"),
            Column("计量单位", 8),
            Column("目标", 12, NUMBER),
            Column("已完成（已审核）", 14, NUMBER),
            Column("待审核", 10, NUMBER),
            Column("完成率", 10, PERCENT),
            Column("时间进度", 10, PERCENT),
            Column("状态", 10),
            Column("年底预计", 12, NUMBER),
        ],
        rows=rows,
        notes=[
            f"共 {len(rows)} 项指标：{counts}。",
            "完成率 = 已审核累计值 ÷ 目标；时间进度 = 截至日在指标时段中所占比例；"
            f"完成率比时间进度落后超过 {margin:.0%} 为滞后，超过 {far:.0%} 为严重滞后。"
            "待审核的数字单列，不计入完成率；年底预计按目前进度线性推算。",
        ],
    )


RULES_NOTE = (
    "每单位要求：截至当日的结果；绿 达标，橙 未达标，红 逾期未达标；部门按市总工会本级数据判定。"
)


def _rule_cells(cells) -> list:
    row: list = []
    for rc in cells:
        row += (
            ["—", "不适用"] if rc is None else [rc.result, Mark(rc.label, STATUS_FILLS[rc.status])]
        )
    return row


def matrix_xlsx(matrix: Matrix, as_of: dt.date) -> bytes:
    programme = matrix.programme
    columns = [Column("单位", 16, align="left")]
    groups = [("单位", 1)]
    for indicator in matrix.indicators:
        columns += [
            Column("分解任务", 10, NUMBER),
            Column("已完成", 10, NUMBER),
            Column("完成率", 9, PERCENT),
        ]
        groups.append((f"{indicator.name}（{indicator.measure}）", 3))
    for rule in matrix.rules:  # 每单位要求: the unit's numbers and 达标 / 未达标 / 逾期未达标
        columns += [Column("结果", 24, align="left"), Column("判定", 10)]
        groups.append((f"每单位要求：{rule.text}", 2))
    no_rules = [None] * len(matrix.rules)
    rows = []
    for unit, cells in matrix.rows:
        row = [unit.short_name]
        for c in cells:
            row += [_value(c.allocation), _value(c.achieved)]
            row.append(Mark(_value(c.completion), STATUS_FILLS.get(c.status)))
        row += _rule_cells(matrix.rule_cells.get(unit.pk, no_rules))
        rows.append(row)
    for name, rule_cells in matrix.departments:  # judged on the federation's own figures
        rows.append([name] + [None] * (3 * len(matrix.indicators)) + _rule_cells(rule_cells))
    elapsed = ["时间进度"]
    for passed in matrix.elapsed:
        elapsed += [None, None, passed]
    elapsed += [None, None] * len(matrix.rules)
    return table_xlsx(
        sheet_title=f"专案{programme.number}",
        title=f"专案{programme.number}「{programme.title}」各单位完成情况",
        subtitle=as_of_line(as_of),
        columns=columns,
        groups=groups,
        rows=rows,
        footer_rows=[elapsed],
        notes=[
            "完成率 = 已审核累计值 ÷ 分解任务；底色：绿 已完成，蓝 正常，橙 滞后，红 严重滞后。",
            *([RULES_NOTE] if matrix.rules else []),
        ],
        freeze_columns=1,
    )


def ranking_xlsx(
    rows: list[RankRow], plan: Plan, as_of: dt.date, programme: int | Programme | None = None
) -> bytes:
    """Every unit by overall rank; a plan of ranking groups adds each unit's group and its rank
    within it."""
    grouped = bool(plan.ranking_groups)
    body = [
        [
            r.rank,
            r.unit.short_name,
            *([r.group, r.group_rank] if grouped else []),
            _value(r.score),
            r.targets,
            r.behind,
            _value(r.timeliness.completeness),
            _value(r.timeliness.timeliness),
        ]
        for r in rows
    ]
    group_columns = [Column("排名分组", 14, align="left"), Column("组内名次", 10, INTEGER)]
    return table_xlsx(
        sheet_title="单位排名",
        title=f"{plan.year}年各单位专案推进排名{_programme_label(plan, programme)}",
        subtitle=as_of_line(as_of),
        columns=[
            Column("名次", 6, INTEGER),
            Column("单位", 18, align="left"),
            *(group_columns if grouped else []),
            Column("得分", 8, NUMBER, SCORE),
            Column("任务项数", 10, INTEGER),
            Column("落后项数", 10, INTEGER),
            Column("报送完整率", 12, PERCENT),
            Column("按时报送率", 12, PERCENT),
        ],
        rows=body,
        notes=[
            "得分 = 各项分解任务完成率的平均数（每项最高按 100% 计），满分 100。"
            "报送完整率 = 已报 ÷ 应报，按时报送率 = 按时 ÷ 应报，不计入得分。"
            + ("名次为全部单位中的名次，组内名次为所属排名分组内的名次。" if grouped else "")
        ],
    )


def timeliness_xlsx(
    rows: list[tuple[Unit, Timeliness]],
    plan: Plan,
    as_of: dt.date,
    programme: int | Programme | None = None,
) -> bytes:
    """`rows`: (unit, Timeliness) pairs, e.g. from `timeliness_by_unit` in unit order."""

    def figures(t: Timeliness) -> list:
        return [
            t.expected,
            t.received,
            t.on_time,
            t.late,
            t.missing,
            _value(t.completeness),
            _value(t.timeliness),
        ]

    total = Timeliness(
        sum(t.expected for _, t in rows),
        sum(t.received for _, t in rows),
        sum(t.on_time for _, t in rows),
    )
    return table_xlsx(
        sheet_title="报送及时性",
        title=f"{plan.year}年各单位报送情况{_programme_label(plan, programme)}",
        subtitle=as_of_line(as_of),
        columns=[
            Column("序号", 6, INTEGER),
            Column("单位", 18, align="left"),
            Column("应报", 8, INTEGER),
            Column("已报", 8, INTEGER),
            Column("按时", 8, INTEGER),
            Column("逾期报送", 10, INTEGER),
            Column("未报", 8, INTEGER),
            Column("完整率", 10, PERCENT),
            Column("及时率", 10, PERCENT),
        ],
        rows=[[i, unit.short_name, *figures(t)] for i, (unit, t) in enumerate(rows, 1)],
        footer_rows=[[None, "合计", *figures(total)]],
        notes=[
            "应报 = 截止日不晚于数据截至日的报送任务；已报 = 单位负责人已确认报送；"
            "完整率 = 已报 ÷ 应报，及时率 = 按时 ÷ 应报。"
        ],
    )


def warnings_xlsx(
    warnings: list[selectors.Warning], plan: Plan, as_of: dt.date, margin: Decimal | None = None
) -> bytes:
    margin = metrics.thresholds(plan)[0] if margin is None else margin
    grouped = bool(plan.ranking_groups)
    rows = [
        [
            i,
            w.unit.short_name,
            *([w.group] if grouped else []),
            len(w.lagging),
            f"专案{indicator.programme.number}",
            indicator.name,
            done,
            passed,
            passed - done,
        ]
        for i, w in enumerate(warnings, 1)
        for indicator, done, passed in w.lagging
    ]
    return table_xlsx(
        sheet_title="预警",
        title=f"{plan.year}年进度滞后单位预警",
        subtitle=as_of_line(as_of),
        columns=[
            Column("序号", 6, INTEGER),
            Column("单位", 16, align="left"),
            *([Column("排名分组", 14, align="left")] if grouped else []),
            Column("滞后项数", 9, INTEGER),
            Column("专案", 8),
            Column("指标", 40, align="left"),
            Column("完成率", 10, PERCENT),
            Column("时间进度", 10, PERCENT),
            Column("落后", 10, PERCENT),
        ],
        rows=rows,
        notes=[
            f"列出完成率低于时间进度 {margin:.0%} 以上的分解任务，共 {len(warnings)} 个单位、"
            f"{len(rows)} 项。落后 = 时间进度 − 完成率。"
        ],
    )


def milestones_xlsx(states: list[MilestoneState], plan: Plan, as_of: dt.date) -> bytes:
    rows = [
        [
            s.milestone.programme.number,
            s.milestone.title,
            milestone_rule(s.milestone).describe(),
            _value(s.milestone.start_date),
            _value(s.milestone.end_date),
            Mark(s.state_label, MILESTONE_FILLS.get(s.state)),
            s.approved if s.expected else NONE,
            s.expected if s.expected else NONE,
            s.milestone.deliverable,
        ]
        for s in states
    ]
    return table_xlsx(
        sheet_title="时间节点",
        title=f"{plan.year}年专案时间节点完成情况",
        subtitle=as_of_line(as_of),
        columns=[
            Column("专案", 6, INTEGER),
            Column("事项", 40, align="left"),
            Column("时间要求", 24, align="left"),
            Column("开始", 12, DATE),
            Column("截止", 12, DATE),
            Column("状态", 10),
            Column("已审核", 8, INTEGER),
            Column("应报", 8, INTEGER),
            Column("报送材料", 30, align="left"),
        ],
        rows=rows,
        notes=[
            "单位报送材料的事项按已审核份数判断是否完成；"
            f"{plan_level(plan).federation}自办事项只按时间显示。"
        ],
    )
