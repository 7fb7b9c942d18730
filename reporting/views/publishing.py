"""Publishing a draft plan from its overview."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.errors import ServiceError
from orgs.access import require_plan_author
from plans.selectors import plan_get
from reporting.services.publishing import plan_publish as publish


@require_http_methods(["GET", "POST"])
def plan_publish(request, slug):
    """GET: what publishing will do, to confirm; POST: publish."""
    require_plan_author(request.user)
    plan = plan_get(slug=slug, actor=request.user)
    if request.method == "GET":
        context = {
            "plan": plan,
            "units": plan.units.count(),
            "programmes": plan.programmes.count(),
            "indicators": plan.indicators.count(),
        }
        return render(request, "reporting/plan_publish.html", context)
    try:
        result = publish(plan=plan, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        made = result.counts.get("obligation.created", 0)
        messages.success(request, f"方案已发布，已为各单位生成 {made} 项报送任务。")
    return redirect("plans:overview", slug=plan.slug)
