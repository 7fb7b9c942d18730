"""Excel exports of a form's rows: the full list, and the notice's 附件 layout where it has one.

Unit users get their own unit's rows; department staff the rows of their programmes' forms
(another department's form → 404); leaders everything; the administrators none (403).
Personal values are masked in every export (there is no full export); the files are sent
with `Cache-Control: no-store`.
"""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.services import audit_record
from common import clock
from orgs.access import record_scope
from orgs.models import Unit
from plans.selectors import plan_get
from records import selectors
from records.exports import (
    attachment_xlsx,
    form_rows_xlsx,
    has_layout,
    layout_units,
    rows_of,
)
from records.models import Record
from records.views.imports import xlsx_response


def _rows(request, slug, code):
    plan = plan_get(slug=slug, actor=request.user)
    form = selectors.form_get(actor=request.user, plan=plan, code=code)
    records = Record.objects.filter(form=form).filter(record_scope(request.user))
    if request.user.is_unit_user:
        units = list(Unit.objects.filter(pk=request.user.unit_id))
    else:
        units = list(Unit.objects.filter(plans=plan).order_by("order", "id"))
    return form, rows_of(records), units


@require_GET
@never_cache
def export(request, slug, code):
    form, rows, units = _rows(request, slug, code)
    today = clock.today()
    data = form_rows_xlsx(
        form=form, rows=rows, unit_names={u.pk: u.short_name for u in units}, as_of=today
    )
    audit_record(actor=request.user, event="records.export", target=form, after={"rows": len(rows)})
    return xlsx_response(data, f"{slug}-{code}-{today}.xlsx")


@require_GET
@never_cache
def attachment(request, slug, code):
    form, rows, units = _rows(request, slug, code)
    if not has_layout(form):
        raise Http404("该统计表没有通知附件的格式")
    today = clock.today()
    data = attachment_xlsx(
        form=form, units=layout_units(form=form, units=units, rows=rows), rows=rows, as_of=today
    )
    audit_record(
        actor=request.user,
        event="records.export",
        target=form,
        after={"rows": len(rows), "layout": form.attachment or form.code},
    )
    return xlsx_response(data, f"{slug}-{code}-attachment-{today}.xlsx")
