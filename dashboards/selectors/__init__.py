"""Where the plan stands on a date, from the official figures valid on that date.

official    the figures official as at a date, pending ones, the city targets
overview    per programme and indicator, the city's progress
matrix      a programme's units × indicators, and a unit's reports behind a row
ranking     timeliness, shares judged against the time elapsed, ranking and warnings
milestones  each step's state
figures     `PlanFigures`: all of these for one (plan, date), each computed once

Every selector runs a fixed number of queries whatever the number of units; the arithmetic
("elapsed", "behind") lives in `dashboards.metrics`. Pages and the bulletin read through
`PlanFigures`; the functions below are the same figures for a caller that wants one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dashboards.selectors.figures import PlanFigures
from dashboards.selectors.matrix import (
    Cell,
    Matrix,
    PeriodReport,
    UnitRef,
    programme_matrix,
    unit_programme_reports,
)
from dashboards.selectors.milestones import MilestoneState, milestone_states
from dashboards.selectors.official import (
    Official,
    current_value,
    official_values,
    pending_values,
)
from dashboards.selectors.overview import IndicatorRow, Overview
from dashboards.selectors.ranking import (
    Judged,
    RankRow,
    ShareProgress,
    Timeliness,
    Warning,
    judge_shares,
    share_progress,
    timeliness_by_unit,
)
from plans.models import Plan

__all__ = [
    "Cell",
    "IndicatorRow",
    "Judged",
    "Matrix",
    "MilestoneState",
    "Official",
    "Overview",
    "PeriodReport",
    "PlanFigures",
    "RankRow",
    "ShareProgress",
    "Timeliness",
    "UnitRef",
    "Warning",
    "city_overview",
    "current_value",
    "early_warnings",
    "judge_shares",
    "milestone_states",
    "official_values",
    "pending_values",
    "programme_matrix",
    "share_progress",
    "timeliness_by_unit",
    "unit_programme_reports",
    "unit_ranking",
]


def city_overview(*, plan: Plan, as_of: dt.date) -> Overview:
    return PlanFigures(plan, as_of).overview


def unit_ranking(*, plan: Plan, as_of: dt.date, programme: int | None = None) -> list[RankRow]:
    return PlanFigures(plan, as_of, programme=programme).ranking


def early_warnings(
    *,
    plan: Plan,
    as_of: dt.date,
    margin: Decimal | None = None,
    department_id: int | None = None,
) -> list[Warning]:
    return PlanFigures(plan, as_of, margin=margin, department_id=department_id).warnings
