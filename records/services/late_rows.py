"""补报申请 on a form's obligation (统计表报送): its late rows' figures counted, or not.

Under 逾期未报送不予统计 a row confirmed after its due date is approved with `counts=False`
(records/services/flow.py): kept and shown, left out of the figures the form computes
(records/figures.py) and of the per-unit rules. An approved 补报申请 on the unit's obligation
(reporting/services/late_requests.py, which calls `form_late_rows_recount` through
reporting.extensions) makes those rows count from the approval on: each current approval is
withdrawn and recorded again with `counts` changed, so the figures as at an earlier date stay
what they were, and the unit's figures are computed again. A revocation turns them back. Rows of
the obligation approved later count as the request says (`late_approved_keys`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from records.figures import refresh_figures
from records.models import FormDefinition, Record, RecordApproval
from reporting.models import Obligation


def _rows_of(obligation: Obligation):
    """The unit's rows of the obligation's period: those whose own due date is its due date
    (records/services/obligations.py)."""
    return Record.objects.filter(
        form__plan_id=obligation.plan_id,
        form__code=obligation.form_code,
        unit_id=obligation.unit_id,
        due_date=obligation.due_date,
        is_late=True,
        # Only rows the form leaves out when late: a revocation never stops others counting.
        form__late_policy=FormDefinition.LatePolicy.EXCLUDE,
    )


def form_late_rows_recount(*, obligation: Obligation, counts: bool, at: dt.datetime) -> int:
    """Make the late rows of a form's obligation count (or stop counting) from `at`, and the
    unit's computed figures follow. Returns how many rows changed."""
    current = list(
        RecordApproval.objects.filter(
            record__in=_rows_of(obligation), withdrawn_at__isnull=True
        ).exclude(counts=counts)
    )
    if not current:
        return 0
    RecordApproval.objects.filter(pk__in=[a.pk for a in current]).update(withdrawn_at=at)
    RecordApproval.objects.bulk_create(
        RecordApproval(
            record_id=a.record_id,
            form_id=a.form_id,
            unit_id=a.unit_id,
            data=a.data,
            is_compliant=a.is_compliant,
            reference_date=a.reference_date,
            approved_at=max(at, a.approved_at),
            counts=counts,
        )
        for a in current
    )
    refresh_figures({(a.form_id, a.unit_id) for a in current}, at=at)
    return len(current)


def late_approved_keys(records: Iterable[Record]) -> set[tuple[str, int, dt.date]]:
    """(form code, unit id, due date) of the rows' obligations whose 补报申请 is approved:
    their late rows count when approved. One query."""
    records = [r for r in records if r.is_late and r.due_date is not None]
    if not records:
        return set()
    return set(
        Obligation.objects.filter(
            kind=Obligation.Kind.FORM,
            late_approved=True,
            plan_id__in={r.form.plan_id for r in records},
            form_code__in={r.form.code for r in records},
            unit_id__in={r.unit_id for r in records},
            due_date__in={r.due_date for r in records},
        ).values_list("form_code", "unit_id", "due_date")
    )


def row_counts(record: Record, approved_late: set[tuple[str, int, dt.date]]) -> bool:
    """Whether an approved row counts: not when late under 逾期未报送不予统计, unless its
    obligation's 补报申请 was approved."""
    if not (record.is_late and record.form.late_policy == FormDefinition.LatePolicy.EXCLUDE):
        return True
    return (record.form.code, record.unit_id, record.due_date) in approved_late
