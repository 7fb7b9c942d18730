from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from common import clock
from common.excel import XLSX_CONTENT_TYPE
from orgs.access import (
    is_federation_user,
    is_plan_author,
    require_business_user,
    require_federation_reader,
    require_unit_visible,
)
from orgs.models import User
from plans import extensions, selectors
from plans.consistency import consistency_check
from plans.exports import allocation_table_xlsx
from plans.groups import grouped
from plans.timeline import build_timeline

# The three administrators never land on business pages (三权分立).
ADMIN_HOMES = {
    User.Role.SYSTEM_ADMIN: "orgs:user_list",
    User.Role.SECURITY_ADMIN: "orgs:role_list",
    User.Role.AUDIT_ADMIN: "audit:entry_list",
}


@require_GET
def home(request):
    admin_home = ADMIN_HOMES.get(request.user.role)
    if admin_home:
        return redirect(admin_home)
    plan = selectors.plan_latest(actor=request.user)
    if plan is None:
        return render(request, "plans/no_plan.html")
    if request.user.is_unit_user:
        return redirect("reporting:todo")
    return redirect("dashboards:overview", slug=plan.slug)


@require_GET
def plan_list(request):
    require_business_user(request.user)
    plans = selectors.plan_list(actor=request.user)
    return render(request, "plans/plan_list.html", {"plans": plans})


@require_GET
def overview(request, slug):
    require_business_user(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    programmes = selectors.plan_programmes(plan=plan)
    groups = grouped(plan, programmes)
    context = {
        "plan": plan,
        "groups": groups,
        "parent": selectors.parent_plan(plan=plan, actor=request.user),
        "derived": sorted(
            selectors.derived_plans(plan=plan, actor=request.user).values(),
            key=lambda p: p.issuer_id,
        ),
    }
    return render(request, "plans/overview.html", context)


@require_GET
def programme(request, slug, number):
    require_business_user(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    programme = selectors.programme_get(plan=plan, number=number)
    layouts = [selectors.table_layout(t) for t in programme.tables.all()]
    milestones = [(m, selectors.milestone_rule(m)) for m in programme.milestones.all()]
    timeline = build_timeline([(m.title, m.actor, rule) for m, rule in milestones], plan.year)
    return render(
        request,
        "plans/programme.html",
        {
            "plan": plan,
            "programme": programme,
            "layouts": layouts,
            "milestones": milestones,
            "timeline": timeline,
            "forms": selectors.programme_forms(programme=programme),
            "panels": selectors.programme_panels(programme=programme),
            # The issuing federation's staff edit it while it runs (plans/edit_views.py).
            "can_edit": is_plan_author(request.user) and not plan.is_closed,
        },
    )


@require_GET
def unit_list(request, slug):
    require_federation_reader(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    counts = selectors.units_checklist_counts(plan=plan)
    units = [(u, counts.get(u.pk, 0)) for u in selectors.plan_units(plan=plan)]
    return render(request, "plans/unit_list.html", {"plan": plan, "units": units})


@require_GET
def unit_detail(request, slug, code):
    require_business_user(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    unit = require_unit_visible(request.user, plan.units.filter(code=code).first())
    checklist = selectors.unit_checklist(plan=plan, unit=unit)
    as_of = clock.today()
    return render(
        request,
        "plans/unit.html",
        {
            "plan": plan,
            "checklist": checklist,
            # The plan's rules per unit, judged as of today (records.selectors.rules).
            "rules": extensions.unit_rules(plan=plan, unit=unit, as_of=as_of),
            "as_of": as_of,
            "can_browse": is_federation_user(request.user),
        },
    )


@require_GET
def consistency(request, slug):
    require_federation_reader(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    findings = consistency_check(plan=plan)
    counts = [
        (label, css, sum(1 for f in findings if f.severity == severity))
        for severity, label, css in (
            ("error", "错误", "text-bg-danger"),
            ("warning", "警告", "text-bg-warning"),
            ("info", "提示", "text-bg-secondary"),
        )
    ]
    return render(
        request, "plans/consistency.html", {"plan": plan, "findings": findings, "counts": counts}
    )


@require_GET
def table_export(request, slug, code):
    require_business_user(request.user)
    plan = selectors.plan_get(slug=slug, actor=request.user)
    table = selectors.table_get(plan=plan, code=code)
    response = HttpResponse(allocation_table_xlsx(table=table), content_type=XLSX_CONTENT_TYPE)
    filename = f"{plan.slug}-{table.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
