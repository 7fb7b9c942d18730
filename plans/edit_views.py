"""Pages of editing a plan in the browser: a programme's words, an indicator, a step, and an
allocation table's values in a grid (plans/editing/).

The issuing federation's department staff only (`orgs.access.require_plan_author`), on their
federation's plans (`plans.selectors.plan_get`: another federation's plan is a 404). Every
refusal shows the page again with what was typed, the reason beside its input; a change goes
back to the programme page, which says what was done, how the units' obligations followed
and what the consistency check now finds about the programme.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.errors import ServiceError
from orgs.access import require_plan_author
from plans import editing, selectors
from plans.edit_forms import GridForm, IndicatorForm, MilestoneForm, ProgrammeForm
from plans.levels import plan_level

# A refusal about the date rule is shown beside the dates.
FIELD_OF = {"when": "end", "per_unit_scope": "scope_kinds", "actor_scope": "scope_kinds"}
FINDINGS_SHOWN = 5


def _plan(request, slug):
    require_plan_author(request.user)
    return selectors.plan_get(slug=slug, actor=request.user)


def _programme_page(plan, number: int, anchor: str) -> str:
    return f"{reverse('plans:programme', args=[plan.slug, number])}#{anchor}"


def _saved(request, form, service, **objects) -> bool:
    """On a valid POST, call `service` (returning an EditResult) with the form's values; on
    a refusal put its reason on the form (beside its input when it names one) and say False."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        result = service(actor=request.user, values=form.values(), **objects)
    except editing.FieldRefused as exc:
        name = FIELD_OF.get(exc.field, exc.field)
        form.add_error(name if name in form.fields else None, exc.message)
        return False
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return False
    _said(request, result)
    return True


def _said(request, result: editing.EditResult) -> None:
    messages.success(request, result.message)
    for finding in result.findings[:FINDINGS_SHOWN]:
        messages.warning(request, f"一致性检查：{finding.message}")


def _page(request, template, plan, context):
    context = {"plan": plan, "level": plan_level(plan), "closed": plan.is_closed, **context}
    return render(request, template, context)


