"""评分结果 as xlsx: every evaluated unit's totals and its rank within its group."""

from __future__ import annotations

import datetime as dt

from common import clock
from common.excel import Column, table_xlsx
from evaluations.selectors import Results
from plans.models import Plan


def results_xlsx(*, plan: Plan, results: Results, as_of: dt.date) -> bytes:
    columns = [
        Column("排名分组", 14),
        Column("组内排名", 10),
        Column("单位", 18),
        # The state is today's, whatever the date of the totals: named so for a past date.
        Column("状态" if as_of >= clock.today() else "当前状态", 14),
        Column("自评得分", 12),
        Column("部门评分", 12),
        Column("最终得分", 12),
    ]
    rows = [
        [
            name or "全部",
            row.rank if row.rank is not None else "",
            row.unit.short_name,
            row.state,
            row.self_total if row.self_total is not None else "",
            row.total if row.total is not None else "",
            row.final if row.final is not None else "",
        ]
        for name, members in results.groups
        for row in members
    ]
    return table_xlsx(
        sheet_title="评分结果",
        title=f"{results.rubric.title}评分结果",
        subtitle=f"{plan.title} · 截至 {as_of.isoformat()} · 满分 {results.maximum.normalize():f}",
        columns=columns,
        rows=rows,
        notes=["最终得分为截至该日已审核通过且未撤销的评分；组内按最终得分排名，同分同名次。"],
    )
