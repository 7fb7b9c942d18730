"""The figures a dashboard shows, as plain functions (documented in docs/dashboards.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

DONE, ON_TRACK, BEHIND, FAR_BEHIND, NO_TARGET = "done", "on_track", "behind", "far_behind", ""
STATUS_LABELS = {
    DONE: "已完成",
    ON_TRACK: "正常",
    BEHIND: "滞后",
    FAR_BEHIND: "严重滞后",
    NO_TARGET: "—",
}


def thresholds() -> tuple[Decimal, Decimal]:
    """How far completion may trail elapsed time before 滞后 and 严重滞后 (shares of 1)."""
    return (
        Decimal(str(getattr(settings, "UNIONPLAN_BEHIND_MARGIN", "0.10"))),
        Decimal(str(getattr(settings, "UNIONPLAN_FAR_BEHIND_MARGIN", "0.30"))),
    )


def completion(achieved: Decimal | None, target: Decimal | None) -> Decimal | None:
    """achieved / target, uncapped (a unit may exceed its share)."""
    if target is None or target <= 0:
        return None
    return (achieved or Decimal(0)) / target


def time_elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    """Share of the indicator's window [start, end] that has passed on `as_of`, in [0, 1]."""
    total = (end - start).days + 1
    if total <= 0:
        return Decimal(1)
    passed = (as_of - start).days + 1
    return min(max(Decimal(passed) / Decimal(total), Decimal(0)), Decimal(1))


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
    gap = elapsed - done
    if gap > far_behind:
        return FAR_BEHIND
    if gap > behind:
        return BEHIND
    return ON_TRACK


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
