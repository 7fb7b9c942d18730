"""What the bulletin reads, gathered once: the figures every paragraph, chart and table uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from dashboards import metrics, selectors
from dashboards.selectors import PlanFigures
from orgs.models import Unit
from plans.models import Plan
from plans.selectors import format_number

JUDGED = (metrics.DONE, metrics.ON_TRACK, metrics.BEHIND, metrics.FAR_BEHIND)


def pct(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


def points(share: Decimal) -> str:
    """0.10 → 10个百分点"""
    return f"{format_number(share * 100)}个百分点"


class Figures(PlanFigures):
    """`PlanFigures` as the bulletin reads them: whole plan, no trend, and the sums and
    groupings several of its paragraphs, charts and tables share.

    The ranking's units are also the reporting section's and the warnings' (a unit with
    reports due but no share is read on its own); the ranking's timeliness column is the same
    `timeliness` the reporting section totals.
    """

    def __init__(self, plan: Plan, as_of: dt.date) -> None:
        super().__init__(plan, as_of, trend=False)

    @property
    def judged_rows(self) -> list[selectors.IndicatorRow]:
        return [r for r in self.overview.rows if r.status in JUDGED]

    @cached_property
    def reporting(self) -> list[tuple[Unit, selectors.Timeliness]]:
        """Each unit with reports due, in unit order, with its timeliness."""
        by_unit = self.timeliness
        units = dict(self.units)
        if others := [pk for pk in by_unit if pk not in units]:
            units.update(Unit.objects.in_bulk(others))
        ordered = sorted((units[pk] for pk in by_unit), key=lambda u: (u.order, u.pk))
        return [(u, by_unit[u.pk]) for u in ordered]

    @cached_property  # summed over every unit: read by several paragraphs and a table
    def total(self) -> selectors.Timeliness:
        return selectors.Timeliness(
            *(
                sum(getattr(t, f) for _, t in self.reporting)
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
    """Everything the bulletin shows as at `as_of`, each figure read once when first used."""
    return Figures(plan, as_of)
