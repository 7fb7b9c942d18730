"""Reads for authoring forms from spreadsheets: a plan's programmes and forms, one form."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from plans.models import Plan, Programme
from records.models import FormDefinition


def plan_forms(*, plan: Plan) -> QuerySet[FormDefinition]:
    """Every form of the plan, whichever department's, in programme order (one query)."""
    return (
        FormDefinition.objects.filter(plan=plan)
        .select_related("programme")
        .order_by("programme__number", "order")
    )


def form_definition_get(*, plan: Plan, code: str) -> FormDefinition:
    """One form of the plan (the plan already scoped to the actor), or 404."""
    return get_object_or_404(plan_forms(plan=plan), code=code)


def programme_choices(*, plan: Plan) -> list[tuple[int, str]]:
    return [
        (number, f"专案{number} {title}")
        for number, title in Programme.objects.filter(plan=plan)
        .order_by("number")
        .values_list("number", "title")
    ]
