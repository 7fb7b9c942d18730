"""Drafting pages: the notice in, the review beside it, the plan out."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import ServiceError
from drafting import review, selectors, services
from drafting.forms import (
    ColumnsForm,
    HeaderForm,
    IndicatorForm,
    NoticeForm,
    ProgrammeForm,
    RowForm,
    StepForm,
    indicator_initial,
    step_initial,
)
from drafting.models import PlanDraft
from drafting.planfile import checks, plan_file_text
from orgs.access import require_plan_author
from plans.groups import default_groups

EDITABLE = PlanDraft.Status.REVIEWING


@require_http_methods(["GET", "POST"])
def draft_list(request):
    require_plan_author(request.user)
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(
                actor=request.user,
                notice=form.cleaned_data["notice"],
                name=form.cleaned_data["name"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("drafting:review", pk=draft.pk)
    drafts = selectors.draft_list(actor=request.user)
    return render(request, "drafting/list.html", {"form": form, "drafts": drafts})


def _review_url(draft, key: str = "") -> str:
    url = reverse("drafting:review", kwargs={"pk": draft.pk})
    return f"{url}#item-{key}" if key else url


@require_GET
def draft_review(request, pk):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    return _render_review(request, draft)


def _render_review(
    request, draft, *, header_form=None, error: str = "", error_key: str = "", status: int = 200
):
    blocks, anchors = selectors.notice_view(draft)
    problems, warnings = [], []
    if draft.status == EDITABLE:
        # The plan file is written and read once per page: it is the slowest part of it.
        checked = checks(draft)
        problems = services.blockers(draft, checked)
        warnings = services.column_warnings(draft) + checked[1]
    head = draft.content["plan"]
    header_form = header_form or HeaderForm(
        initial={k: head.get(k) for k in ("title", "slug", "year", "issued_on", "doc_number")}
    )
    context = {
        "draft": draft,
        "editable": draft.status == EDITABLE,
        "blocks": blocks,
        "anchors": anchors,
        "programmes": draft.content["programmes"],
        "units": draft.content.get("units", []),
        "counts": selectors.review_counts(draft),
        "problems": problems,
        "warnings": warnings,
        "header_form": header_form,
        "error": error,
        "error_key": error_key,
        "states": review.STATES,
        "comparators": dict(review.COMPARATOR_CHOICES),
    }
    return render(request, "drafting/review.html", context, status=status)


@require_POST
def draft_header(request, pk):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    form = HeaderForm(request.POST)
    if not form.is_valid():
        return _render_review(request, draft, header_form=form, status=200)
    values = {**form.cleaned_data, "issued_on": form.cleaned_data["issued_on"].isoformat()}
    try:
        services.draft_header_set(actor=request.user, draft=draft, values=values)
    except ServiceError as exc:
        return _render_review(request, draft, header_form=form, error=exc.message)
    return redirect(_review_url(draft))


@require_POST
def item_decide(request, pk, key):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in ("accept", "delete", "restore"):
        return _render_review(request, draft, error="无法识别的操作，请刷新页面后重试。")
    try:
        services.draft_item_decide(actor=request.user, draft=draft, key=key, action=action)
    except ServiceError as exc:
        # Said beside the item too: on a phone the top of the page is out of sight.
        return _render_review(request, draft, error=exc.message, error_key=key)
    return redirect(_review_url(draft, key))


@require_POST
def accept_rest(request, pk, key):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    try:
        draft, left = services.draft_accept_rest(actor=request.user, draft=draft, programme_key=key)
    except ServiceError as exc:
        return _render_review(request, draft, error=exc.message, error_key=key)
    if left:
        reasons = "；".join(reason for _key, reason in left)
        error = f"其余已确认，另有 {len(left)} 项须先处理：{reasons}"
        return _render_review(request, draft, error=error, error_key=key)
    return redirect(_review_url(draft, key))


def _departments_and_groups(draft):
    groups = [(g["code"], g["name"]) for g in default_groups()]
    return selectors.federation_departments(draft), groups


@require_http_methods(["GET", "POST"])
def item_edit(request, pk, key):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    found = review.find(draft.content, key)
    if found is None:
        raise Http404
    kind, item, programme = found
    departments, groups = _departments_and_groups(draft)
    data = request.POST if request.method == "POST" else None
    if kind == "indicator":
        form = IndicatorForm(data, initial=indicator_initial(item))
    elif kind == "milestone":
        form = StepForm(data, initial=step_initial(item), departments=departments)
    elif kind == "programme":
        form = ProgrammeForm(data, initial=item, groups=groups)
    else:
        raise Http404
    if request.method == "POST" and form.is_valid() and draft.status == EDITABLE:
        changes = form.values() if hasattr(form, "values") else form.cleaned_data
        try:
            services.draft_item_decide(
                actor=request.user, draft=draft, key=key, action="correct", changes=changes
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_review_url(draft, key))
    context = {"draft": draft, "form": form, "item": item, "kind": kind, "programme": programme}
    return render(request, "drafting/edit.html", context)


@require_http_methods(["GET", "POST"])
def item_add(request, pk, key, kind):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    found = review.find(draft.content, key)
    if found is None or found[0] != "programme" or kind not in ("indicator", "milestone"):
        raise Http404
    departments, _groups = _departments_and_groups(draft)
    data = request.POST if request.method == "POST" else None
    form = IndicatorForm(data) if kind == "indicator" else StepForm(data, departments=departments)
    if request.method == "POST" and form.is_valid() and draft.status == EDITABLE:
        try:
            draft = services.draft_item_add(
                actor=request.user, draft=draft, programme_key=key, kind=kind, values=form.values()
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_review_url(draft, key))
    context = {"draft": draft, "form": form, "item": None, "kind": kind, "programme": found[1]}
    return render(request, "drafting/edit.html", context)


@require_http_methods(["GET", "POST"])
def row_resolve(request, pk, key, row):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    found = review.find(draft.content, key)
    if found is None or found[0] != "table" or not 0 <= row < len(found[1]["rows"]):
        raise Http404
    table, entry = found[1], found[1]["rows"][row]
    units = selectors.federation_units(draft)
    form = RowForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid() and draft.status == EDITABLE:
        try:
            services.draft_row_resolve(
                actor=request.user, draft=draft, table_key=key, row=row,
                unit=form.cleaned_data["unit"], status=form.cleaned_data["status"],
                kind=form.cleaned_data.get("kind") or "",
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_review_url(draft, key))
    context = {"draft": draft, "form": form, "table": table, "row": entry, "number": row + 1}
    return render(request, "drafting/row.html", context)


@require_http_methods(["GET", "POST"])
def table_columns(request, pk, key):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    found = review.find(draft.content, key)
    if found is None or found[0] != "table":
        raise Http404
    _kind, table, programme = found
    form = ColumnsForm(request.POST or None, table=table, programme=programme)
    if request.method == "POST" and form.is_valid() and draft.status == EDITABLE:
        try:
            services.draft_table_columns(
                actor=request.user, draft=draft, table_key=key, columns=form.columns()
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_review_url(draft, key))
    context = {"draft": draft, "form": form, "table": table, "programme": programme}
    return render(request, "drafting/columns.html", context)


@require_GET
def plan_file(request, pk):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    response = HttpResponse(plan_file_text(draft), content_type="application/x-yaml; charset=utf-8")
    slug = draft.content["plan"].get("slug") or "draft"
    response["Content-Disposition"] = f'attachment; filename="{slug}.yaml"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def draft_generate(request, pk):
    require_plan_author(request.user)
    draft = selectors.draft_get(actor=request.user, pk=pk)
    try:
        plan = services.draft_generate(actor=request.user, draft=draft)
    except ServiceError as exc:
        return _render_review(request, draft, error=exc.message)
    return redirect("plans:overview", slug=plan.slug)
