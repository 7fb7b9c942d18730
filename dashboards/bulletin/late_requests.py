"""The bulletin's list of 补报 approved by its date: the late items that count despite
逾期未报送不予统计 because the reviewing department approved the unit's 补报申请."""

from __future__ import annotations

import datetime as dt

from common import clock
from plans.models import Plan
from reporting.late_selectors import late_requests_approved

SUMMARY = 30  # characters of the unit's reason shown


def _summary(reason: str) -> str:
    text = " ".join(reason.split())
    return text if len(text) <= SUMMARY else text[: SUMMARY - 1] + "…"


def late_requests_text(*, plan: Plan, as_of: dt.date) -> list[str]:
    """One sentence and one line per approved 补报 (unit, item, reason), or nothing when none
    was approved by the end of `as_of` (the bulletin then says nothing of it)."""
    approved = late_requests_approved(
        plan_id=plan.pk, since=None, until=clock.start_of(as_of + dt.timedelta(days=1))
    )
    if not approved:
        return []
    lines = [
        f"截至{clock.chinese_date(as_of)}，经责任部门批准补报、逾期报送数据计入统计的事项"
        f"{len(approved)}项："
    ]
    lines += [
        f"{i}. {r.obligation.unit.short_name}：{r.obligation.title}"
        f"（补报理由：{_summary(r.reason)}）。"
        for i, r in enumerate(approved, 1)
    ]
    return lines
