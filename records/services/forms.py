"""Adding or replacing one form of a plan from a spreadsheet (records/formsheet).

The entry read from the sheet is checked again here by the plan file's reader, and compared
again with the stored form under lock (records/formchange.py), so a save decides on what it
writes, not on what a preview saw earlier; a preview's digest of the stored form (`base`)
refuses the save when someone changed the form in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import User
from plans.models import Indicator, Plan, Programme
from records.figures import rebuild_figures
from records.formchange import FormChange, form_change
from records.formsheet import form_sheet_check, form_spec_json, form_spec_of, indicator_names
from records.models import FormDefinition, RecordApproval, RecordImport, RecordIndicator
from records.services.personal import personal_values_seal
from reporting.models import OfficialValue
from reporting.services.obligations import obligations_generate
from reporting.services.official import official_withdraw

NO_PROGRAMME = "本方案没有专案{number}。"
INVALID = "统计表有 {n} 个问题，未保存：{first}"
CHANGED_SINCE = "这张统计表在您预览之后已被修改，请重新上传文件并核对变化。"


@dataclass
class FormSaved:
    form: FormDefinition | None  # None when nothing changed
    change: FormChange

    @property
    def created(self) -> bool:
        return self.change.current is None


def programme_of(*, plan: Plan, number: int) -> Programme:
    programme = Programme.objects.filter(plan=plan, number=number).first()
    if programme is None:
        raise ServiceError(NO_PROGRAMME.format(number=number))
    return programme


@transaction.atomic
def form_definition_save(
    *,
    plan: Plan,
    programme_number: int,
    entry: dict,
    actor: User | None,
    base: str | None = None,
    source: str = "",
) -> FormSaved:
    """Add the form `entry` declares to the programme, or replace the plan's form of its code.

    `base` is the digest a preview was made against (None: do not compare); `source` names
    the file in the audit entry. Refused (ServiceError) when the entry has problems, the plan
    has ended, or replacing would strand what units entered (records/formchange.py)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    programme = programme_of(plan=plan, number=programme_number)
    checked = form_sheet_check(entry=entry, indicators=indicator_names(plan))
    if checked.problems:
        raise ServiceError(INVALID.format(n=len(checked.problems), first=checked.problems[0]))
    change = form_change(plan=plan, programme=programme, spec=checked.spec, lock=True)
    if base is not None and change.base != base:
        raise ServiceError(CHANGED_SINCE)
    if change.refusals:
        raise ServiceError("；".join(change.refusals))
    if not change.changed:
        return FormSaved(form=None, change=change)
    spec = change.spec
    spec.order = change.order
    before = form_spec_json(form_spec_of(change.current)) if change.current else None
    form = change.current or FormDefinition(plan=plan, programme=programme, code=spec.code)
    form.order = spec.order
    form.attachment, form.title = spec.attachment, spec.title
    form.description, form.source_text = spec.description, spec.source_text
    form.spec = spec.schema.to_json()
    form.late_policy = spec.schema.late_policy
    form.save()
    form = FormDefinition.objects.select_related("plan").get(pk=form.pk)  # a fresh schema
    computes_changed = _computes_sync(form, spec)
    # A field now declared personal: its values stored so far are sealed in this transaction.
    personal_values_seal(forms=[form])
    # Previews checked against the old definition would save rows it no longer describes.
    expired = RecordImport.objects.filter(form=form, status=RecordImport.Status.PREVIEW).update(
        status=RecordImport.Status.EXPIRED
    )
    if computes_changed:
        rebuild_figures(form)
    if plan.status == Plan.Status.PUBLISHED:
        # A running plan's units owe the form's due dates as they now are (统计表报送).
        obligations_generate(plan=plan)
    audit_record(
        actor=actor,
        username="" if actor else "system",
        federation=None if actor else plan.issuer,
        event="records.form.added" if change.current is None else "records.form.replaced",
        target=form,
        before=before,
        after={**form_spec_json(spec), "programme": programme.number, "expired_imports": expired},
        reason=f"Excel：{source}" if source else "",
    )
    return FormSaved(form=form, change=change)


def _computes_sync(form: FormDefinition, spec) -> bool:
    """The indicators counted from the form's rows, as the sheet says; figures of indicators
    it no longer counts are withdrawn. Returns whether anything changed."""
    wanted = {c.indicator: c for c in spec.computes}
    indicators = {
        i.code: i for i in Indicator.objects.filter(plan=form.plan, code__in=list(wanted))
    }
    stored = {c.indicator_id: c for c in RecordIndicator.objects.filter(form=form)}
    keep = {indicators[code].pk for code in wanted}
    dropped = [pk for pk in stored if pk not in keep]
    changed = bool(dropped)
    if dropped:
        RecordIndicator.objects.filter(form=form, indicator_id__in=dropped).delete()
        units = RecordApproval.objects.filter(form=form).values("unit_id")
        official_withdraw(
            OfficialValue.objects.filter(
                report__isnull=True, indicator_id__in=dropped, unit_id__in=units
            ),
            at=timezone.now(),
        )
    for code, compute in wanted.items():
        values = {
            "form": form,
            "aggregate": compute.aggregate,
            "field": compute.field,
            "where": compute.where,
            "compliant_only": compute.compliant_only,
        }
        current = stored.get(indicators[code].pk)
        if current is not None and all(
            getattr(current, k) == v for k, v in values.items() if k != "form"
        ):
            continue
        RecordIndicator.objects.update_or_create(indicator=indicators[code], defaults=values)
        changed = True
    return changed
