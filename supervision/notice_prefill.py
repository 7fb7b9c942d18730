"""What the issue form starts from and what it links to: a warning (a unit behind on an
indicator), a missing report on 催报 (units that have not sent one obligation), or nothing."""

from __future__ import annotations

import datetime as dt

from common import clock
from plans.models import Indicator, Plan
from reporting.models import Obligation
from supervision.models import SupervisionNotice
from supervision.notice_forms import NoticePrefillForm

Source = SupervisionNotice.Source
DEFAULT_DAYS = 10  # the due date a prefilled form proposes: ten days from today


def _indicator(plan: Plan, pk: int | None) -> Indicator | None:
    if pk is None:
        return None
    return Indicator.objects.filter(plan=plan, pk=pk).select_related("programme").first()


def issue_initial(plan: Plan, units, query) -> dict:
    """The issue form's initial values from a link's query; what cannot be read is left out."""
    form = NoticePrefillForm(query)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    codes = {c for c in (data.get("unit") or "").split(",") if c}
    initial = {
        "units": [u.pk for u in units if u.code in codes],
        "source": data.get("source") or Source.MANUAL,
        "due_date": clock.today() + dt.timedelta(days=DEFAULT_DAYS),
        "subject": data.get("subject") or "",
        "reason": data.get("reason") or "",
        "programme": data.get("programme"),
        "period_end": data.get("period_end"),
    }
    if indicator := _indicator(plan, data.get("indicator")):
        initial["indicator"] = indicator.pk
        initial["subject"] = initial["subject"] or (
            f"专案{indicator.programme.number} {indicator.name}进度滞后"
        )
    return initial


def issue_links(plan: Plan, units, data: dict) -> dict:
    """The service's arguments from the issue form: the chosen units, the text, and what the
    notice came from (the warning's indicator, each unit's missing obligation)."""
    chosen = [u for u in units if u.pk in set(data["units"])]
    indicator = _indicator(plan, data.get("indicator"))
    programme = indicator.programme if indicator else None
    obligations = {}
    if data.get("programme"):
        programme = plan.programmes.filter(number=data["programme"]).first()
        if programme and data.get("period_end"):
            found = Obligation.objects.filter(
                plan=plan,
                programme=programme,
                period_end=data["period_end"],
                unit__in=chosen,
            ).order_by("due_date", "pk")
            for obligation in found:
                obligations.setdefault(obligation.unit_id, obligation)
    return {
        "units": chosen,
        "subject": data["subject"],
        "reason": data["reason"],
        "due_date": data["due_date"],
        "source": data.get("source") or Source.MANUAL,
        "programme": programme,
        "indicator": indicator,
        "obligations": obligations,
    }
