from pathlib import Path

import pytest
from django.conf import settings

from plans.planfile.spec import read_plan_file
from plans.services import plan_load


@pytest.fixture
def ruzhou_plan(plan_2022):
    """汝州市总工会's own plan under Pingdingshan's (an example file): its 专案1 targets are
    汝州市's shares in Pingdingshan's T02, and its issuer is Pingdingshan's unit."""
    path = Path(settings.BASE_DIR) / "plans" / "data" / "examples" / "ruzhou-2022.yaml"
    return plan_load(spec=read_plan_file(path)).plan
