"""Reads for rubric scoring, each a fixed number of queries whatever the number of units.

Totals: a rubric's maximum is the sum of its sections' points (of its items' where it has no
sections); a section's row is the total of its items; an item tied to a figure
(`Criterion.auto`, basis completion) scores its points × min(1, the unit's official figure ÷
its allocation) as at a date, from reporting's as-of reader; a unit with no allocation of that
indicator has the item scored by hand. The final total is the department's total kept at
approval (`EvaluationResult`), counted from the approval until it is reopened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from common import clock
from evaluations.models import CriterionScore, Evaluation, EvaluationResult
from evidence.models import Evidence
from orgs.access import evaluation_scope
from orgs.models import Unit, User
from plans.models import Allocation, Criterion, Indicator, Plan, Rubric
from plans.ranking_groups import OTHER, ranking_group_names, ranking_group_of
from plans.selectors import unit_in_scope
from reporting.selectors import official_figures_as_of
from reporting.workflow import NEVER_SAVED, Status

ZERO = Decimal(0)
CENT = Decimal("0.01")
# States in which the department's total may be shown (once it has scored by hand, or
# approved): with the department, or back from it.
SCORED = frozenset({Status.CONFIRMED, Status.APPROVED, Status.RETURNED})


def rubric_list(*, plan: Plan) -> list[Rubric]:
    """The plan's rubrics that units are scored against (`evaluated:` in the plan file)."""
    rubrics = Rubric.objects.filter(programme__plan=plan).select_related("programme")
    return [r for r in rubrics if r.evaluated]


def rubric_get(*, plan: Plan, pk: int) -> Rubric:
    rubric = get_object_or_404(
        Rubric.objects.select_related("programme__plan").prefetch_related("programme__departments"),
        programme__plan=plan,
        pk=pk,
    )
    if not rubric.evaluated:
        raise_404()
    return rubric


def raise_404():
    raise Http404("没有找到该评分标准")


def evaluated_units(*, plan: Plan, rubric: Rubric) -> list[Unit]:
    units = plan.units.exclude(pk=plan.issuer_id).order_by("order", "pk")
    return [u for u in units if unit_in_scope(u, rubric.evaluated)]


def evaluation_get(*, actor: User, pk: int) -> Evaluation:
    """An evaluation `actor` may read; another unit's or federation's → 404."""
    return get_object_or_404(
        Evaluation.objects.filter(evaluation_scope(actor))
        .select_related("unit", "rubric__programme__plan")
        .prefetch_related("rubric__programme__departments"),
        pk=pk,
    )


def evaluation_of(*, rubric: Rubric, unit: Unit) -> Evaluation | None:
    return (
        Evaluation.objects.filter(rubric=rubric, unit=unit)
        .select_related("unit", "rubric__programme__plan")
        .prefetch_related("rubric__programme__departments")
        .first()
    )


def evaluation_file_get(*, actor: User, pk: int) -> Evidence:
    visible = Evaluation.objects.filter(evaluation_scope(actor)).values("pk")
    return get_object_or_404(
        Evidence.objects.of_kind(Evaluation).filter(owner_id__in=visible), pk=pk
    )


# -- the sheet: items, sections, auto points, totals -------------------------------------------


@dataclass(frozen=True)
class Auto:
    """An item's points from a figure: points × min(1, figure ÷ allocation)."""

    points: Decimal
    figure: Decimal
    allocation: Decimal
    indicator: str  # its name

    @property
    def basis(self) -> str:
        return (
            f"按完成率自动计分：{self.indicator} 完成 {_plain(self.figure)}"
            f" / 分配 {_plain(self.allocation)}"
        )


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def is_typed(criterion: Criterion, criteria: list[Criterion]) -> bool:
    """An item, or a section with no items: what is scored (sections total their items)."""
    if not criterion.is_section:
        return True
    return not any(c.code.startswith(f"{criterion.code}.") for c in criteria)


def rubric_maximum(criteria: list[Criterion]) -> Decimal:
    sections = [c for c in criteria if c.is_section]
    return sum((c.points for c in (sections or criteria)), ZERO)


def auto_points(
    *, plan: Plan, criteria: list[Criterion], unit_ids: set[int], as_of: dt.date
) -> dict[tuple[int, int], Auto]:
    """(unit id, criterion id) → the auto points of each tied item, as at `as_of`. Three
    queries at most (indicators, allocations, figures)."""
    tied = [c for c in criteria if c.auto and not c.is_section]
    if not tied or not unit_ids:
        return {}
    codes = {c.auto["indicator"] for c in tied}
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan, code__in=codes)}
    ids = {i.pk for i in indicators.values()}
    allocations = {
        (a.unit_id, a.indicator_id): a.value
        for a in Allocation.objects.filter(indicator_id__in=ids, unit_id__in=unit_ids)
    }
    figures = official_figures_as_of(indicator_ids=ids, unit_ids=unit_ids, as_of=as_of)
    found = {}
    for criterion in tied:
        indicator = indicators.get(criterion.auto["indicator"])
        if indicator is None:
            continue
        for unit_id in unit_ids:
            allocation = allocations.get((unit_id, indicator.pk))
            if not allocation:
                continue  # no share of this figure: scored by hand
            figure = figures.get((unit_id, indicator.pk), ZERO)
            share = min(Decimal(1), figure / allocation)
            points = (criterion.points * share).quantize(CENT, rounding=ROUND_HALF_UP)
            found[(unit_id, criterion.pk)] = Auto(points, figure, allocation, indicator.name)
    return found


