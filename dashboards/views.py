from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.services import audit_record
from common import clock
from common.excel import XLSX_CONTENT_TYPE
from common.partials import render_panel
from dashboards import exports, selectors, tasks
from dashboards.bulletin import bulletin_docx
from dashboards.federation_steps import overview_steps
from dashboards.forms import AsOfForm, RankingForm
from dashboards.selectors import PlanFigures
from dashboards.selectors.ranking_groups import ranking_group_choose
from jobs.models import Job
from jobs.services import job_enqueue
from orgs.access import require_role
from orgs.models import Unit, User
from plans.ranking_groups import ALL
from plans.selectors import derived_plans, milestone_rule, parent_plan, plan_get
from plans.timeline import build_timeline
from records.selectors.rules import unit_rules_broken
from reporting.warning_levels import due_soon_workdays
from supervision.notice_selectors import overdue_count

DASHBOARD_ROLES = (User.Role.DEPARTMENT_STAFF, User.Role.LEADER)
MATRIX_PAGE_SIZE = 100  # units per page of a programme's matrix
RANKING_PAGE_SIZE = 100  # units per page of the ranking (ranked all together, shown by pages)


def _context(request, slug, form_class=AsOfForm):
    """The plan, the as-of date (数据截至; default: today) and the programme filter."""
    require_role(request.user, *DASHBOARD_ROLES)
    plan = plan_get(slug=slug, actor=request.user)
    form = form_class(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    as_of = cleaned.get("as_of") or clock.today()
    programme = cleaned.get("programme")
    if programme and not plan.programmes.filter(number=programme).exists():
        raise Http404("没有这个专案")
    return plan, as_of, programme, form


def _query(request, as_of) -> str:
    """The page's query for the links it draws, with the date it shows (a later one asked for
    reads as today)."""
    query = request.GET.copy()
    if "as_of" in query:
        query["as_of"] = as_of.isoformat()
    return query.urlencode()


@require_GET
def overview(request, slug):
    plan, as_of, _programme, form = _context(request, slug)
    # A department's home warns about the programmes it is responsible for.
    department = (
        request.user.department_id if request.user.role == User.Role.DEPARTMENT_STAFF else None
    )
    figures = PlanFigures(plan, as_of, department_id=department)
    data, warnings = figures.overview, figures.warnings
    # Rows of figures the federation counts itself link to where the department enters them.
    entry_programmes = set(
        plan.programmes.filter(departments=department).values_list("pk", flat=True)
        if department
        else ()
    )
    return render(
        request,
        "dashboards/overview.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "overview": data,
            "warnings": warnings[:10],
            "warning_count": len(warnings),
            # 黄牌 / 红牌: the units with the most red cards first.
            "cards": figures.cards[:10],
            "card_units": len(figures.cards),
            # 市总工作节点: the overdue steps the federation carries out itself (supervision).
            "steps": overview_steps(figures, department_id=department),
            # 督办: the notices not signed or answered in time (supervision), for the leaders.
            "notices_overdue": overdue_count(plan=plan, today=clock.today()),
            "entry_programmes": entry_programmes,
            # A department's home counts only the programmes it is responsible for.
            "department_only": department is not None,
            "margin": figures.margins[0],
            "query": _query(request, as_of),
            "parent": parent_plan(plan=plan, actor=request.user),
            "derived": sorted(
                derived_plans(plan=plan, actor=request.user).values(), key=lambda p: p.issuer_id
            ),
        },
    )


@require_GET
def matrix(request, slug, number):
    plan, as_of, _programme, form = _context(request, slug)
    data = PlanFigures(plan, as_of).matrix(number)
    # A page of rows at a time: a thousand units' rows were 577 KB of HTML (docs/benchmarks.md).
    rows = Paginator(data.rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/matrix.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "matrix": data,
            "page": rows,
            "query": _query(request, as_of),
            # A row of a unit that carries the plan out in a plan of its own drills into it.
            "derived": derived_plans(plan=plan, actor=request.user),
        },
    )


@require_GET
def cell_history(request, slug, number, code):
    """A unit's reports for one programme as at the page's date: what lies behind a matrix row."""
    plan, as_of, _programme, _form = _context(request, slug)
    unit = get_object_or_404(Unit, code=code, plans=plan)
    rows = PlanFigures(plan, as_of).unit_reports(number, unit)
    return render_panel(
        request,
        "dashboards/_partials/cell_history.html",
        {"unit": unit, "rows": rows, "as_of": as_of, "plan": plan},
        title=f"{unit.short_name or unit.name} · 专案{number}填报记录",
    )


@require_GET
def ranking(request, slug):
    plan, as_of, programme, form = _context(request, slug, RankingForm)
    figures = PlanFigures(plan, as_of, programme=programme)
    rows, groups = figures.ranking, figures.ranking_groups
    # A plan of ranking groups shows one group (the first by default) or 全部.
    asked = form.cleaned_data.get("group", "") if form.is_bound else ""
    choice = ranking_group_choose(groups=groups, asked=asked)
    shown = choice.group.rows if choice.group else rows
    return render(
        request,
        "dashboards/ranking.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "rows": shown,
            # A page of rows at a time: a thousand units' rows were 97 KB of HTML, and most of
            # the page's time (docs/benchmarks.md). The ranks are of all of them.
            "page": Paginator(shown, RANKING_PAGE_SIZE).get_page(request.GET.get("page")),
            "group": choice.group,
            "group_notice": choice.notice,
            # Kept when the date or the programme changes.
            "kept_group": choice.group.name if choice.group else (ALL if groups else ""),
            "group_tabs": _group_tabs(request, as_of, groups, choice.group),
            "programme": programme,
            "programmes": plan.programmes.all(),
            "query": _query(request, as_of),
        },
    )


