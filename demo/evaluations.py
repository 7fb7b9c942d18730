"""The demo's 评分自评: 汝州市 has filled and submitted its self-assessment against 专案2's
rubric (waiting for its head); 郏县's was confirmed, scored by 劳动和经济工作部 and approved, so
the results page has a final total to rank. Through the services, as the users would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from evaluations import selectors, services
from evaluations.models import Evaluation
from orgs.models import Unit, User
from plans.models import Plan
from reporting.services.notifications import deliveries_held


def _values(criteria, unit, share: Decimal, text: str):
    return {
        c.pk: ((c.points * share).quantize(Decimal("0.5")), text)
        for c in criteria
        if selectors.is_typed(c, criteria)
    }


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_evaluations_create(*, plan: Plan, today: dt.date) -> int:
    """Returns how many evaluations were made (0 when the demo has them already)."""
    rubrics = selectors.rubric_list(plan=plan)
    if not rubrics or Evaluation.objects.filter(rubric__in=rubrics).exists():
        return 0
    rubric = rubrics[0]
    criteria = selectors.criteria_of(rubric)
    staff = (
        User.objects.filter(
            role=User.Role.DEPARTMENT_STAFF,
            department__in=rubric.programme.departments.all(),
            is_active=True,
        )
        .order_by("username")
        .first()
    )
    made = 0
    for code, share, final in (
        ("ruzhou", Decimal("0.9"), False),
        ("jiaxian", Decimal("0.8"), True),
    ):
        unit = Unit.objects.filter(code=code, plans=plan).first()
        reporter = User.objects.filter(unit=unit, role=User.Role.UNIT_REPORTER).first()
        head = User.objects.filter(unit=unit, role=User.Role.UNIT_HEAD).first()
        if unit is None or reporter is None or head is None:
            continue
        evaluation = services.evaluation_self_save(
            rubric=rubric,
            unit=unit,
            actor=reporter,
            values=_values(criteria, unit, share, "已按评分标准落实，见佐证材料"),
        )
        services.evaluation_move(evaluation=evaluation, action="submit", actor=reporter)
        made += 1
        if not final or staff is None:
            continue
        services.evaluation_move(evaluation=evaluation, action="confirm", actor=head)
        services.evaluation_score(
            evaluation=evaluation,
            actor=staff,
            values=_values(criteria, unit, share - Decimal("0.1"), "基本属实"),
        )
        services.evaluation_move(evaluation=evaluation, action="approve", actor=staff)
    return made
