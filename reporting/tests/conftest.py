import pytest

from reporting.models import Obligation


@pytest.fixture
def may_reform(plan_2022):
    """汝州市's progress for 专案3 (five indicators, reviewed by 劳动和经济工作部), May 2022."""
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )


@pytest.fixture
def june_reform(plan_2022):
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-06-30"
    )