@dataclass
class Line:
    criterion: Criterion
    typed: bool
    score: CriterionScore | None = None
    auto: Auto | None = None
    self_points: Decimal | None = None
    points: Decimal | None = None

    @property
    def section(self) -> bool:
        return self.criterion.is_section


@dataclass
class Sheet:
    lines: list[Line]
    maximum: Decimal
    self_total: Decimal | None
    total: Decimal | None
    unscored: int  # typed items the department has not scored

    @property
    def typed_lines(self) -> list[Line]:
        return [line for line in self.lines if line.typed and not line.auto]


def sheet(
    *,
    criteria: list[Criterion],
    scores: list[CriterionScore],
    autos: dict[int, Auto],
    frozen: bool = False,
) -> Sheet:
    """The rubric as one unit's evaluation fills it: each row with the self points and the
    department's (an auto item's from `autos`, unless `frozen`: an approved evaluation keeps
    the points stored at approval), sections as totals of their items."""
    by_criterion = {s.criterion_id: s for s in scores}
    lines: list[Line] = []
    for c in criteria:
        score = by_criterion.get(c.pk)
        line = Line(c, is_typed(c, criteria), score)
        if line.typed:
            line.auto = None if frozen and score and score.points is not None else autos.get(c.pk)
            if line.auto:
                line.self_points = line.points = line.auto.points
            elif score:
                line.self_points, line.points = score.self_points, score.points
                if c.auto and line.self_points is None:
                    line.self_points = score.points  # kept at approval, never typed
        lines.append(line)
    for line in lines:
        if line.section and not line.typed:
            items = [x for x in lines if x.criterion.code.startswith(f"{line.criterion.code}.")]
            line.self_points = _sum([x.self_points for x in items])
            line.points = _sum([x.points for x in items])
    typed = [x for x in lines if x.typed]
    return Sheet(
        lines=lines,
        maximum=rubric_maximum(criteria),
        self_total=_sum([x.self_points for x in typed]),
        total=_sum([x.points for x in typed]),
        unscored=sum(1 for x in typed if x.points is None),
    )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def criteria_of(rubric: Rubric) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric=rubric).order_by("position"))


def evaluation_sheet(
    *, rubric: Rubric, unit: Unit, evaluation: Evaluation | None, as_of: dt.date | None = None
) -> Sheet:
    """One unit's sheet (the self-assessment and scoring pages): auto items as at `as_of`
    (today by default)."""
    criteria = criteria_of(rubric)
    plan = rubric.programme.plan
    autos = auto_points(
        plan=plan, criteria=criteria, unit_ids={unit.pk}, as_of=as_of or clock.today()
    )
    scores = list(evaluation.scores.all()) if evaluation else []
    return sheet(
        criteria=criteria,
        scores=scores,
        autos={c: a for (u, c), a in autos.items()},
        frozen=bool(evaluation and evaluation.status == Status.APPROVED),
    )


# -- across units: the department's list, the results and the final totals --------------------


@dataclass
class Row:
    unit: Unit
    evaluation: Evaluation | None
    self_total: Decimal | None
    total: Decimal | None  # the department's, so far
    final: Decimal | None  # approved by `as_of` and not reopened by then
    group: str = ""
    rank: int | None = None  # within the group, by the final total

    @property
    def state(self) -> str:
        return self.evaluation.get_status_display() if self.evaluation else NEVER_SAVED

    @property
    def badge(self) -> str:
        return self.evaluation.badge if self.evaluation else "text-bg-light"


@dataclass
class Results:
    rubric: Rubric
    maximum: Decimal
    rows: list[Row]
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)


def _counted(as_of: dt.date) -> Q:
    at = clock.start_of(as_of + dt.timedelta(days=1))
    return Q(approved_at__lt=at) & (Q(reopened_at__isnull=True) | Q(reopened_at__gte=at))


def _finals(evaluation_ids, as_of: dt.date) -> dict[int, EvaluationResult]:
    found: dict[int, EvaluationResult] = {}
    results = EvaluationResult.objects.filter(_counted(as_of), evaluation_id__in=evaluation_ids)
    for result in results.order_by("evaluation_id", "approved_at"):
        found[result.evaluation_id] = result  # the latest approval counted then
    return found