def _group_tabs(request, as_of, groups, shown) -> list[tuple[str, str, bool]]:
    """(name, query, shown) of each ranking group's tab and of 全部; [] for no groups."""
    if not groups:
        return []
    tabs = []
    for name in [*(g.name for g in groups), ALL]:
        query = request.GET.copy()
        query["as_of"], query["group"] = as_of.isoformat(), name
        query.pop("page", None)  # another group starts at its first page
        tabs.append((name, query.urlencode(), name == (shown.name if shown else ALL)))
    return tabs


@require_GET
def timeliness(request, slug):
    plan, as_of, programme, form = _context(request, slug)
    by_unit = PlanFigures(plan, as_of, programme=programme).timeliness
    units = Unit.objects.filter(pk__in=by_unit).order_by("order")
    rows = [(unit, by_unit[unit.pk]) for unit in units]
    total = selectors.Timeliness(
        sum(t.expected for _, t in rows),
        sum(t.received for _, t in rows),
        sum(t.on_time for _, t in rows),
    )
    return render(
        request,
        "dashboards/timeliness.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "rows": rows,
            "total": total,
            "programme": programme,
            "programmes": plan.programmes.all(),
            "query": _query(request, as_of),
        },
    )


@require_GET
def milestones(request, slug):
    plan, as_of, _programme, form = _context(request, slug)
    states = PlanFigures(plan, as_of).milestones
    timeline = build_timeline(
        [
            (
                f"{s.milestone.programme.number}. {s.milestone.title}",
                s.state,
                milestone_rule(s.milestone),
            )
            for s in states
        ],
        plan.year,
    )
    return render(
        request,
        "dashboards/milestones.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "states": states,
            "timeline": timeline,
            "query": _query(request, as_of),
        },
    )


@require_GET
def warnings(request, slug):
    plan, as_of, _programme, form = _context(request, slug)
    figures = PlanFigures(plan, as_of)
    return render(
        request,
        "dashboards/warnings.html",
        {
            "plan": plan,
            "as_of": as_of,
            "form": form,
            "margin": figures.margins[0],
            "red_margin": figures.margins[1],
            "warnings": figures.warnings,
            # 黄牌 / 红牌 per unit: of what it owes by a date and of its progress.
            "cards": figures.cards,
            "due_soon_workdays": due_soon_workdays(plan),
            # Units not meeting the plan's rules per unit (每单位要求) as of the date.
            "rule_warnings": unit_rules_broken(plan=plan, as_of=as_of),
            "query": _query(request, as_of),
        },
    )


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(request, plan, as_of, what: str, content: bytes, filename: str, content_type: str):
    audit_record(
        actor=request.user,
        event="dashboards.exported",
        after={"what": what, "plan": plan.slug, "as_of": as_of.isoformat()},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export(request, slug, what):
    """Any dashboard table as .xlsx, as at the page's date."""
    plan, as_of, programme, _form = _context(request, slug)
    if what == "overview":
        content = exports.overview_xlsx(PlanFigures(plan, as_of).overview)
    elif what == "ranking":
        rows = PlanFigures(plan, as_of, programme=programme).ranking
        content = exports.ranking_xlsx(rows, plan, as_of, programme=programme)
    elif what == "timeliness":
        by_unit = PlanFigures(plan, as_of, programme=programme).timeliness
        units = Unit.objects.filter(pk__in=by_unit).order_by("order")
        content = exports.timeliness_xlsx(
            [(u, by_unit[u.pk]) for u in units], plan, as_of, programme=programme
        )
    elif what == "warnings":
        content = exports.warnings_xlsx(PlanFigures(plan, as_of).warnings, plan, as_of)
    elif what == "milestones":
        content = exports.milestones_xlsx(PlanFigures(plan, as_of).milestones, plan, as_of)
    else:
        raise Http404("没有这种导出")
    return _download(
        request, plan, as_of, what, content, f"{plan.slug}-{what}-{as_of}.xlsx", XLSX_CONTENT_TYPE
    )


@require_GET
def matrix_export(request, slug, number):
    plan, as_of, _programme, _form = _context(request, slug)
    matrix = PlanFigures(plan, as_of).matrix(number)
    return _download(
        request,
        plan,
        as_of,
        f"matrix-{number}",
        exports.matrix_xlsx(matrix, as_of),
        f"{plan.slug}-programme{number}-{as_of}.xlsx",
        XLSX_CONTENT_TYPE,
    )


@require_GET
def bulletin(request, slug):
    """通报 as a Word document generated from the figures as at the page's date."""
    plan, as_of, _programme, _form = _context(request, slug)
    return _download(
        request,
        plan,
        as_of,
        "bulletin",
        bulletin_docx(plan=plan, as_of=as_of),
        tasks.bulletin_filename(slug=plan.slug, as_of=as_of),
        DOCX_CONTENT_TYPE,
    )


@require_POST
def bulletin_start(request, slug):
    """生成通报 off the request: the same file as `bulletin`, made by a worker (jobs/). htmx
    gets the job's progress partial, which polls until the download link appears; a plain
    post goes to the job's page."""
    plan, as_of, _programme, _form = _context(request, slug)
    job = job_enqueue(
        actor=request.user,
        kind=Job.Kind.BULLETIN,
        task=tasks.bulletin_generate,
        plan=plan,
        params={"as_of": as_of.isoformat()},
    )
    if request.headers.get("HX-Request") == "true":
        return render(request, "jobs/_partials/job.html", {"job": job})
    return redirect("jobs:job", pk=job.pk)
