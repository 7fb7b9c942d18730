"""A stored form as the plan file's reader would give it, for writing it out and comparing."""

from __future__ import annotations

from plans.models import Indicator, Plan
from records.formfile import ComputeSpec, FormSpec
from records.models import FormDefinition


def form_spec_of(form: FormDefinition) -> FormSpec:
    """The stored form as a `FormSpec`: its schema and the indicators its rows count."""
    return FormSpec(
        code=form.code,
        order=form.order,
        attachment=form.attachment,
        title=form.title,
        description=form.description,
        source_text=form.source_text,
        schema=form.schema,
        computes=[
            ComputeSpec(
                indicator=c.indicator.code,
                aggregate=c.aggregate,
                field=c.field,
                where=c.where,
                compliant_only=c.compliant_only,
            )
            for c in form.computes.select_related("indicator").order_by("pk")
        ],
    )


def form_spec_json(spec: FormSpec) -> dict:
    """Everything a form declares, as JSON: equal for equal forms (its place among the
    programme's forms aside)."""
    return {
        "code": spec.code,
        "attachment": spec.attachment,
        "title": spec.title,
        "description": spec.description,
        "source_text": spec.source_text,
        "schema": spec.schema.to_json(),
        "computes": [
            {
                "indicator": c.indicator,
                "aggregate": c.aggregate,
                "field": c.field,
                "where": c.where,
                "compliant_only": c.compliant_only,
            }
            for c in spec.computes
        ],
    }


def indicator_names(plan: Plan) -> dict[str, str]:
    """The plan's indicators, code → name, in the plan's order."""
    return dict(
        Indicator.objects.filter(plan=plan)
        .order_by("programme__number", "order")
        .values_list("code", "name")
    )
