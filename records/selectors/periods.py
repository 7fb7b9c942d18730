"""A unit's periods of a form due on dates or every period (统计表报送): met or owed, and its
本期无 (records/services/obligations.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from orgs.access import obligation_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.models import FormDefinition, NilReturn
from records.services.obligations import period_when
from reporting.models import Obligation


@dataclass
class FormPeriod:
    obligation: Obligation
    nil_return: NilReturn | None  # the current 本期无, if declared
    today: dt.date

    @property
    def label(self) -> str:
        return period_when(self.obligation.period, self.obligation.period_end)

    @property
    def met(self) -> bool:
        return self.obligation.met_at is not None

    @property
    def overdue(self) -> bool:
        return not self.met and self.obligation.due_date < self.today

    @property
    def begun(self) -> bool:
        start = self.obligation.period_start
        return start is None or start <= self.today


def form_periods(*, form: FormDefinition, unit: Unit, today: dt.date) -> list[FormPeriod]:
    """The unit's obligations of `form`, by due date, each with its current 本期无. Two
    queries."""
    current = NilReturn.objects.filter(withdrawn_at__isnull=True).select_related("declared_by")
    obligations = (
        Obligation.objects.filter(
            plan_id=form.plan_id, kind=Obligation.Kind.FORM, form_code=form.code, unit=unit
        )
        .order_by("due_date")
        .prefetch_related(Prefetch("nil_returns", queryset=current, to_attr="current_nil"))
    )
    return [FormPeriod(o, o.current_nil[0] if o.current_nil else None, today) for o in obligations]


def form_obligation_get(*, actor: User, plan: Plan, code: str, pk: int) -> Obligation:
    """One of the form's obligations the actor may see (another unit's → 404)."""
    queryset = Obligation.objects.filter(obligation_scope(actor)).filter(
        plan=plan, kind=Obligation.Kind.FORM, form_code=code
    )
    return get_object_or_404(queryset, pk=pk)
