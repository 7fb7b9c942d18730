"""What reporting holds of a plan's indicators and steps, for editing a running plan
(plans/editing/, through plans.extensions): plans may not drop what units have reported."""

from __future__ import annotations

from django.db.models import Count

from plans.extensions import FIGURES, REPORTS, Use
from reporting.models import CityFigure, OfficialValue, ProgressValue, Report


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("pk", distinct=True)).order_by())


def indicator_uses(*, indicator_ids: set[int]) -> dict[int, list[Use]]:
    """Per indicator: the reports whose obligation asks for it, its reported progress values,
    its official figures (approved, or withdrawn since: kept as history) and 市总统计. Four
    queries, whatever the number of indicators."""
    ids = list(indicator_ids)
    found: dict[int, list[Use]] = {}
    for counts, kind, words in (
        (_counts(Report.objects.filter(obligation__indicators__in=ids), "obligation__indicators"),
         REPORTS, "{n} 份单位填报"),
        (_counts(ProgressValue.objects.filter(indicator_id__in=ids), "indicator_id"),
         FIGURES, "{n} 个已填报的进度值"),
        (_counts(OfficialValue.objects.filter(indicator_id__in=ids), "indicator_id"),
         FIGURES, "{n} 个正式数据（审核通过的数据）"),
        (_counts(CityFigure.objects.filter(indicator_id__in=ids), "indicator_id"),
         FIGURES, "{n} 个市总统计数"),
    ):  # fmt: skip
        for pk, n in counts.items():
            found.setdefault(pk, []).append(Use(kind, words.format(n=n)))
    return found


def milestone_uses(*, milestone_ids: set[int]) -> dict[int, list[Use]]:
    """Per step: the reports units made on its obligations (材料报送). One query."""
    reports = Report.objects.filter(obligation__milestone_id__in=list(milestone_ids))
    return {
        pk: [Use(REPORTS, f"{n} 份单位已报送的材料")]
        for pk, n in _counts(reports, "obligation__milestone_id").items()
    }
