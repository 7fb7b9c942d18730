"""Entering rows on the web: the forms hub, a form's rows, adding and editing one row, and
revealing one personal value in full (with a reason, audited).

Pages that show rows send `Cache-Control: no-store` (`never_cache`): they may carry personal
data, masked or, on the reveal page, in full. Posted row forms are kept out of error reports
(`sensitive_post_parameters`), since they may hold a phone or ID number as typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import clock
from common.errors import ServiceError
from orgs.access import can_edit_record
from plans.levels import plan_level
from plans.selectors import plan_get
from records import selectors
from records.exports import has_layout
from records.forms import DeleteForm, ListFilterForm, RecordForm, RevealForm
from records.models import Record
from records.services import RowRefused, record_create, record_update
from records.services.evidence import record_delete_with_files
from records.services.flow import RECORD
from records.services.obligations import OWED
from records.services.personal import record_personal_reveal
from records.views.formsheets import is_plan_author
from reporting import workflow


def _filters(request, units):
    """Unit users always see their own unit; federation users pick one or see all."""
    form = ListFilterForm(request.GET, units=[(u.code, u.short_name) for u in units])
    if request.user.is_unit_user:
        unit = request.user.unit
    else:
        unit = selectors.unit_in_plan(units, form.value("unit"))
    return form, unit, form.value("status")


@require_GET
def hub(request, slug):
    plan = plan_get(slug=slug, actor=request.user)
    units = selectors.plan_units(plan=plan)
    filters, unit, _status = _filters(request, units)
    hub = selectors.hub_get(
        user=request.user, plan=plan, unit=unit, units=units, today=clock.today()
    )
    return render(
        request,
        "records/hub.html",
        {
            "plan": plan,
            "hub": hub,
            "unit": unit,
            "filters": filters,
            "statuses": Record.Status,
            "can_author": is_plan_author(request.user),
        },
    )


def batch_actions(user, form, unit_id: int | None) -> list[workflow.Transition]:
    """The batch buttons `user` gets on a form's rows (each row is checked again on posting)."""
    departments = {d.pk for d in form.programme.departments.all()}
    return workflow.batch_actions(
        user, unit_id=unit_id, department_ids=departments, level=plan_level(form.plan)
    )


@require_GET
@never_cache
def rows(request, slug, code):
    plan = plan_get(slug=slug, actor=request.user)
    form = selectors.form_get(actor=request.user, plan=plan, code=code)
    return render(request, "records/rows.html", rows_context(request, plan, form))


def rows_context(request, plan, form, *, nil_form=None, nil_for: int | None = None) -> dict:
    """The form's page: its rows, and the unit's periods with 本期无 (`nil_form` refused for
    the period `nil_for`, shown with what was typed)."""
    units = selectors.plan_units(plan=plan)
    filters, unit, status = _filters(request, units)
    page = selectors.record_page(
        actor=request.user, form=form, unit=unit, status=status, page=request.GET.get("page", 1)
    )
    names = {u.pk: u.short_name for u in units}
    today = clock.today()
    owed = unit and form.schema.deadline.kind in OWED
    periods = selectors.form_periods(form=form, unit=unit, today=today) if owed else []
    return {
        "plan": plan,
        "form": form,
        "unit": unit,
        "filters": filters,
        "page": page,
        "rows": selectors.row_views(page.object_list, form.schema, names, today),
        "columns": selectors.columns_of(form.schema),
        "actions": batch_actions(request.user, form, unit.pk if unit else None),
        "can_add": request.user.is_unit_user,
        "has_layout": has_layout(form),
        "can_author": is_plan_author(request.user),
        # 统计表报送: the unit's periods begun, met or owed, and 本期无 for its own people; the
        # later ones folded away.
        "periods": [p for p in periods if p.begun],
        "periods_later": [p for p in periods if not p.begun],
        "can_declare": bool(unit)
        and can_edit_record(request.user, unit.pk)
        and not plan.closed_refusal,
        "nil_form": nil_form,
        "nil_for": nil_for,
    }


def _saved(request, record: Record) -> None:
    if record.issues:
        messages.warning(request, "已保存，但未达标：" + "；".join(record.issues))
    else:
        messages.success(request, "已保存。")


