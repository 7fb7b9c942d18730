"""The demo's federation steps (本部门工作节点): most steps due before `today` marked done by
their department's demo account, a few days before their due date; every third left undone, so
each department's page, the overview and the bulletin show overdue steps too."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from orgs.models import User
from plans.models import Plan
from reporting.services.notifications import deliveries_held
from supervision.models import StepCompletion
from supervision.selectors import federation_steps
from supervision.services import step_complete


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_steps_create(*, plan: Plan, today: dt.date) -> int:
    """Completions through the service, as the departments' staff would mark them."""
    if StepCompletion.objects.filter(milestone__programme__plan=plan).exists():
        return 0  # already seeded: never overwrite what someone has marked
    staff = {u.department_id: u for u in User.objects.filter(role=User.Role.DEPARTMENT_STAFF)}
    created = 0
    due = [
        (step, occurrence)
        for step in federation_steps(plan=plan, as_of=today)
        for occurrence in step.occurrences
        if occurrence.due < today
    ]
    for i, (step, occurrence) in enumerate(due):
        clerk = next((staff[d] for d in sorted(step.department_ids) if d in staff), None)
        if clerk is None or i % 3 == 2:
            continue
        m = step.milestone
        step_complete(
            milestone=m,
            actor=clerk,
            due_date=occurrence.due,
            done_on=min(occurrence.due - dt.timedelta(days=3), today),
            note=f"已按方案完成：{m.title}",
            names=m.deliverable or f"{m.title}工作台账",
        )
        created += 1
    return created
