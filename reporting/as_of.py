"""The as-of rule (docs/dashboards.md): which official figures count at the end of a day.
Every reader of figures as at a date applies it from here, the dashboards and the readers
below them (the evaluations' auto-scored items) alike."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from common import clock


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after `as_of` in Asia/Shanghai."""
    return clock.start_of(as_of + dt.timedelta(days=1))


def official_on(as_of: dt.date) -> Q:
    """Official at the end of `as_of`: official from before that day's end and not withdrawn
    by then, whatever the period it reports on. The period only orders a unit's figures; no
    figure is official before its period begins (a report cannot be filled in earlier;
    records.figures makes a month official from its first day)."""
    at = cutoff(as_of)
    return Q(approved_at__lt=at) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=at))


def valid_on(as_of: dt.date) -> Q:
    """Counted as at `as_of`: official then, and not a late figure left out (不予统计)."""
    return Q(counts=True) & official_on(as_of)
