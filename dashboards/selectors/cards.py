"""黄牌 / 红牌 counted per unit as of a date: of what each unit owes by a date
(reporting.warning_levels) and of its shares behind the time elapsed (metrics.progress_level).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from dashboards.selectors.ranking import Warning
from orgs.models import Unit
from plans.models import Plan
from reporting import warning_levels
from reporting.as_of import cutoff
from reporting.models import Obligation


@dataclass
class UnitCards:
    """One unit's cards: of what it owes (`due_*`) and of its progress (`progress_*`)."""

    unit: Unit
    due_yellow: int = 0
    due_red: int = 0
    progress_yellow: int = 0
    progress_red: int = 0

    @property
    def yellow(self) -> int:
        return self.due_yellow + self.progress_yellow

    @property
    def red(self) -> int:
        return self.due_red + self.progress_red


def obligation_cards(
    *, plan: Plan, as_of: dt.date, department_id: int | None = None
) -> dict[int, tuple[int, int]]:
    """Unit id → (黄牌, 红牌) of what it owes, as of `as_of`: an item counts as sent from its
    report's first confirmation or its being met (as `timeliness_by_unit` counts received),
    both kept on the obligation. Three queries: the working days, and the unsent items grouped
    by unit and due date."""
    at = cutoff(as_of)
    sent = Q(reported_at__lt=at) | Q(met_at__lt=at)
    queryset = (
        Obligation.objects.filter(plan=plan, due_date__lte=as_of + warning_levels.HORIZON)
        .exclude(sent)
        .order_by()
    )
    if department_id is not None:
        queryset = queryset.filter(programme__departments=department_id)
    groups = queryset.values_list("unit_id", "due_date").annotate(n=Count("id", distinct=True))
    calendar = warning_levels.calendar_around(as_of)
    workdays = warning_levels.due_soon_workdays(plan)
    counts: dict[int, list[int]] = {}
    for unit_id, due_date, n in groups:
        card = warning_levels.level(
            due_date=due_date, sent=False, today=as_of, calendar=calendar, workdays=workdays
        )
        if card:
            counted = counts.setdefault(unit_id, [0, 0])
            counted[card == warning_levels.RED] += n
    return {unit_id: (yellow, red) for unit_id, (yellow, red) in counts.items()}


def unit_cards(
    *, due: dict[int, tuple[int, int]], warnings: list[Warning], units: dict[int, Unit]
) -> list[UnitCards]:
    """Every unit with a card, most red first: `due` from `obligation_cards`, the progress
    cards from the `warnings` (each lagging share's card); `units` by id, each unit of `due`
    and of `warnings` among them."""
    cards: dict[int, UnitCards] = {}
    for unit_id, (yellow, red) in due.items():
        cards[unit_id] = UnitCards(units[unit_id], due_yellow=yellow, due_red=red)
    for w in warnings:
        if w.yellow or w.red:
            counted = cards.setdefault(w.unit.pk, UnitCards(w.unit))
            counted.progress_yellow, counted.progress_red = w.yellow, w.red
    return sorted(cards.values(), key=lambda c: (-c.red, -c.yellow, c.unit.order, c.unit.pk))
