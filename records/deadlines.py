"""When a form's rows are due: fixed dates, after each period, or some days after a date the
row itself holds (docs/plan-file.md, *Forms*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

DEADLINE_KINDS = ("none", "dates", "recurring", "relative")
RECURRENCES = {"monthly": 1, "quarterly": 3, "half_year": 6}


@dataclass
class Deadline:
    kind: str = "none"
    dates: list[dt.date] = field(default_factory=list)
    every: str = ""
    days_after: int = 0
    by: str = ""  # the field whose date decides which deadline applies
    days: int = 0

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "dates": [d.isoformat() for d in self.dates],
            "every": self.every,
            "days_after": self.days_after,
            "by": self.by,
            "days": self.days,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Deadline:
        return cls(
            kind=data.get("kind", "none"),
            dates=[dt.date.fromisoformat(d) for d in data.get("dates", [])],
            every=data.get("every", ""),
            days_after=data.get("days_after", 0),
            by=data.get("by", ""),
            days=data.get("days", 0),
        )

    def describe(self) -> str:
        if self.kind == "dates":
            return "、".join(f"{d.month}月{d.day}日" for d in self.dates) + "前报送"
        if self.kind == "recurring":
            period = {"monthly": "每月", "quarterly": "每季度", "half_year": "每半年"}[self.every]
            return f"{period}结束后 {self.days_after} 日内报送"
        if self.kind == "relative":
            return f"{self.by_label}后 {self.days} 日内报送"
        return "随时报送"

    by_label: str = ""

    def rule_date(self, reference: dt.date | None, entered_on: dt.date) -> dt.date | None:
        """The deadline a row falls under, before moving it off rest days.

        `reference` is the row's own date (`by`); rows without one fall under the first
        deadline still open on the day they are entered.
        """
        day = reference or entered_on
        if self.kind == "dates":
            upcoming = [d for d in self.dates if d >= day]
            return upcoming[0] if upcoming else (self.dates[-1] if self.dates else None)
        if self.kind == "recurring":
            months = RECURRENCES[self.every]
            last_month = ((day.month - 1) // months + 1) * months
            period_end = dt.date(day.year, last_month, 1)
            period_end = _month_end(period_end)
            return period_end + dt.timedelta(days=self.days_after)
        if self.kind == "relative" and reference is not None:
            return reference + dt.timedelta(days=self.days)
        return None


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
