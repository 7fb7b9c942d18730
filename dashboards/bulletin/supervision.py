"""The bulletin's 督办情况: the plan's 督办单 as at the bulletin's date (supervision), counted
and the overdue ones named."""

from __future__ import annotations

import datetime as dt

from plans.models import Plan
from supervision.notice_selectors import notice_summary


def supervision_text(*, plan: Plan, as_of: dt.date) -> list[str]:
    """The section's paragraphs: how many notices were issued, signed, replied to and closed
    by `as_of`, how many were 逾期 then, and which (unit, reference, why)."""
    s = notice_summary(plan=plan, as_of=as_of)
    if not s.issued:
        return ["截至统计日，未下发督办单。"]
    lines = [
        f"截至统计日，共下发督办单 {s.issued} 份，已签收 {s.signed} 份，已回复办理情况 "
        f"{s.replied} 份，已办结 {s.closed} 份，逾期 {len(s.overdue)} 份。"
    ]
    if s.overdue:
        named = "；".join(
            f"{n.unit.short_name}（{n.reference}「{n.subject}」，{n.overdue}）" for n in s.overdue
        )
        lines.append(f"逾期的督办单：{named}。")
    return lines
