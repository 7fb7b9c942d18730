"""考核结果: every unit's composite score (staff, leaders), one unit's (its own users too), and
the exports, as of the page's date."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment import exports
from assessment.selectors import assessment_results
from audit.services import audit_record
from common import clock
from common.excel import XLSX_CONTENT_TYPE
from dashboards.forms import AsOfForm
from orgs.access import require_assessment_reader, require_assessment_unit_reader
from orgs.models import Unit
from plans.selectors import plan_get

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _as_of(request):
    """The 数据截至 form and its date (default: today; a later one reads as today)."""
    form = AsOfForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    return form, cleaned.get("as_of") or clock.today()


@require_GET
def results(request, slug):
    require_assessment_reader(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    form, as_of = _as_of(request)
    found = assessment_results(plan=plan, as_of=as_of)
    return render(
        request,
        "assessment/results.html",
        {"plan": plan, "form": form, "as_of": as_of, "assessment": found},
    )


@require_GET
def unit(request, slug, code):
    plan = plan_get(slug=slug, actor=request.user)
    shown = require_assessment_unit_reader(
        request.user, Unit.objects.filter(code=code, plans=plan).first()
    )
    form, as_of = _as_of(request)
    found = assessment_results(plan=plan, as_of=as_of)
    row = next((r for r in found.rows if r.unit.pk == shown.pk), None)
    return render(
        request,
        "assessment/unit.html",
        {
            "plan": plan,
            "form": form,
            "as_of": as_of,
            "unit": shown,
            "row": row,
            "assessment": found,
            "group": next((g for g in found.groups if row and g.name == row.group), None),
        },
    )


def _download(request, slug, what: str, make, content_type: str):
    require_assessment_reader(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    _form, as_of = _as_of(request)
    content = make(assessment_results(plan=plan, as_of=as_of))
    audit_record(
        actor=request.user,
        event="assessment.exported",
        after={"what": what, "plan": plan.slug, "as_of": as_of.isoformat()},
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"{plan.slug}-assessment-{as_of}.{what}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export_xlsx(request, slug):
    return _download(request, slug, "xlsx", exports.assessment_xlsx, XLSX_CONTENT_TYPE)


@require_GET
def export_docx(request, slug):
    return _download(request, slug, "docx", exports.assessment_docx, DOCX_CONTENT_TYPE)
