"""The dashboards' figures for one plan as at one date, each computed once.

The overview, the ranking, the warnings and the bulletin share the figures behind them (the
shares and their judgement, the indicators and their time elapsed, the units, the
timeliness): `PlanFigures` computes each the first time a page asks and hands the same result
to whatever else asks, so a page (or the bulletin) that shows several of them judges each share
and reads each of these once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from django.shortcuts import get_object_or_404

from dashboards import metrics
from dashboards.selectors.cards import UnitCards, obligation_cards, unit_cards
from dashboards.selectors.matrix import (
    Matrix,
    PeriodReport,
    programme_matrix,
    unit_programme_reports,
)
from dashboards.selectors.milestones import MilestoneState, milestone_states
from dashboards.selectors.official import Official, official_values
from dashboards.selectors.overview import Overview, overview_of, trend_of
from dashboards.selectors.ranking import (
    Judged,
    RankRow,
    ShareProgress,
    Timeliness,
    Warning,
    early_warnings,
    judge_shares,
    rank_units,
    share_progress,
    timeliness_by_unit,
)
from dashboards.selectors.ranking_groups import RankGroup, mark_warning_groups, rank_in_groups
from orgs.models import Unit
from plans.models import Indicator, Plan, Programme
from supervision.selectors import StepStatus, federation_steps


class PlanFigures:
    """What the dashboards show of `plan` as at `as_of`.

    `programme` (its number) narrows the shares ranked and the reports counted to one
    programme, `department_id` the shares to the programmes that department is responsible
    for (its warnings); `margin` is the warnings' (default: the 滞后 margin); without `trend`
    the overview's rows carry no series (a pass over every valid figure the bulletin does not
    show).
    """

    def __init__(
        self,
        plan: Plan,
        as_of: dt.date,
        *,
        programme: int | None = None,
        department_id: int | None = None,
        margin: Decimal | None = None,
        trend: bool = True,
    ) -> None:
        self.plan, self.as_of = plan, as_of
        self.programme, self.department_id = programme, department_id
        self.margin, self.trend = margin, trend

    # -- shared by several pages -----------------------------------------------------------
    @cached_property
    def official(self) -> Official:
        """(unit id, indicator id) → its current official figure (`official_values`)."""
        return official_values(self.plan, self.as_of)

    @cached_property
    def indicators(self) -> dict[int, Indicator]:
        return {
            i.pk: i for i in Indicator.objects.filter(plan=self.plan).select_related("programme")
        }

    @property
    def elapsed(self) -> Decimal:
        """时间进度: the share of the plan's window passed (from the start of reporting to
        31 December, `metrics.window`), not of the calendar year (`metrics.year_elapsed`)."""
        return metrics.elapsed(self.plan, self.as_of)

    @cached_property
    def elapsed_by_indicator(self) -> dict[int, Decimal]:
        """Once per indicator, not once per share: 45 windows, not 17,000."""
        return {pk: metrics.elapsed(self.plan, self.as_of, i) for pk, i in self.indicators.items()}

    @cached_property
    def scope(self) -> Programme | None:
        if not self.programme:
            return None
        return get_object_or_404(Programme, plan=self.plan, number=self.programme)

    @cached_property
    def progress(self) -> list[ShareProgress]:
        return share_progress(
            plan=self.plan,
            as_of=self.as_of,
            programme=self.scope,
            department_id=self.department_id,
            # Read already for this page (the overview, the bulletin): not looked up again.
            official=self.__dict__.get("official"),
        )

    @cached_property
    def judged(self) -> Judged:
        return judge_shares(
            progress=self.progress,
            elapsed=self.elapsed_by_indicator,
            margin=self.margin,
            margins=self.margins,
        )

    @cached_property
    def margins(self) -> tuple[Decimal, Decimal]:
        """滞后 and 严重滞后 (黄牌 and 红牌 of progress): the plan's, else the settings'."""
        return metrics.thresholds(self.plan)

    @cached_property
    def units(self) -> dict[int, Unit]:
        """Every unit with a share judged, by id."""
        return Unit.objects.in_bulk(list(self.judged.completions))

    @cached_property
    def timeliness(self) -> dict[int, Timeliness]:
        """Unit id → its reports due, received and on time (`timeliness_by_unit`)."""
        return timeliness_by_unit(plan=self.plan, as_of=self.as_of, programme=self.programme)

    # -- the pages -------------------------------------------------------------------------
    @cached_property
    def overview(self) -> Overview:
        trend = trend_of(self.plan, self.as_of) if self.trend else {}
        return overview_of(plan=self.plan, as_of=self.as_of, official=self.official, trend=trend)

    @cached_property
    def _ranked(self) -> tuple[list[RankRow], list[RankGroup]]:
        rows = rank_units(judged=self.judged, units=self.units, timeliness=self.timeliness)
        return rows, rank_in_groups(plan=self.plan, rows=rows)

    @property
    def ranking(self) -> list[RankRow]:
        """Every unit, best first; with the plan's ranking groups, each row also knows its
        group and its rank within it."""
        return self._ranked[0]

    @property
    def ranking_groups(self) -> list[RankGroup]:
        """The ranking split into the plan's ranking groups, in order ([]: no groups)."""
        return self._ranked[1]

    @cached_property
    def warnings(self) -> list[Warning]:
        warnings = early_warnings(
            judged=self.judged, indicators=self.indicators, units=self.units, margins=self.margins
        )
        return mark_warning_groups(plan=self.plan, warnings=warnings)

    @cached_property
    def cards(self) -> list[UnitCards]:
        """黄牌 / 红牌 per unit: of what it owes by a date, and of its shares in `warnings`."""
        due = obligation_cards(plan=self.plan, as_of=self.as_of, department_id=self.department_id)
        missing = set(due) - set(self.units)
        units = self.units | (Unit.objects.in_bulk(list(missing)) if missing else {})
        return unit_cards(due=due, warnings=self.warnings, units=units)

    @cached_property
    def milestones(self) -> list[MilestoneState]:
        return milestone_states(plan=self.plan, as_of=self.as_of)

    @cached_property
    def federation_steps(self) -> list[StepStatus]:
        """The federation's own steps and their states (supervision): the overview's block and
        the bulletin's section."""
        return federation_steps(plan=self.plan, as_of=self.as_of)

    def matrix(self, number: int) -> Matrix:
        """One programme's units × indicators: its own figures only, read on their own."""
        return programme_matrix(plan=self.plan, number=number, as_of=self.as_of)

    def unit_reports(self, number: int, unit: Unit) -> list[PeriodReport]:
        return unit_programme_reports(plan=self.plan, number=number, unit=unit, as_of=self.as_of)
