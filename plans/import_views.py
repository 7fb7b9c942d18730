"""Pages of the allocation-table and unit-list imports: upload → preview → confirm.

The issuing federation's department staff only (`orgs.access.require_plan_author`), on their
federation's plans (`plans.selectors.plan_get`: another federation's plan is a 404). A preview
is a page, not a stored row: its confirming form carries the file as read, signed, and the
choices made; every refusal shows the preview again with those choices.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import ServiceError
from orgs.access import require_plan_author
from plans import selectors, table_import, unit_import
from plans.import_forms import PreviewForm, RowChoicesForm, UploadForm
from plans.importing import (
    PREVIEW_INVALID,
    UPLOAD_HINT,
    file_name,
    preview_read,
    preview_sign,
    sheet_read,
)


def _preview_data(form: PreviewForm, salt: str, expect: dict) -> dict:
    """The file as the preview read it, if the form carries a preview of `expect`'s."""
    if not form.is_valid():
        raise ServiceError(PREVIEW_INVALID)
    return preview_read(form.cleaned_data["preview"], salt=salt, expect=expect)


# -- an allocation table -----------------------------------------------------------------------


def _table(request, slug, code):
    require_plan_author(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    return plan, selectors.table_get(plan=plan, code=code)


@never_cache
@require_http_methods(["GET", "POST"])
def table_upload(request, slug, code):
    plan, table = _table(request, slug, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            read = sheet_read(uploaded)
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            sheet = table_import.table_sheet_read(table=table, sheet=read, file=file_name(uploaded))
            return _table_preview(request, table, sheet, choices={}, aliases=set())
    context = {"plan": plan, "table": table, "form": form, "hint": UPLOAD_HINT}
    return render(request, "plans/table_import.html", context)


@never_cache
@require_POST
def table_confirm(request, slug, code):
    plan, table = _table(request, slug, code)
    form = PreviewForm(request.POST)
    try:
        data = _preview_data(form, table_import.SALT, {"table": table.pk, "actor": request.user.pk})
    except ServiceError as exc:
        context = {"plan": plan, "table": table, "form": UploadForm(), "refused": exc.message}
        return render(request, "plans/table_import.html", {**context, "hint": UPLOAD_HINT})
    sheet = table_import.TableSheet.from_payload(data)
    picks = RowChoicesForm(
        request.POST, count=len(sheet.rows), units=selectors.plan_units(plan=plan)
    )
    picks.is_valid()  # an invalid choice counts as none made
    choices, aliases = picks.choices(), picks.aliases()
    if not form.cleaned_data["confirm"]:
        return _table_preview(request, table, sheet, choices=choices, aliases=aliases)
    try:
        done = table_import.allocation_table_import(
            actor=request.user,
            table=table,
            sheet=sheet,
            choices=choices,
            aliases=aliases,
            fingerprint=form.cleaned_data["fingerprint"],
        )
    except ServiceError as exc:
        table = selectors.table_get(plan=plan, code=code)  # as it stands now
        return _table_preview(request, table, sheet, choices=choices, aliases=aliases, error=exc)
    messages.success(request, table_import.result_message(done))
    page = reverse("plans:programme", args=[plan.slug, table.programme.number])
    return redirect(f"{page}#table-{table.code}")


def _table_preview(request, table, sheet, *, choices, aliases, error=None):
    preview = table_import.table_import_preview(
        table=table, sheet=sheet, choices=choices, aliases=aliases
    )
    token = preview_sign(sheet.payload(table=table, actor=request.user), salt=table_import.SALT)
    context = {
        "plan": table.plan,
        "table": table,
        "preview": preview,
        "form": PreviewForm(initial={"preview": token, "fingerprint": preview.fingerprint}),
        "error": error.message if error else "",
    }
    return render(request, "plans/table_import_preview.html", context)


# -- a plan's unit list ------------------------------------------------------------------------


def _plan(request, slug):
    require_plan_author(request.user)
    return selectors.plan_get(slug=slug, actor=request.user)


@never_cache
@require_http_methods(["GET", "POST"])
def units_upload(request, slug):
    plan = _plan(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            read = sheet_read(uploaded)
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            sheet = unit_import.unit_sheet_read(sheet=read, file=file_name(uploaded))
            return _units_preview(request, plan, sheet)
    context = {"plan": plan, "form": form, "hint": UPLOAD_HINT}
    return render(request, "plans/unit_import.html", context)


@never_cache
@require_POST
def units_confirm(request, slug):
    plan = _plan(request, slug)
    form = PreviewForm(request.POST)
    try:
        data = _preview_data(form, unit_import.SALT, {"plan": plan.pk, "actor": request.user.pk})
    except ServiceError as exc:
        context = {"plan": plan, "form": UploadForm(), "refused": exc.message}
        return render(request, "plans/unit_import.html", {**context, "hint": UPLOAD_HINT})
    sheet = unit_import.UnitSheet.from_payload(data)
    if not form.cleaned_data["confirm"]:
        return _units_preview(request, plan, sheet)
    try:
        done = unit_import.plan_units_import(
            actor=request.user, plan=plan, sheet=sheet, fingerprint=form.cleaned_data["fingerprint"]
        )
    except ServiceError as exc:
        return _units_preview(request, plan, sheet, error=exc)
    messages.success(request, unit_import.result_message(done))
    return redirect("plans:units", slug=plan.slug)


def _units_preview(request, plan, sheet, *, error=None):
    preview = unit_import.plan_units_preview(plan=plan, sheet=sheet)
    token = preview_sign(sheet.payload(plan=plan, actor=request.user), salt=unit_import.SALT)
    context = {
        "plan": plan,
        "preview": preview,
        "form": PreviewForm(initial={"preview": token, "fingerprint": preview.fingerprint}),
        "error": error.message if error else "",
    }
    return render(request, "plans/unit_import_preview.html", context)
