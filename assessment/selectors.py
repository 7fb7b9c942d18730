"""年终考核: each unit's composite score as of a date, from the plan's `assessment` weights.

Every component is a share of 1 read the way the rest of the system reads it, as of the date:
- completion: the ranking's capped completion score (`PlanFigures.ranking`, out of 100);
- timeliness: the share of the obligations due by the date received on time
  (`PlanFigures.timeliness`, the dashboards' 按时报送率);
- rubric: the final approved total ÷ the rubric's maximum (`evaluations.final_totals`);
- supervision: the share of the unit's 督办单 due by the date closed (办结) by their due date
  (`supervision.notices.closed_by`).
A component that does not apply to a unit (no shares, nothing due, outside the rubric's
`evaluated` scope, no notice due) is left out and its weight re-spread over the others in
proportion to theirs, which the rows say. A rubric that does apply but has no final result by
the date counts 0 (评分未定稿), so a unit not yet scored gains nothing over a scored one.
Nothing is stored: the same date gives the same result after later approvals, as every
reader above counts what had happened by then. A fixed number of queries whatever the number
of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dashboards.selectors import PlanFigures
from evaluations.selectors import final_totals
from orgs.models import Unit
from plans.models import Plan, Rubric
from plans.ranking_groups import OTHER, ranking_group_names, ranking_group_of
from plans.selectors import unit_in_scope
from reporting.as_of import cutoff
from supervision.models import SupervisionNotice
from supervision.notices import closed_by

KIND_LABELS = {
    "completion": "任务完成率",
    "timeliness": "按时报送率",
    "rubric": "评分结果",
    "supervision": "督办按时办结率",
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ALL_UNITS = "全部单位"  # the one group of a plan ranked in one list
PENDING = "评分未定稿（按 0 分计）"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Component:
    """One component as the plan sets it."""

    kind: str
    weight: Decimal
    rubric: str = ""  # a rubric component's rubric title

    @property
    def label(self) -> str:
        if self.kind == "rubric":
            return f"{KIND_LABELS['rubric']}（{self.rubric}）"
        return KIND_LABELS[self.kind]

    @property
    def short_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Part:
    """One component of one unit: its share of 1 (None: nothing to assess), what it is made
    of, the weight it finally carries and the points it gives."""

    component: Component
    share: Decimal | None
    detail: str
    applied: Decimal = Decimal(0)  # the weight after re-spreading; 0 when left out
    pending: bool = False  # applies but not yet final by the date: counts 0

    @property
    def empty(self) -> bool:
        return self.share is None

    @property
    def points(self) -> Decimal | None:
        return None if self.share is None else _cents(self.share * self.applied)

    @property
    def respread(self) -> bool:
        return not self.empty and self.applied != self.component.weight

    @property
    def formula(self) -> str:
        """How the points are made: 计入权重 × 比例 = 得分, e.g. "40 × 38.7% = 15.48 分"."""
        if self.share is None:
            return ""
        return f"{_number(_cents(self.applied))} × {self.share * 100:.1f}% = {self.points} 分"


@dataclass
class UnitResult:
    unit: Unit
    parts: list[Part]
    score: Decimal | None  # out of 100; None when every component is empty
    rank: int | None = None  # among all units assessed
    group: str = ""
    group_rank: int | None = None  # within its group; ties share a rank

    @property
    def respread(self) -> bool:
        """Whether a component was left out and its weight given to the others."""
        return self.score is not None and any(p.empty for p in self.parts)

    @property
    def left_out(self) -> list[Part]:
        return [p for p in self.parts if p.empty]


@dataclass
class ResultGroup:
    name: str
    rows: list[UnitResult] = field(default_factory=list)


@dataclass
class Assessment:
    plan: Plan
    as_of: dt.date
    components: list[Component]
    rows: list[UnitResult]  # best first; units with nothing to assess last
    groups: list[ResultGroup]

    @property
    def configured(self) -> bool:
        return bool(self.components)


def assessment_components(plan: Plan) -> list[Component]:
    return [
        Component(c["kind"], Decimal(str(c["weight"])), c.get("rubric", ""))
        for c in (plan.assessment or {}).get("components", [])
    ]


def _rubric_key(rubric: Rubric) -> str:
    """How `evaluations.final_totals` names a rubric: its id as text."""
    return str(rubric.pk)


def _rubric_shares(
    plan: Plan, as_of: dt.date, titles: set[str]
) -> dict[str, tuple[list[str], dict]]:
    """rubric title → (its `evaluated` scope, unit id → (final total, maximum) as of the
    date)."""
    if not titles:
        return {}
    rubrics = Rubric.objects.filter(programme__plan=plan, title__in=titles)
    totals = final_totals(plan, as_of=as_of)
    return {r.title: (r.evaluated or [], totals.get(_rubric_key(r), {})) for r in rubrics}


def _notices(plan: Plan, as_of: dt.date) -> dict[int, tuple[int, int]]:
    """unit id → (督办单 due by the date, of which closed by their due date)."""
    notices = (
        SupervisionNotice.objects.filter(
            plan=plan, due_date__lte=as_of, issued_at__lt=cutoff(as_of)
        )
        .order_by()
        .only("unit_id", "due_date", "closed_at")
    )
    counts: dict[int, tuple[int, int]] = {}
    for notice in notices:
        due, on_time = counts.get(notice.unit_id, (0, 0))
        counts[notice.unit_id] = (due + 1, on_time + closed_by(notice, notice.due_date))
    return counts


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


class _Reader:
    """Each component's figures, read once for every unit."""

    def __init__(self, plan: Plan, as_of: dt.date, components: list[Component]) -> None:
        kinds = {c.kind for c in components}
        figures = PlanFigures(plan, as_of)
        self.ranking = {r.unit.pk: r for r in figures.ranking} if "completion" in kinds else {}
        self.timeliness = figures.timeliness if "timeliness" in kinds else {}
        self.rubrics = _rubric_shares(plan, as_of, {c.rubric for c in components if c.rubric})
        self.notices = _notices(plan, as_of) if "supervision" in kinds else {}

    def part(self, component: Component, unit: Unit) -> Part:
        kind = component.kind
        if kind == "completion":
            row = self.ranking.get(unit.pk)
            if row is None or row.score is None:
                return Part(component, None, "无分解任务")
            return Part(
                component,
                row.score / HUNDRED,
                f"完成率（封顶）{row.score}%，{row.targets} 项任务",
            )
        if kind == "timeliness":
            t = self.timeliness.get(unit.pk)
            if t is None or not t.expected:
                return Part(component, None, "无到期报送任务")
            return Part(component, t.timeliness, f"按时报送 {t.on_time}/{t.expected}")
        if kind == "rubric":
            scope, totals = self.rubrics.get(component.rubric, ([], {}))
            if not unit_in_scope(unit, scope):
                return Part(component, None, "不在该评分标准的评分范围")
            total, maximum = totals.get(unit.pk, (None, None))
            if total is None or not maximum:
                return Part(component, Decimal(0), PENDING, pending=True)
            share = min(Decimal(total) / Decimal(maximum), Decimal(1))
            return Part(component, share, f"评分 {_number(total)}/{_number(maximum)}")
        due, on_time = self.notices.get(unit.pk, (0, 0))
        if not due:
            return Part(component, None, "无到期督办单")
        return Part(component, Decimal(on_time) / due, f"督办按期办结 {on_time}/{due}")


