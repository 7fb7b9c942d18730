"""What records holds of a plan's indicators, for editing a running plan (plans/editing/,
through plans.extensions): an indicator a form computes is not deleted from under it."""

from __future__ import annotations

from plans.extensions import FORM, Use
from records.models import RecordIndicator


def indicator_uses(*, indicator_ids: set[int]) -> dict[int, list[Use]]:
    """Per indicator: the form whose rows compute it. One query."""
    computed = RecordIndicator.objects.filter(indicator_id__in=list(indicator_ids))
    return {
        pk: [Use(FORM, f"统计表「{title}」的记录据此计算")]
        for pk, title in computed.values_list("indicator_id", "form__title")
    }