def _entry_form(request, form, record=None):
    unit = record.unit if record else request.user.unit
    return RecordForm(
        request.POST if request.method == "POST" else None,
        form=form,
        unit_choices=[(unit.pk, unit.short_name)],
        own_unit=unit.pk,
        record=record,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters()
def row_new(request, slug, code):
    plan = plan_get(slug=slug, actor=request.user)
    form = selectors.form_get(actor=request.user, plan=plan, code=code)
    if not request.user.is_unit_user:
        raise PermissionDenied("只有单位填报人员可以新增记录")
    entry = _entry_form(request, form)
    if request.method == "POST" and entry.is_valid():
        try:
            record = record_create(
                form=form, unit=request.user.unit, actor=request.user, raw=entry.raw()
            )
        except RowRefused as exc:
            entry.show_errors(exc.errors)
        except ServiceError as exc:
            entry.add_error(None, exc.message)
        else:
            _saved(request, record)
            return redirect("records:row", slug=plan.slug, pk=record.pk)
    return render(
        request, "records/row.html", {"plan": plan, "form": form, "entry": entry, "record": None}
    )


def _row_context(request, plan, record, entry):
    names = {record.unit_id: record.unit.short_name}
    schema = record.form.schema
    values = schema.load_values(record.data)
    today = clock.today()
    # Personal values that are filled in, masked, each with 查看完整信息.
    personal = [f for f in schema.personal_fields if values.get(f.code) is not None]
    return {
        "plan": plan,
        "form": record.form,
        "record": record,
        "entry": entry,
        "shown": [(f, f.show(values.get(f.code), unit_names=names)) for f in schema.fields],
        "personal": [(f, f.show(values[f.code])) for f in personal],
        "files": [
            (f, [e for e in record.evidence.all() if e.field_code == f.code])
            for f in schema.file_fields
        ],
        "history": selectors.record_history(record=record, unit_names=names),
        "actions": workflow.actions_for(request.user, record, RECORD, today=today),
        "can_edit": workflow.can_edit(request.user, record, RECORD, today=today),
        # Only a row never sent may be deleted (records.services.rows.record_delete).
        "can_delete": can_edit_record(request.user, record.unit_id)
        and record.status == Record.Status.DRAFT,
        "overdue": workflow.overdue(record.status, record.due_date, today),
        "today": today,
    }


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters()
def row(request, slug, pk):
    plan = plan_get(slug=slug, actor=request.user)
    record = selectors.record_get(actor=request.user, plan=plan, pk=pk)
    if request.method == "POST" and not can_edit_record(request.user, record.unit_id):
        raise PermissionDenied("您不能修改该记录")
    entry = (
        _entry_form(request, record.form, record)
        if can_edit_record(request.user, record.unit_id)
        else None
    )
    if request.method == "POST" and entry.is_valid():
        try:
            record = record_update(
                record=record,
                actor=request.user,
                raw=entry.raw(),
                version=entry.cleaned_data["version"] or 0,
            )
        except RowRefused as exc:
            entry.show_errors(exc.errors)
        except ServiceError as exc:
            entry.add_error(None, exc.message)
        else:
            _saved(request, record)
            return redirect("records:row", slug=plan.slug, pk=record.pk)
    return render(request, "records/row.html", _row_context(request, plan, record, entry))


@require_POST
def row_delete(request, slug, pk):
    plan = plan_get(slug=slug, actor=request.user)
    record = selectors.record_get(actor=request.user, plan=plan, pk=pk)
    if not can_edit_record(request.user, record.unit_id):
        raise PermissionDenied("您不能删除该记录")
    form = DeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("页面已过期，请刷新后重试。")
        record_delete_with_files(
            record=record, actor=request.user, version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("records:row", slug=plan.slug, pk=record.pk)
    messages.success(request, "已删除。")
    return redirect("records:rows", slug=plan.slug, code=record.form.code)


@require_POST
@never_cache
def row_reveal(request, slug, pk):
    """查看完整信息: one personal value of a row the user may see, with a stated reason."""
    plan = plan_get(slug=slug, actor=request.user)
    record = selectors.record_get(actor=request.user, plan=plan, pk=pk)
    fields = record.form.schema.personal_fields
    if not fields:
        raise Http404("该记录没有个人信息")
    reveal = RevealForm(request.POST, fields=fields)
    field = value = None
    if reveal.is_valid():
        field = record.form.schema.by_code[reveal.cleaned_data["field"]]
        try:
            value = record_personal_reveal(
                record=record,
                actor=request.user,
                field_code=field.code,
                reason=reveal.cleaned_data["reason"],
            )
        except ServiceError as exc:
            reveal.add_error(None, exc.message)
    return render(
        request,
        "records/row_reveal.html",
        {
            "plan": plan,
            "form": record.form,
            "record": record,
            "reveal": reveal,
            "field": field,
            "value": value,
        },
    )
