"""本部门工作节点 and a step's page: the federation's own steps, marked done, undone, dated.

Department staff and leaders read (unit users and the three administrators get 403; another
federation's plan or step is a 404); the staff of a step's responsible departments act on it.
A refused post shows the step's page again with everything as typed and each reason beside its
input (nothing is saved then).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common import clock
from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import can_act_on_step, require_step_reader
from orgs.models import User
from plans.selectors import plan_get
from supervision import selectors, services
from supervision.forms import StepCompleteForm, StepFilterForm, StepScheduleForm, StepUndoForm

NOT_RESPONSIBLE = "只有该工作节点责任部门的工作人员可以办理"
FILE_DROPPED = "文件「{name}」未上传：请先改正上面的内容，再重新选择文件。"


@require_GET
def step_list(request, slug):
    require_step_reader(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    departments = selectors.plan_departments(plan=plan)
    own = request.user.department_id if request.user.role == User.Role.DEPARTMENT_STAFF else None
    form = StepFilterForm(request.GET or None, departments=departments, initial={"department": own})
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or clock.today()
    # Staff open their own department's steps; choosing 全部部门 sends an empty department.
    department = data.get("department") if "department" in request.GET else own
    rows, counts = selectors.step_rows(
        plan=plan, as_of=as_of, department_id=department, state=data.get("state") or ""
    )
    context = {
        "plan": plan,
        "form": form,
        "as_of": as_of,
        "rows": rows,
        "counts": counts,
        "department": next((d for d in departments if d.pk == department), None),
        "own": department is not None and department == own,
    }
    return render(request, "supervision/steps.html", context)


def _step(request, slug, pk):
    require_step_reader(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    return plan, selectors.step_get(plan=plan, pk=pk, as_of=clock.today())


def _require_acting(user, step) -> None:
    if not can_act_on_step(user, set(step.department_ids)):
        raise PermissionDenied(NOT_RESPONSIBLE)


def _step_page(request, plan, step, **forms):
    """The step, its times and history; for its departments' staff, the forms (fresh, or one
    bound to a refused post)."""
    open_dues = [o.due for o in step.occurrences if o.completion is None]
    complete = forms.get("complete") or StepCompleteForm(
        initial={"due_date": next(iter(open_dues), None), "done_on": clock.today()}
    )
    context = {
        "plan": plan,
        "step": step,
        "rule": step.rule_text,
        "undone": selectors.step_undone(milestone=step.milestone),
        "can_act": can_act_on_step(request.user, set(step.department_ids)),
        "open_dues": open_dues,
        "complete_form": complete,
        "schedule_form": forms.get("schedule")
        or StepScheduleForm(initial={"due_date": step.schedule and step.schedule.due_date}),
        "undo_form": forms.get("undo") or StepUndoForm(),
        "undo_pk": forms.get("undo_pk"),
        "today": clock.today(),
    }
    return render(request, "supervision/step.html", context)


@require_GET
def step_detail(request, slug, pk):
    plan, step = _step(request, slug, pk)
    return _step_page(request, plan, step)


@require_POST
def step_complete(request, slug, pk):
    plan, step = _step(request, slug, pk)
    _require_acting(request.user, step)
    form = StepCompleteForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.step_complete(
                milestone=step.milestone,
                actor=request.user,
                due_date=data["due_date"],
                done_on=data["done_on"],
                note=data["note"],
                record_pk=data["record"],
                names=data["names"],
                file=data["file"],
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已标记「{step.milestone.title}」完成。")
            return redirect("supervision:step", slug=plan.slug, pk=pk)
    chosen = request.FILES.get("file")
    if chosen is not None and "file" not in form.errors:
        form.add_error("file", FILE_DROPPED.format(name=chosen.name))
    return _step_page(request, plan, step, complete=form)


@require_POST
def step_schedule(request, slug, pk):
    plan, step = _step(request, slug, pk)
    _require_acting(request.user, step)
    form = StepScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.step_schedule(
                milestone=step.milestone, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已确定「{step.milestone.title}」的日期。")
            return redirect("supervision:step", slug=plan.slug, pk=pk)
    return _step_page(request, plan, step, schedule=form)


@require_POST
def completion_undo(request, pk):
    require_step_reader(request.user)
    completion = selectors.completion_get(actor=request.user, pk=pk)
    plan = completion.milestone.programme.plan
    step = selectors.step_get(plan=plan, pk=completion.milestone_id, as_of=clock.today())
    _require_acting(request.user, step)
    form = StepUndoForm(request.POST)
    if form.is_valid():
        try:
            services.step_undo(
                completion=completion, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已撤销截止 {completion.due_date} 一次的完成标记。")
            return redirect("supervision:step", slug=plan.slug, pk=step.milestone.pk)
    return _step_page(request, plan, step, undo=form, undo_pk=completion.pk)


@require_GET
def completion_file(request, pk):
    """The completion's file; an image or a PDF is shown in the page with `?inline=1`."""
    require_step_reader(request.user)
    evidence = selectors.completion_file_get(actor=request.user, pk=pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )
