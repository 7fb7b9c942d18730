"""What the editing tests share: an indicator or a step as its edit page would send it back
unchanged, to change one thing of."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from orgs.models import Unit
from plans.editing import IndicatorInput, MilestoneInput, target_typed
from plans.models import Indicator, Milestone, Plan
from reporting.services.official import Figure, official_record

SLUG = "pingdingshan-2022"


def indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("programme", "plan", "part_of").get(
        plan__slug=SLUG, code=code
    )


def step(number: int, order: int) -> Milestone:
    return Milestone.objects.select_related("programme__plan").get(
        programme__plan__slug=SLUG, programme__number=number, order=order
    )


def typed(i: Indicator, **changes) -> IndicatorInput:
    unchanged = IndicatorInput(
        name=i.name,
        measure=i.measure,
        target=target_typed(i),
        comparator=i.comparator if i.target is not None else "",
        due=i.due_date,
        period=i.period,
        per_unit_min=i.per_unit_min,
        per_unit_max=i.per_unit_max,
        per_unit_scope=list(i.per_unit_scope),
        part_of=i.part_of.code if i.part_of_id else "",
    )
    return dataclasses.replace(unchanged, **changes)


def step_typed(m: Milestone, **changes) -> MilestoneInput:
    unchanged = MilestoneInput(
        title=m.title,
        when=dict(m.rule),
        actor=m.actor,
        actor_departments=[d.name for d in m.actor_departments.all()],
        actor_scope=list(m.actor_scope),
        deliverable=m.deliverable,
        deliver_to=m.deliver_to,
        late_policy=m.late_policy,
    )
    return dataclasses.replace(unchanged, **changes)


def new_indicator(**values) -> IndicatorInput:
    return IndicatorInput(**{"name": "新增指标", "measure": "人", **values})


def approve(code: str, unit_code: str = "ruzhou", value: str = "3") -> None:
    """An approved figure of `unit_code` for indicator `code`, as the review makes one."""
    official_record(
        [
            Figure(
                unit_id=Unit.objects.get(code=unit_code).pk,
                indicator_id=indicator(code).pk,
                period_end=dt.date(2022, 5, 31),
                value=Decimal(value),
                approved_at=timezone.now(),
            )
        ]
    )


def plan() -> Plan:
    return Plan.objects.get(slug=SLUG)
