"""What the bulletin reads, gathered once: the figures every paragraph, chart and table uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from dashboards import metrics, selectors
from orgs.models import Unit
from plans.models import Plan
from plans.selectors import format_number

JUDGED = (metrics.DONE, metrics.ON_TRACK, metrics.BEHIND, metrics.FAR_BEHIND)


def pct(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


def points(share: Decimal) -> str:
    """0.10 → 10个百分点"""
    return f"{format_number(share * 100)}个百分点"


@dataclass
class Figures:
    plan: Plan
    as_of: dt.date
    overview: selectors.Overview
    ranking: list[selectors.RankRow]
    warnings: list[selectors.Warning]
    timeliness: list[tuple[Unit, selectors.Timeliness]]
    milestones: list[selectors.MilestoneState]

    @property
    def elapsed(self) -> Decimal:
        start = self.plan.progress_from or self.plan.issued_on
        return metrics.time_elapsed(start, dt.date(self.plan.year, 12, 31), self.as_of)

    @property
    def judged(self) -> list[selectors.IndicatorRow]:
        return [r for r in self.overview.rows if r.status in JUDGED]

    @cached_property  # summed over every unit: read by several paragraphs and a table
    def total(self) -> selectors.Timeliness:
        return selectors.Timeliness(
            *(
                sum(getattr(t, f) for _, t in self.timeliness)
                for f in ("expected", "received", "on_time")
            )
        )

    def programme_progress(self):
        """(programme, its judged rows, mean capped completion, mean elapsed) per programme."""
        for programme, rows in self.overview.programmes:
            judged = [r for r in rows if r.status in JUDGED]
            score = metrics.capped_score([r.completion for r in judged])
            done = None if score is None else score / 100
            elapsed = sum(r.elapsed for r in judged) / len(judged) if judged else None
            yield programme, rows, judged, done, elapsed


def bulletin_figures(*, plan: Plan, as_of: dt.date) -> Figures:
    """The selectors' results as at `as_of`, each official figure and due date read once.

    The overview, the ranking and the warnings all need every unit's current figure: it is
    looked up once (`official_values`) and handed to each; the ranking and the warnings
    judge the same shares, each share judged once (`share_progress`, `judge_shares`). The
    ranking's timeliness column is the same `timeliness_by_unit` the reporting section
    totals, and its units are the reporting section's and the warnings' (a unit with reports
    due but no share is read on its own). The overview's trend is left out: the bulletin
    does not show it.
    """
    official = selectors.official_values(plan, as_of)
    by_unit = selectors.timeliness_by_unit(plan=plan, as_of=as_of)
    progress = selectors.share_progress(plan=plan, as_of=as_of, official=official)
    judged = selectors.judge_shares(plan=plan, as_of=as_of, progress=progress)
    ranking = selectors.unit_ranking(plan=plan, as_of=as_of, timeliness=by_unit, judged=judged)
    units = {row.unit.pk: row.unit for row in ranking}
    if others := [pk for pk in by_unit if pk not in units]:
        units.update(Unit.objects.in_bulk(others))
    reporting = sorted((units[pk] for pk in by_unit), key=lambda u: (u.order, u.pk))
    return Figures(
        plan=plan,
        as_of=as_of,
        overview=selectors.city_overview(
            plan=plan, as_of=as_of, official=official, with_trend=False
        ),
        ranking=ranking,
        warnings=selectors.early_warnings(plan=plan, as_of=as_of, judged=judged, units=units),
        timeliness=[(u, by_unit[u.pk]) for u in reporting],
        milestones=selectors.milestone_states(plan=plan, as_of=as_of),
    )
