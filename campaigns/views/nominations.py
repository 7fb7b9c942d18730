"""评选 pages: a plan's campaigns, a campaign's page, a unit's nominations (create, edit, files,
steps) and the department's eligibility checks.

Another unit's or federation's nomination is a 404; a step the reader's role may not take is a
403; a refused post shows the page again with what was typed and the reason beside it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.describe import nominators_text
from campaigns.forms import MaterialForm, NominationForm, ScorerForm, StepForm
from campaigns.selectors import campaigns as selectors
from campaigns.selectors.scoring import results as scoring_results
from campaigns.services import nominations as services
from campaigns.services.nominations import may_nominate, unit_limit
from campaigns.steps import (
    NOMINATION,
    STEPS,
    close_refusal,
    scoring_refusal,
    timeline_warnings,
    window_closed,
)
from common import clock
from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import (
    can_edit_report,
    can_run_campaign,
    can_see_all_scores,
    require_business_user,
)
from plans.selectors import plan_get
from reporting import workflow

NO_ROWS = "本单位没有可推荐的已审核记录（已推荐的不能重复推荐）。"
FILES_DROPPED = "所选文件未上传：请先改正上面的内容，再重新选择文件。"


@require_GET
def campaign_list(request, slug):
    require_business_user(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    campaigns = selectors.campaign_list(actor=request.user, plan=plan, today=clock.today())
    return render(request, "campaigns/list.html", {"plan": plan, "campaigns": campaigns})


def _visible_results(user, campaign, departments):
    """The combined results the reader may see: all, for the running department and leaders
    (also while scoring runs); after scoring closes, all for the federation's other readers and
    a unit's own nominees for a unit user; else (and for a campaign without a rubric, where
    nobody scores) none."""
    if campaign.rubric_id is None:
        return None
    if can_see_all_scores(user, departments):
        return scoring_results(campaign)
    if campaign.scoring_closed_at is None:
        return None
    rows = scoring_results(campaign)
    if user.is_unit_user:
        rows = [r for r in rows if r.nomination.unit_id == user.unit_id]
    return rows


@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    return _campaign_page(request, campaign)


def _campaign_page(request, campaign, *, scorer_form=None):
    user, today = request.user, clock.today()
    departments = selectors.department_ids(campaign)
    runs = can_run_campaign(user, departments)
    context = {
        "campaign": campaign,
        "plan": campaign.plan,
        "criteria": list(campaign.rubric.criteria.all()) if campaign.rubric_id else [],
        "nominations": selectors.nomination_list(actor=user, campaign=campaign),
        "window_closed": window_closed(campaign, today),
        "scoring_refusal": scoring_refusal(campaign, today),
        "nominators": nominators_text(campaign.nominators, campaign.plan),
        "runs": runs,
        "results": _visible_results(user, campaign, departments),
        "is_scorer": selectors.is_scorer(campaign=campaign, user=user),
        "step_actions": {a: STEPS[a] for a in ("admit", "refuse", "return")} if runs else {},
    }
    if user.is_unit_user:
        context["may_nominate"] = may_nominate(campaign, user.unit)
        context["limit"] = unit_limit(campaign, user.unit_id)
    if runs:
        context["close_refusal"] = close_refusal(campaign, today)
        context["timeline_warnings"] = timeline_warnings(campaign, today)
        context["seats"] = selectors.scorer_seats(campaign=campaign)
        context["scorer_form"] = scorer_form or ScorerForm(
            candidates=selectors.scorer_candidates(campaign=campaign)
        )
    return render(request, "campaigns/campaign.html", context)


def _nomination_form(campaign, user, data=None, *, keep=None, **kwargs):
    records = selectors.eligible_records(campaign=campaign, unit_id=user.unit_id, keep=keep)
    return NominationForm(data, records=records, label=selectors.record_label, **kwargs)


def _record(campaign, record_id):
    if record_id is None:
        return None
    return campaign.form.records.filter(pk=record_id).first() if campaign.form_id else None


@require_http_methods(["GET", "POST"])
def nomination_create(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    if not request.user.is_unit_user:
        raise PermissionDenied("推荐由各单位的填报员或负责人填写")
    form = _nomination_form(campaign, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                campaign=campaign,
                actor=request.user,
                name=data["name"],
                description=data["description"],
                record=_record(campaign, data["record"]),
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            then = "请上传申报材料后提交" if campaign.materials else "请提交单位负责人推荐"
            messages.success(request, f"已保存推荐对象「{nomination.name}」，{then}。")
            return redirect("campaigns:nomination", pk=nomination.pk)
    context = {"campaign": campaign, "plan": campaign.plan, "form": form}
    if campaign.form_id and len(form.fields["record"].choices) <= 1:
        context["no_rows"] = NO_ROWS
    return render(request, "campaigns/nomination_form.html", context)


@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = selectors.nomination_get(actor=request.user, pk=pk)
    if not can_edit_report(request.user, nomination.unit_id):
        raise PermissionDenied("推荐由本单位的填报员或负责人修改")
    campaign = nomination.campaign
    initial = {
        "name": nomination.name,
        "description": nomination.description,
        "record": nomination.record_id,
        "version": nomination.version,
    }
    data = request.POST if request.method == "POST" else None
    form = _nomination_form(
        campaign, request.user, data, keep=nomination.record_id, initial=initial
    )
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.nomination_update(
                nomination=nomination,
                actor=request.user,
                name=cleaned["name"],
                description=cleaned["description"],
                record=_record(campaign, cleaned["record"]),
                version=cleaned["version"] or 0,
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("campaigns:nomination", pk=nomination.pk)
    context = {"campaign": campaign, "plan": campaign.plan, "form": form, "nomination": nomination}
    return render(request, "campaigns/nomination_form.html", context)


def _nomination_page(request, nomination, *, step_form=None, step=None, material_form=None):
    today = clock.today()
    campaign = nomination.campaign
    actions = workflow.actions_for(request.user, nomination, NOMINATION, today=today)
    files = list(nomination.evidence.all())
    materials = [
        {**m, "files": [f for f in files if f.field_code == m.get("code")]}
        for m in campaign.materials or []
    ]
    context = {
        "nomination": nomination,
        "campaign": campaign,
        "plan": campaign.plan,
        "actions": actions,
        "materials": materials,
        "can_edit": workflow.can_edit(request.user, nomination, NOMINATION, today=today)
        and not window_closed(campaign, today),
        "step_form": step_form,
        "failed_step": step,
        "material_form": material_form or MaterialForm(materials=campaign.materials or []),
        "history": selectors.nomination_history(nomination=nomination),
    }
    return render(request, "campaigns/nomination.html", context)


@require_GET
def nomination_detail(request, pk):
    nomination = selectors.nomination_get(actor=request.user, pk=pk)
    return _nomination_page(request, nomination)


@require_POST
def nomination_files(request, pk):
    nomination = selectors.nomination_get(actor=request.user, pk=pk)
    if not can_edit_report(request.user, nomination.unit_id):
        raise PermissionDenied("申报材料由本单位的填报员或负责人上传")
    form = MaterialForm(request.POST, materials=nomination.campaign.materials or [])
    if form.is_valid():
        try:
            services.nomination_files_add(
                nomination=nomination,
                actor=request.user,
                material=form.cleaned_data["material"],
                files=request.FILES.getlist("files"),
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, "已上传申报材料。")
            return redirect("campaigns:nomination", pk=nomination.pk)
    return _nomination_page(request, nomination, material_form=form)


@require_GET
def nomination_file(request, pk):
    """A file of a nomination; an image or a PDF is shown in the page with `?inline=1`."""
    evidence = selectors.nomination_file_get(actor=request.user, pk=pk)
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@require_POST
def nomination_file_remove(request, pk):
    evidence = selectors.nomination_file_get(actor=request.user, pk=pk)
    nomination = selectors.nomination_get(actor=request.user, pk=evidence.owner_id)
    if not can_edit_report(request.user, nomination.unit_id):
        raise PermissionDenied("申报材料由本单位的填报员或负责人删除")
    try:
        services.nomination_file_remove(
            nomination=nomination, actor=request.user, evidence=evidence
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除「{evidence.original_name}」。")
    return redirect("campaigns:nomination", pk=nomination.pk)


@require_POST
def nomination_step(request, pk, action):
    nomination = selectors.nomination_get(actor=request.user, pk=pk)
    step = STEPS.get(action)
    if step is None:
        raise PermissionDenied("没有这一步操作")
    if not NOMINATION.includes(step.party, request.user, nomination):
        raise PermissionDenied(f"您不能对该推荐对象执行「{step.label}」")
    form = StepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.nomination_step(
                nomination=nomination,
                action=action,
                actor=request.user,
                reason=data["reason"],
                version=data["version"],
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, step.done.format(n=f"「{nomination.name}」"))
            if request.POST.get("back") == "campaign":
                return redirect("campaigns:campaign", pk=nomination.campaign_id)
            return redirect("campaigns:nomination", pk=nomination.pk)
    return _nomination_page(request, nomination, step_form=form, step=action)
