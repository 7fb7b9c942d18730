"""A year timeline of milestones, laid out as SVG coordinates (no inline styles: CSP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plans.planfile.dates import DateRule

WIDTH = 960
LABEL_WIDTH = 230
ROW_HEIGHT = 22
TOP = 24


@dataclass
class Bar:
    y: int
    x: float
    width: float
    label: str
    when: str
    css: str
    points: list[float]
    point_css: str = ""


@dataclass
class Timeline:
    width: int
    height: int
    months: list[tuple[float, str]]
    bars: list[Bar]
    label_width: int = LABEL_WIDTH


def _x(day: dt.date, year: int) -> float:
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    offset = min(max((day - start).days, 0), days)
    return round(LABEL_WIDTH + (WIDTH - LABEL_WIDTH) * offset / days, 1)


def build_timeline(items: list[tuple[str, str, DateRule]], year: int) -> Timeline:
    """`items` are (label, actor, rule); actor `units` or `federation` chooses the colour."""
    bars = []
    for i, (label, actor, rule) in enumerate(items):
        y = TOP + i * ROW_HEIGHT
        if rule.kind == "relative":
            bars.append(
                Bar(y, LABEL_WIDTH, WIDTH - LABEL_WIDTH, label, rule.describe(), "relative", [])
            )
            continue
        points = [_x(d, year) for d in rule.occurrences()]
        if rule.start and rule.end:
            x0, x1 = _x(rule.start, year), _x(rule.end + dt.timedelta(days=1), year)
            bars.append(
                Bar(
                    y,
                    x0,
                    max(x1 - x0, 2),
                    label,
                    rule.describe(),
                    f"bar-{actor}",
                    points if rule.kind == "recurring" else [],
                    f"point-{actor}",
                )
            )
        else:
            bars.append(Bar(y, 0, 0, label, rule.describe(), "", points, f"point-{actor}"))
    months = [(_x(dt.date(year, m, 1), year), f"{m}月") for m in range(1, 13)]
    return Timeline(width=WIDTH, height=TOP + len(items) * ROW_HEIGHT + 8, months=months, bars=bars)
