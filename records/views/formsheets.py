"""A plan's forms as spreadsheets, for the issuing federation's department staff: download a
form's definition or a blank one, upload one to add or replace a form, see its problems or
what it changes, then confirm (records/formsheet, records/formchange.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import ServiceError
from orgs.access import require_plan_author
from plans.selectors import plan_get
from records import selectors
from records.formchange import form_sheet_preview
from records.forms import FormSheetSaveForm, FormSheetUploadForm
from records.formsheet import form_sheet_xlsx, form_spec_of, indicator_names
from records.services.forms import form_definition_save, programme_of
from records.views.imports import xlsx_response


def is_plan_author(user) -> bool:
    """Whether the pages offer `user` the spreadsheet links (each view checks again)."""
    try:
        require_plan_author(user)
    except PermissionDenied:
        return False
    return True


def _plan(request, slug):
    require_plan_author(request.user)
    return plan_get(slug=slug, actor=request.user)


@require_GET
def export(request, slug, code):
    plan = _plan(request, slug)
    form = selectors.form_definition_get(plan=plan, code=code)
    data = form_sheet_xlsx(spec=form_spec_of(form), indicator_names=indicator_names(plan))
    return xlsx_response(data, f"{slug}-{code}-form.xlsx")


@require_GET
def template(request, slug):
    plan = _plan(request, slug)
    data = form_sheet_xlsx(spec=None, indicator_names=indicator_names(plan))
    return xlsx_response(data, f"{slug}-form-template.xlsx")


@require_http_methods(["GET", "POST"])
def upload(request, slug):
    plan = _plan(request, slug)
    programmes = selectors.programme_choices(plan=plan)
    upload_form = FormSheetUploadForm(
        request.POST or None,
        request.FILES or None,
        programmes=programmes,
        initial={"programme": request.GET.get("programme")},
    )
    preview = confirm = None
    if request.method == "POST" and upload_form.is_valid():
        number = upload_form.cleaned_data["programme"]
        uploaded = upload_form.cleaned_data["file"]
        preview = form_sheet_preview(
            plan=plan, programme=programme_of(plan=plan, number=number), uploaded=uploaded
        )
        if preview.saveable:
            token = FormSheetSaveForm.token_for(
                {
                    "plan": plan.pk,
                    "programme": number,
                    "entry": preview.sheet.entry,
                    "base": preview.change.base,
                    "file": (uploaded.name or "")[:200],
                }
            )
            confirm = FormSheetSaveForm(initial={"token": token}, plan_id=plan.pk)
    context = {
        "plan": plan,
        "forms": selectors.plan_forms(plan=plan),
        "upload_form": upload_form,
        "preview": preview,
        "confirm": confirm,
    }
    return render(request, "records/formsheet.html", context)


@require_POST
def save(request, slug):
    plan = _plan(request, slug)
    confirm = FormSheetSaveForm(request.POST, plan_id=plan.pk)
    if not confirm.is_valid():
        messages.error(request, confirm.errors["token"][0])
        return redirect("records:formsheet_upload", slug=slug)
    payload = confirm.cleaned_data["token"]
    number = payload["programme"]
    try:
        saved = form_definition_save(
            plan=plan,
            programme_number=number,
            entry=payload["entry"],
            actor=request.user,
            base=payload["base"],
            source=payload["file"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('records:formsheet_upload', args=[slug])}?programme={number}")
    spec = saved.change.spec
    if saved.form is None:
        messages.info(request, f"「{spec.title}」与方案中的相同，没有修改。")
    else:
        verb = "新增" if saved.created else "修改"
        messages.success(request, f"已{verb}专案{number}的统计表「{spec.title}」。")
    page = reverse("plans:programme", kwargs={"slug": slug, "number": number})
    return redirect(f"{page}#form-{spec.code}")