def evaluation_results(*, plan: Plan, rubric: Rubric, as_of: dt.date) -> Results:
    """Every evaluated unit's self, department and final totals (auto items as at `as_of`),
    ranked by the final total within the plan's ranking groups (ties share a rank; a unit
    without a final total is listed unranked). Eight queries whatever the number of units."""
    units = evaluated_units(plan=plan, rubric=rubric)
    criteria = criteria_of(rubric)
    evaluations = {
        e.unit_id: e
        for e in Evaluation.objects.filter(rubric=rubric).prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.all())
        )
    }
    autos = auto_points(plan=plan, criteria=criteria, unit_ids={u.pk for u in units}, as_of=as_of)
    finals = _finals([e.pk for e in evaluations.values()], as_of)
    rows = []
    for unit in units:
        evaluation = evaluations.get(unit.pk)
        mine = {c: a for (u, c), a in autos.items() if u == unit.pk}
        filled = sheet(
            criteria=criteria,
            scores=list(evaluation.scores.all()) if evaluation else [],
            autos=mine,
            frozen=bool(evaluation and evaluation.status == Status.APPROVED),
        )
        final = finals.get(evaluation.pk) if evaluation else None
        rows.append(
            Row(
                unit=unit,
                evaluation=evaluation,
                self_total=filled.self_total if evaluation else None,
                total=filled.total if _department_scored(evaluation, filled) else None,
                final=final.total if final else None,
            )
        )
    results = Results(rubric=rubric, maximum=rubric_maximum(criteria), rows=rows)
    results.groups = rank_in_groups(plan=plan, rows=rows)
    return results


def _department_scored(evaluation: Evaluation | None, filled: Sheet) -> bool:
    """Whether the department's total means anything yet: approved, or with the department
    (or back from it) and at least one item scored by hand. Auto items alone are no score."""
    if evaluation is None or evaluation.status not in SCORED:
        return False
    if evaluation.status == Status.APPROVED:
        return True
    return any(line.points is not None for line in filled.typed_lines)


def rank_in_groups(*, plan: Plan, rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Each row's group and rank by final total within it (competition ranking: 1, 1, 3); the
    groups in the plan's order, 其他 last; a plan of no groups ranks all in one ("")."""
    group_of = ranking_group_of(plan)
    names = ranking_group_names(plan) or [""]
    grouped: dict[str, list[Row]] = {name: [] for name in [*names, OTHER]}
    for row in rows:
        row.group = group_of(row.unit)
        grouped.setdefault(row.group, []).append(row)
    result = []
    for name, members in grouped.items():
        if not members:
            continue
        members.sort(key=lambda r: (r.final is None, -(r.final or ZERO), r.unit.order, r.unit.pk))
        previous, rank = None, 0
        for place, row in enumerate(members, 1):
            if row.final is None:
                continue
            if row.final != previous:
                rank, previous = place, row.final
            row.rank = rank
        result.append((name, members))
    return result


def final_totals(plan: Plan, *, as_of: dt.date) -> dict[str, dict[int, tuple[Decimal, Decimal]]]:
    """str(rubric pk) → unit id → (final total, the rubric's maximum): the evaluations of
    `plan` approved on or before `as_of` (Asia/Shanghai) and not reopened by then, from the
    results kept at each approval. Reproducible as at any date. Two queries."""
    results = (
        EvaluationResult.objects.filter(_counted(as_of), evaluation__rubric__programme__plan=plan)
        .order_by("evaluation_id", "approved_at")
        .values_list("evaluation__rubric_id", "evaluation__unit_id", "total", "maximum")
    )
    found: dict[str, dict[int, tuple[Decimal, Decimal]]] = {}
    for rubric_id, unit_id, total, maximum in results:
        found.setdefault(str(rubric_id), {})[unit_id] = (total, maximum)
    return found


# -- 我的待办: what waits for a unit's user ------------------------------------------------------

# What each unit role has to act on: the head confirms (确认并报送) or sends back a submitted
# self-assessment; the reporter finishes drafts and redoes returned ones.
WAITING_FOR = {
    User.Role.UNIT_HEAD: (Status.SUBMITTED,),
    User.Role.UNIT_REPORTER: (Status.DRAFT, Status.RETURNED),
}


def unit_waiting(unit: Unit, user: User) -> list[Evaluation]:
    """`unit`'s self-assessments (评分自评) waiting for `user` (nothing for another unit's user)
    in running plans, returned first; an evaluation has no deadline. One query."""
    statuses = WAITING_FOR.get(user.role)
    if not statuses or user.unit_id != unit.pk:
        return []
    rows = list(
        Evaluation.objects.filter(evaluation_scope(user))
        .filter(
            unit_id=unit.pk,
            status__in=statuses,
            rubric__programme__plan__status=Plan.Status.PUBLISHED,
        )
        .select_related("rubric__programme__plan")
        .order_by("rubric__programme__number", "rubric__order", "pk")
    )
    rows.sort(key=lambda e: e.status != Status.RETURNED)
    return rows
