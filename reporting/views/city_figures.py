"""市总统计: figures the federation counts itself, entered by the responsible department.

Department staff and leaders see them (leaders read-only); unit users and the three
administrators get 403, like the dashboards. A refused entry shows the indicator's page again
with everything as typed and the reason beside its input (nothing is saved then).
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common import clock
from common.errors import ServiceError
from evidence.services import evidence_path
from evidence.serving import file_response
from orgs.access import can_review_programme, require_role
from orgs.models import User
from plans.levels import plan_level
from plans.selectors import plan_get
from reporting import selectors, services
from reporting.forms import CityFigureForm, VersionForm
from reporting.models import CityFigure

READERS = (User.Role.DEPARTMENT_STAFF, User.Role.LEADER)


def _date_bounds(plan) -> dict:
    """The form's 数据截至: within the plan's year, by default (and at latest) today, or the
    plan's last day once its year is over."""
    return {
        "today": min(clock.today(), dt.date(plan.year, 12, 31)),
        "year_start": dt.date(plan.year, 1, 1),
    }


def _may_enter(user, indicator) -> bool:
    return can_review_programme(user, {d.pk for d in indicator.programme.departments.all()})


@require_GET
def city_figure_list(request, slug):
    require_role(request.user, *READERS)
    plan = plan_get(slug=slug, actor=request.user)
    rows = selectors.city_figure_list(plan=plan, user=request.user)
    context = {
        "plan": plan,
        "rows": rows,
        **_date_bounds(plan),
    }
    return render(request, "reporting/city_figures.html", context)


def _history_page(request, plan, indicator, history, *, form=None, correcting=None, file_error=""):
    """The indicator's entries and, for its department, the entry form: fresh (a new figure,
    or the correction of `correcting`), or bound to a refused post."""
    bounds = _date_bounds(plan)
    if form is None:
        form = CityFigureForm(indicator=indicator, day=bounds["today"], correcting=correcting)
    context = {
        "plan": plan,
        "indicator": indicator,
        "history": history,
        "can_enter": _may_enter(request.user, indicator),
        "correcting": correcting,
        "form": form,
        "file_error": file_error,
        **bounds,
    }
    return render(request, "reporting/city_figure.html", context)


def _current(history, match) -> CityFigure | None:
    """The entry being corrected: the first of `history` that `match` picks and still counts."""
    return next((f for f in history if not f.withdrawn_at and match(f)), None)


@require_GET
def city_figure_history(request, slug, code):
    require_role(request.user, *READERS)
    plan = plan_get(slug=slug, actor=request.user)
    indicator = selectors.city_indicator_get(plan=plan, code=code)
    history = selectors.city_figure_history(indicator=indicator)
    # The 更正 link names the entry.
    correcting = _current(history, lambda f: str(f.pk) == request.GET.get("correct"))
    return _history_page(request, plan, indicator, history, correcting=correcting)


@require_POST
def city_figure_enter(request, slug, code):
    require_role(request.user, *READERS)
    plan = plan_get(slug=slug, actor=request.user)
    indicator = selectors.city_indicator_get(plan=plan, code=code)
    if not _may_enter(request.user, indicator):
        counted = f"{plan_level(plan).federation}统计数"  # 市总统计数
        raise PermissionDenied(f"只有该专案责任部门的工作人员可以录入{counted}")
    form = CityFigureForm(request.POST, indicator=indicator)
    evidence = request.FILES.get("evidence")
    file_error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            figure = services.city_figure_enter(
                indicator=indicator,
                actor=request.user,
                period_end=data["period_end"],
                raw_value=data["value"],
                note=data["note"],
                explanation=data["explanation"],
                version=data["version"] or 0,
                evidence=evidence,
            )
        except ServiceError as exc:
            if getattr(exc, "field", None) == "evidence":
                file_error = exc.message
            else:
                form.show_refusal(exc)
        else:
            messages.success(
                request, f"已录入「{indicator.name}」截至 {figure.period_end} 的数据。"
            )
            return redirect("reporting:city_figure_history", slug=plan.slug, code=indicator.code)
    if evidence is not None and not file_error:
        # A browser cannot keep a chosen file across pages: say so rather than drop it quietly.
        file_error = f"文件「{evidence.name}」未上传：请先改正上面的内容，再重新选择文件。"
    history = selectors.city_figure_history(indicator=indicator)
    # A refused correction comes back as one: its version and date are in the post.
    version, day = form.data.get("version"), form.data.get("period_end")
    correcting = _current(
        history, lambda f: str(f.version) == version and f.period_end.isoformat() == day
    )
    return _history_page(
        request, plan, indicator, history, form=form, correcting=correcting, file_error=file_error
    )


@require_GET
def city_figure_evidence(request, pk):
    require_role(request.user, *READERS)
    figure = selectors.city_figure_get(pk=pk, actor=request.user)
    evidence = services.city_figure_file(figure)
    if evidence is None:
        raise Http404("文件不存在")
    return file_response(
        evidence_path(evidence),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@require_POST
def city_figure_withdraw(request, pk):
    require_role(request.user, *READERS)
    figure = selectors.city_figure_get(pk=pk, actor=request.user)
    indicator = figure.indicator
    if not _may_enter(request.user, indicator):
        counted = f"{plan_level(indicator.plan).federation}统计数"
        raise PermissionDenied(f"只有该专案责任部门的工作人员可以撤销{counted}")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请刷新页面后再试。")
    else:
        try:
            services.city_figure_withdraw(
                figure=figure, actor=request.user, version=form.cleaned_data["version"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已撤销截至 {figure.period_end} 的数据。")
    return redirect("reporting:city_figure_history", slug=indicator.plan.slug, code=indicator.code)
