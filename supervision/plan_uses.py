"""What supervision holds of a plan's steps, for editing a running plan (plans/editing/, through
plans.extensions): a step marked done is not deleted with its record of completion."""

from __future__ import annotations

from django.db.models import Count

from plans.extensions import REPORTS, Use
from supervision.models import StepCompletion


def milestone_uses(*, milestone_ids: set[int]) -> dict[int, list[Use]]:
    """Per step: its completions that count (not undone). One query."""
    counts = (
        StepCompletion.objects.filter(milestone_id__in=list(milestone_ids), undone_at__isnull=True)
        .values_list("milestone_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {pk: [Use(REPORTS, f"{n} 次标记完成（本部门工作节点）")] for pk, n in counts}