@never_cache
@require_http_methods(["GET", "POST"])
def programme_edit(request, slug, number):
    plan = _plan(request, slug)
    programme = selectors.programme_get(plan=plan, number=number)
    form = ProgrammeForm(
        request.POST or None, plan=plan, initial=ProgrammeForm.initial_of(programme)
    )
    if _saved(request, form, editing.programme_update, programme=programme):
        return redirect(_programme_page(plan, number, "top"))
    return _page(request, "plans/edit/programme.html", plan, {"programme": programme, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def indicator_add(request, slug, number):
    plan = _plan(request, slug)
    programme = selectors.programme_get(plan=plan, number=number)
    form = IndicatorForm(request.POST or None, plan=plan, programme=programme)
    if _saved(request, form, editing.indicator_add, programme=programme):
        return redirect(_programme_page(plan, number, "indicators"))
    context = {"programme": programme, "form": form, "indicator": None}
    return _page(request, "plans/edit/indicator.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug, code):
    plan = _plan(request, slug)
    indicator = selectors.indicator_get(plan=plan, code=code)
    programme = indicator.programme
    form = IndicatorForm(
        request.POST or None,
        plan=plan,
        programme=programme,
        indicator=indicator,
        initial=IndicatorForm.initial_of(indicator),
    )
    if _saved(request, form, editing.indicator_update, indicator=indicator):
        return redirect(_programme_page(plan, programme.number, f"indicator-{code}"))
    context = {"programme": programme, "form": form, "indicator": indicator}
    return _page(request, "plans/edit/indicator.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def indicator_delete(request, slug, code):
    plan = _plan(request, slug)
    indicator = selectors.indicator_get(plan=plan, code=code)
    number = indicator.programme.number
    error = ""
    if request.method == "POST":
        try:
            result = editing.indicator_delete(actor=request.user, indicator=indicator)
        except ServiceError as exc:
            error = exc.message
        else:
            _said(request, result)
            return redirect(_programme_page(plan, number, "indicators"))
    context = {
        "programme": indicator.programme,
        "what": f"指标「{indicator.name}」",
        "blockers": editing.indicator_delete_blockers(indicator=indicator),
        "error": error,
        "back": _programme_page(plan, number, f"indicator-{code}"),
    }
    return _page(request, "plans/edit/delete.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def milestone_add(request, slug, number):
    plan = _plan(request, slug)
    programme = selectors.programme_get(plan=plan, number=number)
    form = MilestoneForm(request.POST or None, plan=plan, initial={"actor": "units"})
    if _saved(request, form, editing.milestone_add, programme=programme):
        return redirect(_programme_page(plan, number, "steps"))
    context = {"programme": programme, "form": form, "milestone": None}
    return _page(request, "plans/edit/milestone.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def milestone_edit(request, slug, number, order):
    plan = _plan(request, slug)
    milestone = selectors.milestone_get(plan=plan, number=number, order=order)
    form = MilestoneForm(
        request.POST or None,
        plan=plan,
        milestone=milestone,
        initial=MilestoneForm.initial_of(milestone),
    )
    if _saved(request, form, editing.milestone_update, milestone=milestone):
        return redirect(_programme_page(plan, number, f"step-{order}"))
    context = {"programme": milestone.programme, "form": form, "milestone": milestone}
    return _page(request, "plans/edit/milestone.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def milestone_delete(request, slug, number, order):
    plan = _plan(request, slug)
    milestone = selectors.milestone_get(plan=plan, number=number, order=order)
    error = ""
    if request.method == "POST":
        try:
            result = editing.milestone_delete(actor=request.user, milestone=milestone)
        except ServiceError as exc:
            error = exc.message
        else:
            _said(request, result)
            return redirect(_programme_page(plan, number, "steps"))
    context = {
        "programme": milestone.programme,
        "what": f"时间节点「{milestone.title}」",
        "blockers": editing.milestone_delete_blockers(milestone=milestone),
        "error": error,
        "back": _programme_page(plan, number, f"step-{order}"),
    }
    return _page(request, "plans/edit/delete.html", plan, context)


@never_cache
@require_http_methods(["GET", "POST"])
def table_edit(request, slug, code):
    plan = _plan(request, slug)
    table = selectors.table_get(plan=plan, code=code)
    if request.method == "GET":
        grid = editing.table_grid(table=table)
        return _grid_page(request, plan, grid, preview=None, form=GridForm())
    form = GridForm(request.POST)
    form.is_valid()  # a missing fingerprint is an unconfirmed grid: shown with its preview
    grid = editing.table_grid(table=table, data=request.POST)
    if grid.sheet is None:
        return _grid_page(request, plan, grid, preview=None, form=form)
    if form.cleaned_data.get("confirm"):
        try:
            result = editing.allocation_table_edit(
                actor=request.user,
                table=table,
                grid=grid,
                fingerprint=form.cleaned_data.get("fingerprint") or "",
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
            table = selectors.table_get(plan=plan, code=code)  # as it stands now
            grid = editing.table_grid(table=table, data=request.POST)
        else:
            _said(request, result)
            return redirect(_programme_page(plan, table.programme.number, f"table-{code}"))
    preview = editing.table_grid_preview(grid=grid)
    return _grid_page(request, plan, grid, preview=preview, form=form)


def _grid_page(request, plan, grid, *, preview, form):
    """The grid with each input's typed text, problem, and (after a preview) its old value
    when it changes."""
    changed = {
        name: cell
        for (_row, names), row in zip(grid.rows, preview.rows if preview else [], strict=False)
        for name, cell in zip(names, row.cells, strict=True)
        if cell.state not in ("same", "blank")
    }

    def cells(names, label):
        return [
            {
                "name": name,
                "typed": grid.typed.get(name, ""),
                "problem": grid.problems.get(name, ""),
                "changed": changed.get(name),
                "label": f"{label} · {header}",
            }
            for name, header in zip(names, grid.headers, strict=True)
        ]

    context = {
        "programme": grid.table.programme,
        "grid": grid,
        "rows": [(row, cells(names, row.label)) for row, names in grid.rows],
        "totals": cells(grid.totals, "合计（印发）"),
        "preview": preview,
        "fingerprint": preview.fingerprint if preview is not None else "",
        "form": form,
    }
    return _page(request, "plans/edit/table.html", plan, context)
