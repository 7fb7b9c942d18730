"""评分 pages: the department assigns and removes scorers and closes scoring (on the campaign's
page); a scorer's page lists their nominees with a form per nominee (points per item and
comments), their own scores only, and never a nominee of their own unit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.forms import ScoreForm, ScorerForm
from campaigns.models import CampaignScorer
from campaigns.selectors import campaigns as selectors
from campaigns.services import scoring as services
from campaigns.views.nominations import _campaign_page
from common import clock
from common.errors import ServiceError
from orgs.access import require_campaign_runner
from orgs.models import User


@require_POST
def scorer_assign(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    require_campaign_runner(request.user, selectors.department_ids(campaign))
    candidates = selectors.scorer_candidates(campaign=campaign)
    form = ScorerForm(request.POST, candidates=candidates)
    if form.is_valid():
        user = next(u for u in candidates if u.pk == form.cleaned_data["user"])
        try:
            services.scorer_assign(campaign=campaign, actor=request.user, user=user)
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已指定{user.display_name or user.username}为评委。")
            return redirect("campaigns:campaign", pk=campaign.pk)
    return _campaign_page(request, campaign, scorer_form=form)


@require_POST
def scorer_unassign(request, pk):
    seat = get_object_or_404(CampaignScorer.objects.select_related("user"), pk=pk)
    campaign = selectors.campaign_get(actor=request.user, pk=seat.campaign_id)
    require_campaign_runner(request.user, selectors.department_ids(campaign))
    try:
        services.scorer_unassign(campaign=campaign, actor=request.user, seat=seat)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        name = seat.user.display_name or seat.user.username
        messages.success(request, f"已取消{name}的评委资格。")
    return redirect("campaigns:campaign", pk=campaign.pk)


@require_POST
def scoring_close(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    require_campaign_runner(request.user, selectors.department_ids(campaign))
    try:
        services.scoring_close(campaign=campaign, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "评分已结束，评选结果已生成。")
    return redirect("campaigns:campaign", pk=campaign.pk)


def _require_scorer(request, campaign) -> User:
    if not selectors.is_scorer(campaign=campaign, user=request.user):
        raise PermissionDenied("您不是本次评选的评委")
    return request.user


@require_http_methods(["GET", "POST"])
def score_sheet(request, pk):
    """GET: the scorer's nominees with their own points; POST: one nominee's points."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    scorer = _require_scorer(request, campaign)
    sheet = selectors.scoring_sheet(campaign=campaign, scorer=scorer, today=clock.today())
    bound = None
    if request.method == "POST":
        bound = ScoreForm(request.POST, items=sheet.items)
        row = _row(sheet, request.POST.get("nomination"))
        if bound.is_valid() and row is not None:
            try:
                services.score_save(
                    nomination=row.nomination,
                    actor=scorer,
                    points=bound.points(),
                    comments=bound.comments(),
                )
            except ServiceError as exc:
                bound.show_refusal(exc)
            else:
                messages.success(request, f"已保存对「{row.nomination.name}」的评分。")
                return redirect("campaigns:score", pk=campaign.pk)
        elif row is None:
            bound.add_error(None, "没有这个推荐对象。")
    forms = _forms(sheet, bound)
    for row in sheet.rows:
        row.form = forms.get(row.nomination.pk)
    # A refusal with no nominee's form to show it beside (one of the scorer's own unit).
    shown = bound is not None and any(f is bound for f in forms.values())
    error = "；".join(bound.non_field_errors()) if bound is not None and not shown else ""
    context = {
        "campaign": campaign,
        "plan": campaign.plan,
        "sheet": sheet,
        "error": error,
    }
    return render(request, "campaigns/score.html", context)


def _row(sheet, raw):
    return next((r for r in sheet.rows if str(r.nomination.pk) == str(raw)), None)


def _forms(sheet, bound):
    """A form per nominee the scorer may score: the posted one keeps what was typed."""
    forms = {}
    for row in sheet.rows:
        if row.conflict:
            continue
        if bound is not None and str(bound.data.get("nomination")) == str(row.nomination.pk):
            forms[row.nomination.pk] = bound
            continue
        initial = {"nomination": row.nomination.pk}
        for criterion_id, score in row.scores.items():
            initial[f"points_{criterion_id}"] = score.points
            initial[f"comment_{criterion_id}"] = score.comment
        forms[row.nomination.pk] = ScoreForm(items=sheet.items, initial=initial)
    return forms
