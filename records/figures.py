"""Indicators computed from records, fed to the dashboards as official figures.

An indicator declared with `computes:` (count or sum over a form's rows, with a filter) gets,
for each unit, one cumulative figure per month of the plan year: the approved rows whose own
date falls in that month or before. The figure is dated the month's first day. Figures are
written as `OfficialValue` rows (without a report) official from the approval that produced
them, but never before their month begins, until a later approval or reopening changes them;
so the dashboards read them exactly like reported progress (docs/dashboards.md, the as-of
rule): a row approved on 15 July counts as at 15 July, August's figure (the same total until
August rows come) only from 1 August, and late rows under 逾期未报送不予统计 not at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from common import clock
from records.expressions import Formula, Undecided
from records.models import FormDefinition, RecordApproval, RecordIndicator
from reporting.models import OfficialValue
from reporting.services.official import Figure, official_record, official_withdraw

ZERO = Decimal(0)


def month_ends(year: int) -> list[dt.date]:
    return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]


def _contributes(compute: RecordIndicator, schema, approval: RecordApproval, where) -> Decimal:
    if not approval.counts or (compute.compliant_only and not approval.is_compliant):
        return ZERO
    values = schema.load_values(approval.data)
    if where is not None:
        try:
            if not where.evaluate(values):
                return ZERO
        except Undecided:
            return ZERO
    if compute.aggregate == RecordIndicator.Aggregate.COUNT:
        return Decimal(1)
    return Decimal(values.get(compute.field) or 0)


def unit_series(
    compute: RecordIndicator, approvals: Iterable[RecordApproval], year: int
) -> dict[dt.date, Decimal]:
    """First day of each month → cumulative figure to the month's end, from the approvals
    valid now."""
    schema = compute.form.schema
    where = Formula(compute.where) if compute.where else None
    by_month: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    ends = month_ends(year)
    for approval in approvals:
        amount = _contributes(compute, schema, approval, where)
        if not amount:
            continue
        day = approval.reference_date
        # A row dated after the year (a late December activity reported in January) counts
        # in December; one dated before it, in January.
        end = next((e for e in ends if day <= e), ends[-1])
        by_month[end] += amount
    series, total = {}, ZERO
    for end in ends:
        total += by_month[end]
        series[end.replace(day=1)] = total
    return series


def refresh_figures(pairs: set[tuple[int, int]], *, at: dt.datetime) -> int:
    """Bring the figures of (form id, unit id) pairs in line with their valid approvals.

    Returns the number of figures written. Unchanged months write nothing.
    """
    if not pairs:
        return 0
    form_ids = {f for f, _ in pairs}
    unit_ids = {u for _, u in pairs}
    computes = list(
        RecordIndicator.objects.filter(form_id__in=form_ids).select_related(
            "form__plan", "indicator"
        )
    )
    if not computes:
        return 0
    approvals: dict[tuple[int, int], list[RecordApproval]] = defaultdict(list)
    for approval in RecordApproval.objects.filter(
        form_id__in=form_ids, unit_id__in=unit_ids, withdrawn_at__isnull=True
    ):
        approvals[(approval.form_id, approval.unit_id)].append(approval)
    current: dict[tuple[int, int, dt.date], OfficialValue] = {
        (v.unit_id, v.indicator_id, v.period_end): v
        for v in OfficialValue.objects.filter(
            report__isnull=True,
            indicator__in=[c.indicator_id for c in computes],
            unit_id__in=unit_ids,
            withdrawn_at__isnull=True,
        )
    }
    withdraw: list[int] = []
    create: list[Figure] = []
    for compute in computes:
        year = compute.form.plan.year
        for form_id, unit_id in pairs:
            if form_id != compute.form_id:
                continue
            series = unit_series(compute, approvals[(form_id, unit_id)], year)
            for end, value in series.items():
                old = current.get((unit_id, compute.indicator_id, end))
                if (old.value if old else ZERO) == value:
                    continue
                if old is not None:
                    withdraw.append(old.pk)
                if value:
                    create.append(
                        Figure(
                            unit_id=unit_id,
                            indicator_id=compute.indicator_id,
                            period_end=end,
                            value=value,
                            # A month still to come is not a figure yet: the dashboards
                            # would take it as the unit's latest.
                            approved_at=max(at, clock.start_of(end)),
                        )
                    )
    if withdraw:
        official_withdraw(OfficialValue.objects.filter(pk__in=withdraw), at=at)
    official_record(create)
    return len(create)


def rebuild_figures(form: FormDefinition) -> int:
    """Recompute every unit's figures of `form` (after a plan change to its `computes`)."""
    units = set(
        RecordApproval.objects.filter(form=form, withdrawn_at__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    units |= set(
        OfficialValue.objects.filter(
            Q(report__isnull=True), indicator__record_source__form=form
        ).values_list("unit_id", flat=True)
    )
    return refresh_figures({(form.pk, u) for u in units}, at=timezone.now())