def _score(parts: list[Part]) -> Decimal | None:
    """The weighted sum; the weights of empty parts re-spread over the others in proportion."""
    counted = [p for p in parts if not p.empty]
    if not counted:
        return None
    weight = sum(p.component.weight for p in counted)
    for p in counted:
        p.applied = p.component.weight * HUNDRED / weight
    return _cents(sum(p.share * p.applied for p in counted))


def _ranked(rows: list[UnitResult]) -> list[tuple[int | None, UnitResult]]:
    """Each row with its rank (ties share one: 1, 1, 3); unscored rows get none."""
    ranked, rank, last = [], 0, None
    for i, row in enumerate(rows, start=1):
        if row.score is None:
            ranked.append((None, row))
            continue
        if row.score != last:
            rank, last = i, row.score
        ranked.append((rank, row))
    return ranked


def assessment_results(*, plan: Plan, as_of: dt.date) -> Assessment:
    """Every unit of the plan but its issuer, best first, each with its breakdown; split into
    the plan's ranking groups (or one list: `groups: all`, or a plan of no groups)."""
    components = assessment_components(plan)
    if not components:
        return Assessment(plan, as_of, [], [], [])
    reader = _Reader(plan, as_of, components)
    units = plan.units.exclude(pk=plan.issuer_id).order_by("order", "pk")
    rows = []
    for unit in units:
        parts = [reader.part(c, unit) for c in components]
        rows.append(UnitResult(unit, parts, _score(parts)))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.unit.order, r.unit.pk))
    for rank, row in _ranked(rows):
        row.rank = rank
    names = ranking_group_names(plan)
    if (plan.assessment or {}).get("groups") == "all" or not names:
        groups = {ALL_UNITS: ResultGroup(ALL_UNITS)}
        group_of = lambda unit: ALL_UNITS  # noqa: E731
    else:
        groups = {name: ResultGroup(name) for name in [*names, OTHER]}
        group_of = ranking_group_of(plan)
    for row in rows:
        groups[group_of(row.unit)].rows.append(row)
    for group in groups.values():
        for rank, row in _ranked(group.rows):
            row.group, row.group_rank = group.name, rank
    shown = [g for g in groups.values() if g.rows or g.name != OTHER]
    return Assessment(plan, as_of, components, rows, shown)


def assessment_of_unit(*, plan: Plan, unit: Unit, as_of: dt.date) -> UnitResult | None:
    """One unit's result with its rank in its group (None: the plan assesses no such unit)."""
    found = assessment_results(plan=plan, as_of=as_of)
    return next((r for r in found.rows if r.unit.pk == unit.pk), None)
