"""Judging the plan's rules per unit (每单位要求) as of a date: the one evaluator.

Each `UnitRule` (records.rulefile reads them from the plan file) is judged for every unit in
its scope — a department in scope is judged on the federation's own unit, whose rows and
figures its staff enter — as met or not, with the numbers (2 / 4 次). Rows count when their
approval is valid at the end of the date (as `RecordApproval` says, like the dashboards'
as-of rule) and their own date is on or before the rule's `by`; figures are the indicator's
official figures valid then. `entered=True` counts the rows as they stand now, whatever their
status (the forms hub: what the unit has entered so far).

A fixed number of queries whatever the number of units: the rules, the units (unless given),
the forms, the rows and the figures — at most five.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from orgs.models import Unit
from plans.models import Indicator, Plan, Programme
from records.expressions import Formula, Undecided
from records.models import FormDefinition, Record, RecordApproval, UnitRule
from records.rulefile import DEPARTMENT
from reporting.as_of import valid_on
from reporting.models import OfficialValue

ZERO = Decimal(0)
FAR = dt.date.max


@dataclass
class Judgement:
    """One rule for one unit (or department) as of a date."""

    rule: UnitRule
    unit: Unit
    name: str  # who is held to it: the unit's short name, or the department's
    met: bool
    result: str  # the numbers: 2 / 4 次
    due: dt.date
    overdue: bool  # not met and the rule's date has passed
    detail: list[str] = field(default_factory=list)  # the teams, periods or kinds short

    @property
    def programme_number(self) -> int:
        return self.rule.programme.number

    @property
    def text(self) -> str:
        return self.rule.text


def _normal(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).lower()


def _number(n: Decimal | int) -> str:
    n = Decimal(n)
    return f"{int(n)}" if n == n.to_integral_value() else f"{n.normalize()}"


def _wanted(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}" if low == high else f"{low}–{high}"
    return f"{low}" if low is not None else f"≤{high}"


def _within(n, low: int | None, high: int | None) -> bool:
    return (low is None or n >= low) and (high is None or n <= high)


def _in_scope(unit: Unit, scope: list[str], issuer_id: int) -> bool:
    if not scope:  # every unit of the plan but its issuer
        return unit.pk != issuer_id
    return unit.kind in scope or unit.name in scope


def _subjects(rule: UnitRule, units: list[Unit], issuer_id: int) -> list[tuple[Unit, str]]:
    scope = rule.spec.get("scope") or []
    found = [(u, u.short_name or u.name) for u in units if _in_scope(u, scope, issuer_id)]
    issuer = next((u for u in units if u.pk == issuer_id), None)
    if issuer is not None:
        found += [
            (issuer, entry.removeprefix(DEPARTMENT))
            for entry in scope
            if entry.startswith(DEPARTMENT)
        ]
    return found


class _Facts:
    """The rows and figures the rules read, fetched once for all units."""

    def __init__(self, rows, figures, forms: dict[str, FormDefinition]):
        self.rows: dict[tuple[str, int], list[tuple[dict, dt.date]]] = defaultdict(list)
        by_id = {f.pk: f for f in forms.values()}
        self.titles = {f.code: f.title for f in forms.values()}
        for form_id, unit_id, data, day in rows:
            if (form := by_id.get(form_id)) is not None:
                self.rows[(form.code, unit_id)].append((form.schema.load_values(data or {}), day))
        self.figures: dict[tuple[str, int], list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for code, unit_id, period_end, value in figures:
            self.figures[(code, unit_id)].append((period_end, value))
        for series in self.figures.values():
            series.sort()

    def matching(self, source: dict, unit_id: int, start=None, end=FAR) -> list[dict]:
        where = Formula(source["where"]) if source.get("where") else None
        found = []
        for values, day in self.rows[(source["form"], unit_id)]:
            if day is not None and not ((start is None or day >= start) and day <= end):
                continue
            if where is not None:
                try:
                    if not where.evaluate(values):
                        continue
                except Undecided:
                    continue
            found.append(values)
        return found

    def figure_at(self, code: str, unit_id: int, day: dt.date) -> Decimal:
        value = ZERO
        for period_end, v in self.figures[(code, unit_id)]:
            if period_end <= day:
                value = v
        return value

    def amount(self, source: dict, unit_id: int, start=None, end=FAR) -> Decimal:
        if "indicator" in source:
            before = (
                self.figure_at(source["indicator"], unit_id, start - dt.timedelta(days=1))
                if start is not None
                else ZERO
            )
            return self.figure_at(source["indicator"], unit_id, end) - before
        return Decimal(len(self.matching(source, unit_id, start, end)))


def _judge(rule: UnitRule, unit: Unit, name: str, facts: _Facts, as_of: dt.date, measures):
    spec = rule.spec
    kind = spec.get("kind", "count")
    low, high = spec.get("min"), spec.get("max")
    by = dt.date.fromisoformat(spec["by"]) if spec.get("by") else None
    due = by or dt.date(rule.plan.year, 12, 31)
    end = by or FAR
    source = spec.get("source") or {}
    measure = spec.get("measure") or measures.get(source.get("indicator"), "") or "条"
    detail: list[str] = []
    exceeded = False
    if kind == "all_of":
        met, results = True, []
        for part in spec.get("parts", []):
            n = facts.amount(part["source"], unit.pk, end=end)
            part_met = n >= part["min"]
            met = met and part_met
            results.append(f"{part['label']} {_number(n)} / {part['min']}")
            if not part_met:
                detail.append(f"{part['label']}未达到 {part['min']}")
        result = "，".join(results)
    elif kind == "each":
        each = spec["each"]
        entities: dict[str, str] = {}
        for values in facts.matching({"form": each["form"]}, unit.pk, end=end):
            entities.setdefault(_normal(values.get(each["field"])), str(values.get(each["field"])))
        held: dict[str, int] = defaultdict(int)
        for values in facts.matching(source, unit.pk, end=end):
            held[_normal(values.get(spec["match"]))] += 1
        short = [
            (label, held[key])
            for key, label in entities.items()
            if not _within(held[key], low, high)
        ]
        result = (
            f"{len(entities) - len(short)} / {len(entities)} 个达到 {_wanted(low, high)} {measure}"
        )
        detail = [f"{label} {n} {measure}" for label, n in sorted(short)]
        # A unit the rule applies to that has registered none (no team at all) has not met it:
        # "every team of none" would otherwise pass unseen.
        met = bool(entities) and not short
        if not entities:
            result = f"未登记（{result}）"
            detail = [f"{facts.titles.get(each['form'], each['form'])}未登记"]
    elif kind == "in_each":
        met, results = True, []
        if spec.get("periods"):
            due = dt.date.fromisoformat(spec["periods"][-1][1])
        for start, stop, label in spec.get("periods", []):
            start, stop = dt.date.fromisoformat(start), dt.date.fromisoformat(stop)
            if start > as_of:
                results.append(f"{label} —")
                continue
            n = facts.amount(source, unit.pk, start=start, end=min(stop, as_of))
            results.append(f"{label} {_number(n)}")
            if stop <= as_of and not _within(n, low, high):
                met = False
                detail.append(f"{label}未达到 {_wanted(low, high)} {measure}")
        result = f"{'，'.join(results)}（每期 {_wanted(low, high)} {measure}）"
        # A period still running is not judged yet; one that ended short is overdue.
        return Judgement(rule, unit, name, met, result, due, not met, detail)
    elif kind == "distinct":
        values = {
            _normal(v.get(spec["distinct"])) for v in facts.matching(source, unit.pk, end=end)
        }
        values.discard("")
        met = _within(len(values), low, high)
        exceeded = high is not None and len(values) > high
        result = f"{len(values)} / {_wanted(low, high)} {measure}"
    else:
        n = facts.amount(source, unit.pk, end=end)
        met = _within(n, low, high)
        exceeded = high is not None and n > high
        result = f"{_number(n)} / {_wanted(low, high)} {measure}"
    # Not met once its date has passed, or more than the most allowed already (12 of 5–10).
    overdue = not met and (as_of > due or exceeded)
    return Judgement(rule, unit, name, met, result, due, overdue, detail)


def _sources(rules: Iterable[UnitRule]) -> tuple[set[str], set[str]]:
    forms, indicators = set(), set()
    for rule in rules:
        spec = rule.spec
        for source in [spec.get("source") or {}] + [p["source"] for p in spec.get("parts", [])]:
            if source.get("form"):
                forms.add(source["form"])
            if source.get("indicator"):
                indicators.add(source["indicator"])
        if spec.get("each"):
            forms.add(spec["each"]["form"])
    return forms, indicators


def unit_rules_judge(
    *,
    plan: Plan,
    as_of: dt.date,
    units: list[Unit] | None = None,
    entered: bool = False,
    form_codes: set[str] | None = None,
    programme: Programme | None = None,
) -> list[Judgement]:
    """Every rule of `plan` judged for every unit in its scope (of `units`, else the plan's),
    as of the end of `as_of`; with `form_codes`, only the rules over those forms; with
    `programme`, only that programme's (the matrix)."""
    chosen = UnitRule.objects.filter(plan=plan)
    if programme is not None:
        chosen = chosen.filter(programme=programme)
    rules = list(chosen.select_related("programme", "plan"))
    if form_codes is not None:
        rules = [r for r in rules if _sources([r])[0] & form_codes]
    if not rules:
        return []
    if units is None:
        units = list(Unit.objects.filter(plans=plan).order_by("order", "id"))
    unit_ids = [u.pk for u in units]
    form_names, indicator_codes = _sources(rules)
    forms = (
        {f.code: f for f in FormDefinition.objects.filter(plan=plan, code__in=form_names)}
        if form_names
        else {}
    )
    rows: list = []
    if forms:
        if entered:
            rows = [
                (f, u, d, day or created.date())
                for f, u, d, day, created in Record.objects.filter(
                    form__in=forms.values(), unit_id__in=unit_ids
                ).values_list("form_id", "unit_id", "data", "reference_date", "created_at")
            ]
        else:
            rows = list(
                RecordApproval.objects.filter(
                    valid_on(as_of), form__in=forms.values(), unit_id__in=unit_ids
                ).values_list("form_id", "unit_id", "data", "reference_date")
            )
    figures: list = []
    measures: dict[str, str] = {}
    if indicator_codes:
        indicators = {
            i.code: i for i in Indicator.objects.filter(plan=plan, code__in=indicator_codes)
        }
        measures = {code: i.measure for code, i in indicators.items()}
        figures = list(
            OfficialValue.objects.filter(
                valid_on(as_of), indicator__in=indicators.values(), unit_id__in=unit_ids
            ).values_list("indicator__code", "unit_id", "period_end", "value")
        )
    facts = _Facts(rows, figures, forms)
    return [
        _judge(rule, unit, name, facts, as_of, measures)
        for rule in rules
        for unit, name in _subjects(rule, units, plan.issuer_id)
        if _held_to(rule, unit, facts)
    ]


def _held_to(rule: UnitRule, unit: Unit, facts: _Facts) -> bool:
    """A rule over each entity (每支服务分队) with no `scope:` binds the units that registered
    such entities: the notice sets the number of teams for the city, not for each unit. With a
    scope, every unit in it is held to it, and one that registered none has not met it."""
    spec = rule.spec
    if spec.get("kind") != "each" or spec.get("scope"):
        return True
    return bool(facts.rows.get((spec["each"]["form"], unit.pk)))


def unit_rules_broken(
    *, plan: Plan, as_of: dt.date, overdue_only: bool = False
) -> list[tuple[Unit, list[Judgement]]]:
    """The units (and departments) not meeting some rule as of `as_of`, each with those rules,
    in the units' order: the warnings; with `overdue_only`, those past the rule's date (or
    over its most), for the bulletin."""
    by_unit: dict[tuple[int, int, str], list[Judgement]] = defaultdict(list)
    for j in unit_rules_judge(plan=plan, as_of=as_of):
        if not j.met and (j.overdue or not overdue_only):
            by_unit[(j.unit.order, j.unit.pk, j.name)].append(j)
    return [(js[0].unit, js) for _key, js in sorted(by_unit.items())]


def unit_rule_lines(*, plan: Plan, unit: Unit, as_of: dt.date) -> list[Judgement]:
    """The rules `unit` is held to, judged as of `as_of` (its 一单位一清单)."""
    return unit_rules_judge(plan=plan, as_of=as_of, units=[unit])
