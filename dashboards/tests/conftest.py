import pytest

from dashboards.tests.test_exports import two_units_reported


@pytest.fixture
def bulletin_data(
    plan_2022, settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff
):
    """The 2022 plan with 汝州市's and 郏县's reports approved: what a bulletin is written from."""
    two_units_reported(settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff)
    return plan_2022
