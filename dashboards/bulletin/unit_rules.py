"""The bulletin's list of units breaking the plan's rules per unit (每单位要求) as of its date
(records.selectors.rules): not met after the rule's date, or over its most; one line each,
nothing when none does."""

from __future__ import annotations

import datetime as dt

from common import clock
from plans.models import Plan
from records.selectors.rules import unit_rules_broken


def unit_rules_text(*, plan: Plan, as_of: dt.date) -> list[str]:
    broken = unit_rules_broken(plan=plan, as_of=as_of, overdue_only=True)
    if not broken:
        return []
    lines = [f"截至{clock.chinese_date(as_of)}，逾期未达到方案逐单位要求的单位{len(broken)}个："]
    for i, (unit, judgements) in enumerate(broken, 1):
        items = "；".join(
            f"{'' if j.name == unit.short_name else j.name + '：'}{j.text}（{j.result}）"
            for j in judgements
        )
        lines.append(f"{i}. {unit.short_name}：{items}。")
    return lines
