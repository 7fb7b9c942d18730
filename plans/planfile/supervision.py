"""Reading a plan file's `supervision` (督办): part of the plan file's reader (spec).

`supervision: {sign_days: 2}`: the working days after a 督办单 is issued by which the unit's
head must sign it (签收期限, counted on the working-day calendar by supervision.notices). Kept on
`Plan.sign_days`; left out, the system's default of 2.
"""

from __future__ import annotations

from typing import Any

DEFAULT_SIGN_DAYS = 2
MIN_SIGN_DAYS, MAX_SIGN_DAYS = 1, 30


class SupervisionReading:
    """Mixed into the plan file's reader, whose `fail` and `_mapping` it uses."""

    def sign_days(self, value: Any) -> int:
        if value is None:
            return DEFAULT_SIGN_DAYS
        given = self._mapping(value, "supervision", {"sign_days"}, set())
        days = given.get("sign_days", DEFAULT_SIGN_DAYS)
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not MIN_SIGN_DAYS <= days <= MAX_SIGN_DAYS
        ):
            self.fail(
                "supervision.sign_days",
                f"应为 {MIN_SIGN_DAYS}–{MAX_SIGN_DAYS} 之间的整数"
                f"（督办单下发后几个工作日内签收）：{days}",
            )
            return DEFAULT_SIGN_DAYS
        return days
