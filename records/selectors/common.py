"""Forms and units the actor may open, shared by the other selectors."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from orgs.access import form_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.models import FormDefinition, Record
from reporting import workflow

Status = Record.Status
WITH_UNIT = tuple(sorted(workflow.WITH_UNIT))
PAGE_SIZE = 200


def overdue_filter(today: dt.date) -> Q:
    """Rows reported late, or still with the unit after their deadline."""
    return Q(is_late=True) | Q(status__in=WITH_UNIT, due_date__lt=today)


# -- forms ----------------------------------------------------------------------------------


def forms_visible_to(*, user: User, plan: Plan) -> QuerySet[FormDefinition]:
    return (
        FormDefinition.objects.filter(plan=plan)
        .filter(form_scope(user))
        .select_related("programme", "plan")
        .order_by("programme__number", "order")
    )


def form_get(*, actor: User, plan: Plan, code: str) -> FormDefinition:
    """One form the actor may open (another department's → 404)."""
    queryset = forms_visible_to(user=actor, plan=plan).prefetch_related("programme__departments")
    return get_object_or_404(queryset, code=code)


def plan_units(*, plan: Plan) -> list[Unit]:
    return list(Unit.objects.filter(plans=plan).order_by("order", "id"))


def unit_in_plan(units: list[Unit], code: str) -> Unit | None:
    return next((u for u in units if u.code == code), None)


def plan_for_unit(*, unit_id: int) -> Plan | None:
    """The latest plan the unit takes part in: where its forms hub is."""
    return Plan.objects.filter(units=unit_id).order_by("-year", "slug").first()
