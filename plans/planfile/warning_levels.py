"""Reading a plan file's `warnings` (黄牌 / 红牌): part of the plan file's reader (spec).

`warnings: {due_soon_workdays: 3, yellow_margin: 0.10, red_margin: 0.30}`: a 黄牌 for an item
due within that many working days with nothing sent, and for progress trailing the time
elapsed by more than `yellow_margin`; a 红牌 when overdue, or trailing by more than
`red_margin` (reporting.warning_levels, dashboards.metrics). Kept as given on
`Plan.warning_levels`; a key left out keeps the system's default.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WARNING_KEYS = {"due_soon_workdays", "yellow_margin", "red_margin"}
MAX_DUE_SOON_WORKDAYS = 30


class WarningLevelReading:
    """Mixed into the plan file's reader, whose `fail`, `_mapping` and `_number` it uses."""

    def warning_levels(self, value: Any) -> dict:
        if value is None:
            return {}
        given = self._mapping(value, "warnings", WARNING_KEYS, set())
        result: dict = {}
        if "due_soon_workdays" in given:
            days = given["due_soon_workdays"]
            if (
                isinstance(days, bool)
                or not isinstance(days, int)
                or not 0 <= days <= MAX_DUE_SOON_WORKDAYS
            ):
                self.fail(
                    "warnings.due_soon_workdays",
                    f"应为 0–{MAX_DUE_SOON_WORKDAYS} 之间的整数（到期前几个工作日亮黄牌）",
                )
            else:
                result["due_soon_workdays"] = days
        margins = {k: given[k] for k in ("yellow_margin", "red_margin") if k in given}
        if len(margins) == 1:
            missing = ({"yellow_margin", "red_margin"} - set(margins)).pop()
            self.fail(f"warnings.{missing}", "yellow_margin 与 red_margin 应同时给出")
            return result
        numbers = {k: self._margin(v, f"warnings.{k}") for k, v in margins.items()}
        if margins and None not in numbers.values():
            yellow, red = numbers["yellow_margin"], numbers["red_margin"]
            if yellow >= red:
                self.fail(
                    "warnings.red_margin",
                    f"红牌幅度（{red}）应大于黄牌幅度（{yellow}）",
                )
            else:
                result |= {"yellow_margin": float(yellow), "red_margin": float(red)}
        return result

    def _margin(self, value: Any, loc: str) -> Decimal | None:
        """A share of 1 by which completion may trail the time elapsed: 0.15 for 15 个百分点."""
        number = self._number(value, loc)
        if number is not None and number > 1:
            self.fail(loc, f"应为 0–1 之间的小数，如 0.15 表示落后 15 个百分点：{value}")
            return None
        return number
