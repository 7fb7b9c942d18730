"""评分 pages: the plan's rubrics, a unit's 评分自评, the department's list and scoring page,
the steps, the results (ranked within the plan's groups, as at a date) and their export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE
from evaluations import selectors, services
from evaluations.exports import results_xlsx
from evaluations.forms import AsOfForm, PointsForm, ReasonForm
from evaluations.kind import EVALUATION, EVENT_EXPORTED
from evaluations.models import Evaluation
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import require_business_user, require_evaluation_overseer, require_self_assessor
from plans.selectors import plan_get
from reporting import workflow


def _entries(sheet, form, *, own: bool, dept: bool) -> list[dict]:
    """Each row of the sheet with its inputs, where the reader types them."""
    typed = {x.criterion.pk for x in sheet.typed_lines}
    entries = []
    for line in sheet.lines:
        mine = line.criterion.pk in typed
        entry = {"line": line, "own": own and mine, "dept": dept and mine}
        if mine and (own or dept):
            entry["points"], entry["text"] = form.pair(line.criterion)
        entries.append(entry)
    return entries


@require_GET
def index(request, slug):
    require_business_user(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    rubrics = selectors.rubric_list(plan=plan)
    unit = request.user.unit if request.user.is_unit_user else None
    mine = [
        (rubric, selectors.evaluation_of(rubric=rubric, unit=unit))
        for rubric in rubrics
        if unit is not None and selectors.unit_in_scope(unit, rubric.evaluated)
    ]
    context = {"plan": plan, "rubrics": rubrics, "mine": mine}
    return render(request, "evaluations/index.html", context)


def _self_page(request, plan, rubric, evaluation, form=None, step_form=None):
    unit = request.user.unit
    sheet = selectors.evaluation_sheet(rubric=rubric, unit=unit, evaluation=evaluation)
    editable = evaluation is None or workflow.can_edit(request.user, evaluation, EVALUATION)
    if form is None:
        initial = {"version": evaluation.version if evaluation else None}
        for line in sheet.typed_lines:
            score = line.score
            initial[f"p_{line.criterion.pk}"] = score.self_points if score else None
            initial[f"n_{line.criterion.pk}"] = score.self_note if score else ""
        form = PointsForm(
            initial=initial, criteria=[x.criterion for x in sheet.typed_lines], text_label="说明"
        )
    # 提交 goes with the typed values (保存并提交, one form); other steps are forms of their own.
    probe = evaluation or Evaluation(rubric=rubric, unit=unit)
    actions = workflow.actions_for(request.user, probe, EVALUATION)
    can_submit = editable and any(a.action == "submit" for a in actions)
    actions = [a for a in actions if a.action != "submit"] if evaluation else []
    context = {
        "plan": plan,
        "rubric": rubric,
        "evaluation": evaluation,
        "sheet": sheet,
        "form": form,
        "editable": editable,
        "entries": _entries(sheet, form, own=editable, dept=False),
        "actions": actions,
        "can_submit": can_submit,
        "step_form": step_form or ReasonForm(),
        "show_department": evaluation is not None
        and evaluation.status in (workflow.Status.RETURNED, workflow.Status.APPROVED),
    }
    return render(request, "evaluations/self.html", context)


@require_http_methods(["GET", "POST"])
def self_assessment(request, slug, rubric):
    """评分自评: the unit's own evaluation against `rubric` (a unit outside its scope: 404)."""
    require_self_assessor(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    rubric = selectors.rubric_get(plan=plan, pk=rubric)
    unit = request.user.unit
    if not selectors.unit_in_scope(unit, rubric.evaluated):
        selectors.raise_404()
    evaluation = selectors.evaluation_of(rubric=rubric, unit=unit)
    if request.method == "GET":
        return _self_page(request, plan, rubric, evaluation)
    sheet = selectors.evaluation_sheet(rubric=rubric, unit=unit, evaluation=evaluation)
    form = PointsForm(
        request.POST, criteria=[x.criterion for x in sheet.typed_lines], text_label="说明"
    )
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            saved = services.evaluation_self_save(
                rubric=rubric,
                unit=unit,
                actor=request.user,
                values=form.values(),
                files=request.FILES.getlist("files"),
                version=form.cleaned_data["version"],
                submit=submit,
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            if submit:
                step = EVALUATION.transitions["submit"].worded(EVALUATION.level(saved))
                messages.success(request, "评分自评已保存。" + step.done.format(n="「评分自评」"))
            else:
                messages.success(request, "评分自评已保存。")
            return redirect("evaluations:self", slug=plan.slug, rubric=rubric.pk)
    return _self_page(request, plan, rubric, evaluation, form=form)


def _score_page(request, evaluation, form=None, step_form=None):
    sheet = selectors.evaluation_sheet(
        rubric=evaluation.rubric, unit=evaluation.unit, evaluation=evaluation
    )
    scoring = (
        evaluation.status == workflow.Status.CONFIRMED
        and EVALUATION.includes(workflow.Party.REVIEWER, request.user, evaluation)
        and not EVALUATION.frozen(evaluation)
    )
    actions = workflow.actions_for(request.user, evaluation, EVALUATION)
    # 审核通过 goes with the typed points (保存评分并审核通过, one form) while scoring.
    can_approve = scoring and any(a.action == "approve" for a in actions)
    if can_approve:
        actions = [a for a in actions if a.action != "approve"]
    if form is None:
        initial = {"version": evaluation.version}
        for line in sheet.typed_lines:
            score = line.score
            initial[f"p_{line.criterion.pk}"] = score.points if score else None
            initial[f"n_{line.criterion.pk}"] = score.comment if score else ""
        form = PointsForm(
            initial=initial, criteria=[x.criterion for x in sheet.typed_lines], text_label="意见"
        )
    context = {
        "evaluation": evaluation,
        "plan": evaluation.rubric.programme.plan,
        "rubric": evaluation.rubric,
        "sheet": sheet,
        "form": form,
        "scoring": scoring,
        "entries": _entries(sheet, form, own=False, dept=scoring),
        "show_department": True,
        "actions": actions,
        "can_approve": can_approve,
        "step_form": step_form or ReasonForm(),
    }
    return render(request, "evaluations/score.html", context)


@require_http_methods(["GET", "POST"])
def evaluation_detail(request, pk):
    """The department's scoring page; the unit's own people are sent to their 评分自评."""
    evaluation = selectors.evaluation_get(actor=request.user, pk=pk)
    if request.user.is_unit_user:
        plan = evaluation.rubric.programme.plan
        return redirect("evaluations:self", slug=plan.slug, rubric=evaluation.rubric_id)
    require_evaluation_overseer(request.user)
    if request.method == "GET":
        return _score_page(request, evaluation)
    if not EVALUATION.includes(workflow.Party.REVIEWER, request.user, evaluation):
        raise PermissionDenied("只有该专案责任部门的工作人员可以评分")
    sheet = selectors.evaluation_sheet(
        rubric=evaluation.rubric, unit=evaluation.unit, evaluation=evaluation
    )
    form = PointsForm(
        request.POST, criteria=[x.criterion for x in sheet.typed_lines], text_label="意见"
    )
    approve = request.POST.get("action") == "approve"
    if form.is_valid():
        try:
            saved = services.evaluation_score(
                evaluation=evaluation,
                actor=request.user,
                values=form.values(),
                version=form.cleaned_data["version"],
                approve=approve,
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            done = ""
            if approve:
                step = EVALUATION.transitions["approve"].worded(EVALUATION.level(saved))
                done = step.done.format(n="「评分自评」")
            messages.success(request, "评分已保存。" + done)
            return redirect("evaluations:evaluation", pk=evaluation.pk)
    return _score_page(request, evaluation, form=form)


def _step(action):
    @require_POST
    def view(request, pk):
        evaluation = selectors.evaluation_get(actor=request.user, pk=pk)
        step = EVALUATION.transitions[action]
        if not EVALUATION.includes(step.party, request.user, evaluation):
            raise PermissionDenied(f"您不能对该评分自评执行「{step.label}」")
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_move(
                    evaluation=evaluation,
                    action=action,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except ServiceError as exc:
                form.show_refusal(exc)
            else:
                level = EVALUATION.level(evaluation)
                done = step.worded(level).done.format(n="「评分自评」")
                messages.success(request, done)
                return redirect("evaluations:evaluation", pk=evaluation.pk)
        evaluation = selectors.evaluation_get(actor=request.user, pk=pk)
        if request.user.is_unit_user:
            plan = evaluation.rubric.programme.plan
            return _self_page(request, plan, evaluation.rubric, evaluation, step_form=form)
        return _score_page(request, evaluation, step_form=form)

    view.__name__ = f"evaluation_{action}"
    return view


evaluation_submit = _step("submit")
evaluation_confirm = _step("confirm")
evaluation_send_back = _step("send_back")
evaluation_approve = _step("approve")
evaluation_return = _step("return")
evaluation_reopen = _step("reopen")


@require_GET
def evaluation_list(request, slug, rubric):
    """The department's list: every evaluated unit's state and totals so far."""
    require_evaluation_overseer(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    rubric = selectors.rubric_get(plan=plan, pk=rubric)
    results = selectors.evaluation_results(plan=plan, rubric=rubric, as_of=clock.today())
    return render(request, "evaluations/list.html", {"plan": plan, "results": results})


def _results(request, slug, rubric):
    require_evaluation_overseer(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    rubric = selectors.rubric_get(plan=plan, pk=rubric)
    form = AsOfForm(request.GET or None)
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or clock.today()
    results = selectors.evaluation_results(plan=plan, rubric=rubric, as_of=as_of)
    return plan, form, as_of, results


@require_GET
def results(request, slug, rubric):
    plan, form, as_of, found = _results(request, slug, rubric)
    context = {
        "plan": plan,
        "form": form,
        "as_of": as_of,
        "results": found,
        # The state shown is today's: for another date the column says so (当前状态).
        "state_label": "状态" if as_of >= clock.today() else "当前状态",
    }
    return render(request, "evaluations/results.html", context)


@require_GET
def results_export(request, slug, rubric):
    plan, _form, as_of, found = _results(request, slug, rubric)
    audit_record(
        actor=request.user,
        event=EVENT_EXPORTED,
        target=found.rubric,
        after={"as_of": as_of.isoformat()},
    )
    response = HttpResponse(
        results_xlsx(plan=plan, results=found, as_of=as_of), content_type=XLSX_CONTENT_TYPE
    )
    filename = f"{plan.slug}-rubric-{found.rubric.pk}-{as_of.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def evaluation_file(request, pk):
    evidence = selectors.evaluation_file_get(actor=request.user, pk=pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )
