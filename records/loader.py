"""Loading a plan file's forms: part of `plans.services.plan_load`, in its transaction."""

from __future__ import annotations

from common.errors import ServiceError
from common.sync import SyncCounter, sync_rows
from plans.models import Indicator, Plan, Programme
from records.models import FormDefinition, Record, RecordIndicator, UnitRule
from records.services.personal import personal_values_seal


def sync_forms(
    *,
    spec,
    plan: Plan,
    programmes: dict[tuple, Programme],
    indicators: dict[tuple, Indicator],
    counts: SyncCounter,
) -> None:
    wanted = {f.code for p in spec.programmes for f in p.forms}
    orphaned = (
        Record.objects.filter(form__plan=plan)
        .exclude(form__code__in=wanted)
        .values_list("form__title", flat=True)
        .distinct()
    )
    if orphaned:
        # PROTECT would refuse anyway; say which form and why in words a planner understands.
        raise ServiceError(
            f"计划文件删除了已有记录的统计表：{'、'.join(orphaned)}。请保留这些表，或先导出并清理记录。"
        )
    forms = sync_rows(
        FormDefinition.objects.filter(plan=plan),
        key=("code",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "programme_id": programmes[(p.number,)].pk,
                "code": f.code,
                "order": f.order,
                "attachment": f.attachment,
                "title": f.title,
                "description": f.description,
                "source_text": f.source_text,
                "spec": f.schema.to_json(),
                "late_policy": f.schema.late_policy,
            }
            for p in spec.programmes
            for f in p.forms
        ],
    )
    # A field the plan file now declares personal: its values stored so far are sealed in
    # this same transaction, so none stays in plain once the definition says it is personal.
    personal_values_seal(forms=[f for f in forms.values() if f.schema.personal_fields])
    sync_rows(
        RecordIndicator.objects.filter(form__plan=plan),
        key=("indicator_id",),
        counter=counts,
        rows=[
            {
                "indicator_id": indicators[(c.indicator,)].pk,
                "form_id": forms[(f.code,)].pk,
                "aggregate": c.aggregate,
                "field": c.field,
                "where": c.where,
                "compliant_only": c.compliant_only,
            }
            for p in spec.programmes
            for f in p.forms
            for c in f.computes
        ],
    )


def sync_unit_rules(
    *,
    spec,
    plan: Plan,
    programmes: dict[tuple, Programme],
    indicators: dict[tuple, Indicator],
    counts: SyncCounter,
) -> None:
    """The plan file's `unit_rules:` (records.rulefile) as the plan's `UnitRule` rows."""
    sync_rows(
        UnitRule.objects.filter(plan=plan),
        key=("code",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "programme_id": programmes[(p.number,)].pk,
                "code": r.code,
                "order": r.order,
                "text": r.text,
                "source_text": r.source_text,
                "spec": r.spec,
            }
            for p in spec.programmes
            for r in p.sections.get("unit_rules", [])
        ],
    )
