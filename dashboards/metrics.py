"""The figures a dashboard shows, as plain functions (documented in docs/dashboards.md).

"Elapsed" (time elapsed, 时间进度) and "behind" (滞后) are defined here and nowhere else:
`elapsed` for a plan or one of its indicators, `is_behind` for a completion against it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from reporting import warning_levels

DONE, ON_TRACK, BEHIND, FAR_BEHIND, NO_TARGET = "done", "on_track", "behind", "far_behind", ""
STATUS_LABELS = {
    DONE: "已完成",
    ON_TRACK: "正常",
    BEHIND: "滞后",
    FAR_BEHIND: "严重滞后",
    NO_TARGET: "—",
}


def thresholds(plan=None) -> tuple[Decimal, Decimal]:
    """How far completion may trail elapsed time before 滞后 and 严重滞后 (shares of 1): the
    plan file's `warnings` margins (黄牌 / 红牌) where `plan` gives them, else the settings'."""
    levels = getattr(plan, "warning_levels", None) or {}
    if "yellow_margin" in levels and "red_margin" in levels:
        return Decimal(str(levels["yellow_margin"])), Decimal(str(levels["red_margin"]))
    return (
        Decimal(str(getattr(settings, "UNIONPLAN_BEHIND_MARGIN", "0.10"))),
        Decimal(str(getattr(settings, "UNIONPLAN_FAR_BEHIND_MARGIN", "0.30"))),
    )


def completion(achieved: Decimal | None, target: Decimal | None) -> Decimal | None:
    """achieved / target, uncapped (a unit may exceed its share)."""
    if target is None or target <= 0:
        return None
    return (achieved or Decimal(0)) / target


def window(plan, indicator=None) -> tuple[dt.date, dt.date]:
    """The days an indicator (without one: the plan's year) is worked on: from the plan's
    progress start (else its issue date) to the indicator's due date (else 31 December)."""
    start = plan.progress_from or plan.issued_on
    due = indicator.due_date if indicator is not None else None
    return start, due or dt.date(plan.year, 12, 31)


def elapsed(plan, as_of: dt.date, indicator=None) -> Decimal:
    """Share of the `window` passed on `as_of`: 时间进度."""
    return time_elapsed(*window(plan, indicator), as_of)


def time_elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    """Share of the indicator's window [start, end] that has passed on `as_of`, in [0, 1]."""
    total = (end - start).days + 1
    if total <= 0:
        return Decimal(1)
    passed = (as_of - start).days + 1
    return min(max(Decimal(passed) / Decimal(total), Decimal(0)), Decimal(1))


def year_elapsed(year: int, as_of: dt.date) -> Decimal:
    """Share of the calendar year passed on `as_of`, counted as `time_elapsed` counts: the
    时间 of 时间过半、任务过半 (past half from 2 July, 1 July in a leap year). Not 时间进度,
    whose window starts with reporting, often months into the year."""
    return time_elapsed(dt.date(year, 1, 1), dt.date(year, 12, 31), as_of)


def year_half_passed(year: int, as_of: dt.date) -> bool:
    return year_elapsed(year, as_of) >= Decimal("0.5")


def status(
    done: Decimal | None, elapsed: Decimal, margins: tuple[Decimal, Decimal] | None = None
) -> str:
    """时间过半、任务过半: completion compared with elapsed time.

    `margins` is `thresholds()`, read once by a caller judging thousands of shares.
    """
    if done is None:
        return NO_TARGET
    if done >= 1:
        return DONE
    behind, far_behind = margins or thresholds()
    if is_behind(done, elapsed, far_behind):
        return FAR_BEHIND
    if is_behind(done, elapsed, behind):
        return BEHIND
    return ON_TRACK


# 黄牌 / 红牌 of progress: 滞后 is a yellow card, 严重滞后 a red one (reporting.warning_levels
# decides the cards of what is owed by a date).
STATUS_CARDS = {BEHIND: warning_levels.YELLOW, FAR_BEHIND: warning_levels.RED}


def progress_level(
    done: Decimal | None, elapsed: Decimal, margins: tuple[Decimal, Decimal] | None = None
) -> str:
    """The card of a share's completion `done` against the time `elapsed`: its `status`."""
    return STATUS_CARDS.get(status(done, elapsed, margins), warning_levels.NONE)


def is_behind(done: Decimal | None, elapsed: Decimal, margin: Decimal) -> bool:
    """Completion `done` trails the time `elapsed` by more than `margin`, and is not done:
    滞后 with the smaller margin of `thresholds()`, 严重滞后 with the larger, a warning with
    the warning page's own."""
    return done is not None and done < 1 and elapsed - done > margin


def projection(achieved: Decimal | None, elapsed: Decimal) -> Decimal | None:
    """Year-end value if the pace so far continues (linear in time)."""
    if achieved is None or elapsed <= 0:
        return None
    return (achieved / elapsed).quantize(Decimal(1))


def capped_score(shares: list[Decimal | None]) -> Decimal | None:
    """Mean completion over a unit's targets, each capped at 100%, as a score out of 100.

    The cap keeps over-achieving one target from hiding another that is behind.
    """
    known = [min(s, Decimal(1)) for s in shares if s is not None]
    if not known:
        return None
    return (sum(known) / len(known) * 100).quantize(Decimal("0.1"))
