"""A programme's matrix (units × indicators, then the programme's rules per unit) and, behind
a row, the unit's own reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.shortcuts import get_object_or_404

from dashboards import metrics
from dashboards.selectors.official import official_values
from orgs.models import Unit
from plans.models import Allocation, Indicator, Plan, Programme
from records.models import UnitRule
from records.selectors.rules import Judgement, unit_rules_judge
from reporting.as_of import official_on
from reporting.models import Obligation, OfficialValue, Report


@dataclass(slots=True)
class Cell:
    allocation: Decimal | None
    achieved: Decimal | None
    completion: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return metrics.STATUS_LABELS[self.status]


class UnitRef(NamedTuple):
    """What a matrix row shows of its unit: a thousand of them are read in half the time
    a thousand model instances take."""

    pk: int
    code: str
    short_name: str


@dataclass(slots=True)
class RuleCell:
    """A unit's result on one of the programme's rules (每单位要求), as the one evaluator
    (records.selectors.rules) judged it: the numbers (2 / 4 次) and 达标 / 未达标 / 逾期未达标."""

    result: str
    met: bool
    overdue: bool
    detail: list[str]

    @classmethod
    def of(cls, judgement: Judgement) -> RuleCell:
        return cls(judgement.result, judgement.met, judgement.overdue, judgement.detail)

    @property
    def label(self) -> str:
        return "达标" if self.met else "逾期未达标" if self.overdue else "未达标"

    @property
    def status(self) -> str:  # the colour of the matrix's cells
        return metrics.DONE if self.met else metrics.FAR_BEHIND if self.overdue else metrics.BEHIND


@dataclass
class Matrix:
    programme: Programme
    indicators: list[Indicator]
    rows: list[tuple[UnitRef, list[Cell]]]
    elapsed: list[Decimal]
    # The programme's rules per unit, a column each: unit id → one cell per rule (None where the
    # rule does not hold the unit); a department in a rule's scope is judged on the federation's
    # own figures and listed apart, by its name.
    rules: list[UnitRule] = field(default_factory=list)
    rule_cells: dict[int, list[RuleCell | None]] = field(default_factory=dict)
    departments: list[tuple[str, list[RuleCell | None]]] = field(default_factory=list)


def programme_matrix(*, plan: Plan, number: int, as_of: dt.date) -> Matrix:
    programme = get_object_or_404(Programme, plan=plan, number=number)
    indicators = list(programme.indicators.order_by("order"))
    shares = {
        (u, i): v
        for u, i, v in Allocation.objects.filter(indicator__programme=programme, unit__isnull=False)
        .order_by()  # the table order joins rows and sorts: the dictionary needs none
        .values_list("unit_id", "indicator_id", "value")
    }
    achieved = official_values(
        plan, as_of, programme=programme, indicator_ids=[i.pk for i in indicators]
    )
    rules, rule_cells, departments = _rule_columns(plan, programme, as_of)
    # The federation's own figures (市总统计) are city totals, not a unit's share: the matrix
    # lists them only where the federation holds a share itself. A unit a rule holds is listed.
    unit_ids = {u for u, _ in shares} | {u for u, _ in achieved if u != plan.issuer_id}
    unit_ids |= set(rule_cells)
    units = [
        UnitRef._make(row)
        for row in Unit.objects.filter(pk__in=unit_ids)
        .order_by("order", "pk")
        .values_list("pk", "code", "short_name")
    ]
    elapsed = [metrics.elapsed(plan, as_of, i) for i in indicators]
    columns = [(i.pk, passed) for i, passed in zip(indicators, elapsed, strict=True)]
    margins, completion, status = metrics.thresholds(plan), metrics.completion, metrics.status
    rows = []
    for unit in units:  # 1,000 units × their indicators: nothing looked up twice per cell
        unit_id, cells = unit.pk, []
        for indicator_id, passed in columns:
            share = shares.get((unit_id, indicator_id))
            value = achieved.get((unit_id, indicator_id))
            done = completion(value, share)
            cells.append(Cell(share, value, done, status(done, passed, margins)))
        rows.append((unit, cells))
    return Matrix(
        programme=programme,
        indicators=indicators,
        rows=rows,
        elapsed=elapsed,
        rules=rules,
        rule_cells=rule_cells,
        departments=departments,
    )


def _rule_columns(plan: Plan, programme: Programme, as_of: dt.date):
    """The programme's rules and each unit's (and department's) cells: one query for the
    rules, at most four more for all units whatever their number (records.selectors.rules)."""
    judged = unit_rules_judge(plan=plan, as_of=as_of, programme=programme)
    rules = list(dict.fromkeys(j.rule for j in judged))
    column = {rule.pk: n for n, rule in enumerate(rules)}
    units: dict[int, list[RuleCell | None]] = {}
    departments: dict[str, list[RuleCell | None]] = {}
    for j in judged:
        own = j.unit.pk != plan.issuer_id or j.name in (j.unit.short_name, j.unit.name)
        held = (
            units.setdefault(j.unit.pk, [None] * len(rules))
            if own
            else departments.setdefault(j.name, [None] * len(rules))
        )
        held[column[j.rule.pk]] = RuleCell.of(j)
    return rules, units, list(departments.items())


# -- a unit's reports behind a matrix row -------------------------------------------------


@dataclass
class PeriodReport:
    """One period a unit reports on for a programme, as the dashboards see it on `as_of`.

    `state`: "current" (its figures are the unit's latest counted ones: the matrix shows
    them), "earlier" (counted figures of an earlier period), "excluded" (approved late under
    逾期未报送不予统计), "waiting" (not official then: still to be approved, or approved after).
    `figures` are the official ones as at `as_of`, else what the report holds now.
    """

    obligation: Obligation
    state: str
    figures: list[tuple[str, Decimal | None]]

    @property
    def report(self) -> Report | None:
        return getattr(self.obligation, "report", None)


def unit_programme_reports(
    *, plan: Plan, number: int, unit: Unit, as_of: dt.date
) -> list[PeriodReport]:
    """A unit's progress reports on one programme, each with what counted as at `as_of`."""
    obligations = list(
        Obligation.objects.filter(
            plan=plan, unit=unit, programme__number=number, kind=Obligation.Kind.PROGRESS
        )
        .select_related("report")
        .prefetch_related("report__values__indicator")
        .order_by("period_end")
    )
    reports = [o.report.pk for o in obligations if hasattr(o, "report")]
    official: dict[int, list[tuple[str, Decimal, bool, int]]] = defaultdict(list)
    latest: dict[int, dt.date] = {}  # indicator id → its latest counted period
    valid = OfficialValue.objects.filter(official_on(as_of), report__in=reports)
    for report_id, indicator_id, name, value, counts, period_end in valid.order_by(
        "indicator__order"
    ).values_list("report_id", "indicator_id", "indicator__name", "value", "counts", "period_end"):
        official[report_id].append((name, value, counts, indicator_id))
        if counts:
            latest[indicator_id] = max(latest.get(indicator_id, period_end), period_end)
    rows = []
    for o in obligations:
        report = getattr(o, "report", None)
        figures = official.get(report.pk, []) if report else []
        if not figures:
            values = report.values.all() if report else []
            rows.append(PeriodReport(o, "waiting", [(v.indicator.name, v.value) for v in values]))
            continue
        if not any(counts for _, _, counts, _ in figures):
            state = "excluded"
        elif any(latest.get(i) == o.period_end for _, _, counts, i in figures if counts):
            state = "current"
        else:
            state = "earlier"
        rows.append(PeriodReport(o, state, [(name, value) for name, value, _, _ in figures]))
    return rows
