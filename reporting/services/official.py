"""Official figures (正式数据): the one writer of `OfficialValue`.

Approved reports, figures computed from approved form rows (records.figures) and 市总统计
(city_figures) all become official figures here, and stop counting here. A figure is never
changed or deleted: it is valid from its `approved_at` until its `withdrawn_at`, so the
dashboards' figures as at any date stay reproducible. Which figures count and from when is
decided by the callers (the late policy by the report, the month by the form rows); this module
only writes what they decided, and a test keeps every other module from writing the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from reporting.models import OfficialValue


@dataclass(frozen=True)
class Figure:
    """One official figure to record: a unit's value of an indicator as at `period_end`,
    official from `approved_at`."""

    unit_id: int
    indicator_id: int
    period_end: dt.date
    value: Decimal
    approved_at: dt.datetime
    report_id: int | None = None  # None: computed from form rows or entered as 市总统计
    is_late: bool = False
    # False for a late report under 逾期未报送不予统计: kept and shown, not counted.
    counts: bool = True


def official_record(figures: Iterable[Figure]) -> list[OfficialValue]:
    """Make `figures` official, in one statement; the rows written, in the order given."""
    return OfficialValue.objects.bulk_create(
        [
            OfficialValue(
                report_id=f.report_id,
                unit_id=f.unit_id,
                indicator_id=f.indicator_id,
                period_end=f.period_end,
                value=f.value,
                approved_at=f.approved_at,
                is_late=f.is_late,
                counts=f.counts,
            )
            for f in figures
        ]
    )


def official_withdraw(figures: QuerySet[OfficialValue], *, at: dt.datetime) -> int:
    """Stop `figures` counting from `at` (those already withdrawn keep their date); the rows
    are kept. Returns how many were withdrawn."""
    return figures.filter(withdrawn_at__isnull=True).update(withdrawn_at=at)


def official_recount(figures: QuerySet[OfficialValue], *, counts: bool, at: dt.datetime) -> int:
    """Make the current ones of `figures` count (or stop counting) from `at`: each is withdrawn
    and recorded again, same value, with `counts` changed, so the figures as at any earlier date
    stay what they were (an approved 补报申请, or its revocation). Returns how many changed."""
    current = list(figures.filter(withdrawn_at__isnull=True).exclude(counts=counts))
    if not current:
        return 0
    official_withdraw(OfficialValue.objects.filter(pk__in=[f.pk for f in current]), at=at)
    official_record(
        Figure(
            report_id=f.report_id,
            unit_id=f.unit_id,
            indicator_id=f.indicator_id,
            period_end=f.period_end,
            value=f.value,
            approved_at=max(at, f.approved_at),
            is_late=f.is_late,
            counts=counts,
        )
        for f in current
    )
    return len(current)
