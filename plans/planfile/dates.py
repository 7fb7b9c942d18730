"""Date points and rules as written in a plan file (docs/plan-file.md, *Dates*)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(early|mid|late))?$")
_PART_START = {None: 1, "early": 1, "mid": 11, "late": 21}
RECURRENCES = ("monthly", "quarterly", "half_year")
RELATIVE_EVENTS = {"activity_end": "单项活动结束"}
# 适时: a step the notice gives no date. Kept as a deadline without a day, which the responsible
# department sets on 本部门工作节点 (supervision.StepSchedule); only the federation acts on one.
TIMELY = "timely"


class DateRuleError(ValueError):
    pass


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def parse_point(value: object, *, as_end: bool) -> dt.date:
    """A day, a month, a part of a month or a year; its first or last day depending on `as_end`."""
    if isinstance(value, dt.datetime):
        raise DateRuleError(f"「{value}」应为日期，不要写时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1900 < value < 2200:
        return dt.date(value, 12, 31) if as_end else dt.date(value, 1, 1)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return parse_point(int(text), as_end=as_end)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _MONTH.match(text)
    if not match:
        raise DateRuleError(
            f"无法识别的日期「{value}」（可写 2022-04-30、2022-04、2022-04-early/mid/late 或 2022）"
        )
    year, month, part = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12:
        raise DateRuleError(f"月份不正确：「{value}」")
    if not as_end:
        return dt.date(year, month, _PART_START[part])
    end_day = {"early": 10, "mid": 20}.get(part or "", _month_end(year, month))
    return dt.date(year, month, end_day)


@dataclass(frozen=True)
class DateRule:
    kind: str  # deadline | window | recurring | relative | dates
    start: dt.date | None = None
    end: dt.date | None = None
    dates: tuple[dt.date, ...] = field(default_factory=tuple)
    recurrence: str = ""
    relative_event: str = ""
    relative_days: int | None = None

    def describe(self) -> str:
        """The rule in the notice's own words, for display."""
        if self.is_timely:
            return "适时"
        if self.kind == "deadline":
            return f"{_cn(self.end)}前"
        if self.kind == "window":
            return f"{_cn(self.start)}至{_cn(self.end)}"
        if self.kind == "recurring":
            every = {"monthly": "每月", "quarterly": "每季度", "half_year": "每半年"}[
                self.recurrence
            ]
            return f"{_cn(self.start)}至{_cn(self.end)}，{every}"
        if self.kind == "relative":
            return f"{RELATIVE_EVENTS[self.relative_event]}后{self.relative_days}日内"
        return "、".join(f"{_cn(d)}前" for d in self.dates)

    @property
    def is_timely(self) -> bool:
        """适时 (`when: timely`): no date yet."""
        return self.kind == "deadline" and self.end is None

    def occurrences(self) -> list[dt.date]:
        """Each due date the rule produces (recurring rules: the end of each period)."""
        if self.kind in ("deadline", "window"):
            return [self.end] if self.end else []
        if self.kind == "dates":
            return list(self.dates)
        if self.kind == "recurring":
            return _period_ends(self.start, self.end, self.recurrence)
        return []


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _period_ends(start: dt.date, end: dt.date, recurrence: str) -> list[dt.date]:
    """Ends of the calendar periods (months, quarters, halves) that overlap [start, end]."""
    step = {"monthly": 1, "quarterly": 3, "half_year": 6}[recurrence]
    ends = []
    for last_month in range(step, 13, step):
        period_start = dt.date(start.year, last_month - step + 1, 1)
        period_end = dt.date(start.year, last_month, _month_end(start.year, last_month))
        if period_end >= start and period_start <= end:
            ends.append(period_end)
    return ends


def parse_rule(when: object) -> DateRule:
    if when == TIMELY:
        return DateRule(kind="deadline")
    if not isinstance(when, dict) or not when:
        raise DateRuleError(
            "时间规则应为 {due: …}、{start: …, end: …}、{recurring: …}、"
            "{relative: …, days: …}、{dates: [...]} 或 timely（适时）"
        )
    keys = set(when)
    if keys == {"due"}:
        return DateRule(kind="deadline", end=parse_point(when["due"], as_end=True))
    if keys == {"start", "end"}:
        start = parse_point(when["start"], as_end=False)
        end = parse_point(when["end"], as_end=True)
        if end < start:
            raise DateRuleError(f"结束日期 {end} 早于开始日期 {start}")
        return DateRule(kind="window", start=start, end=end)
    if keys == {"recurring", "start", "end"}:
        if when["recurring"] not in RECURRENCES:
            raise DateRuleError(f"recurring 只能是 {', '.join(RECURRENCES)}")
        start = parse_point(when["start"], as_end=False)
        end = parse_point(when["end"], as_end=True)
        if end < start or start.year != end.year:
            raise DateRuleError("周期规则的开始和结束应在同一年内且结束不早于开始")
        return DateRule(kind="recurring", start=start, end=end, recurrence=when["recurring"])
    if keys == {"relative", "days"}:
        if when["relative"] not in RELATIVE_EVENTS:
            raise DateRuleError(f"relative 只能是 {', '.join(RELATIVE_EVENTS)}")
        days = when["days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise DateRuleError("days 应为非负整数")
        return DateRule(kind="relative", relative_event=when["relative"], relative_days=days)
    if keys == {"dates"}:
        if not isinstance(when["dates"], list) or not when["dates"]:
            raise DateRuleError("dates 应为日期列表")
        days = tuple(sorted(parse_point(d, as_end=True) for d in when["dates"]))
        return DateRule(kind="dates", end=days[-1], dates=days)
    raise DateRuleError(f"无法识别的时间规则键：{', '.join(sorted(map(str, keys)))}")
