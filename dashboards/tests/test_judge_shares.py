"""Judging each share once gives the ranking's 滞后 counts exactly as `metrics.status` would,
and the warnings' lagging shares by their own margin, whatever the two margins are."""

import datetime as dt
from decimal import Decimal

import pytest

from dashboards import metrics, selectors
from demo.bench import bench_data_generate
from plans.models import Indicator

AS_OF = dt.date(2022, 7, 1)
COMPLETIONS = [None, *(Decimal(n) / 100 for n in range(0, 130, 5))]


@pytest.mark.django_db
@pytest.mark.parametrize("behind, far_behind", [("0.10", "0.30"), ("0.30", "0.10"), ("0", "0")])
def test_shares_behind_and_lagging_match_the_status_of_each_share(settings, behind, far_behind):
    settings.UNIONPLAN_BEHIND_MARGIN, settings.UNIONPLAN_FAR_BEHIND_MARGIN = behind, far_behind
    plan = bench_data_generate(units=2).plans[0]
    indicators = list(Indicator.objects.filter(plan=plan))
    elapsed = {i.pk: metrics.elapsed(plan, AS_OF, i) for i in indicators}
    progress = [
        selectors.ShareProgress(unit, i.pk, Decimal(10), done)
        for unit, done in enumerate(COMPLETIONS)
        for i in indicators
    ]
    margin = Decimal("0.2")
    judged = selectors.judge_shares(progress=progress, elapsed=elapsed, margin=margin)

    lagging_statuses = (metrics.BEHIND, metrics.FAR_BEHIND)
    for unit, done in enumerate(COMPLETIONS):
        expected_behind = sum(
            metrics.status(done, elapsed[i.pk]) in lagging_statuses for i in indicators
        )
        assert judged.behind.get(unit, 0) == expected_behind, (unit, done)
        expected_lagging = [
            (i.pk, done, elapsed[i.pk])
            for i in indicators
            if done is not None and elapsed[i.pk] - done > margin
        ]
        assert judged.lagging.get(unit, []) == expected_lagging
        assert judged.completions[unit] == [done] * len(indicators)
    assert any(judged.behind.values()) and any(judged.lagging.values())  # the cases are met
