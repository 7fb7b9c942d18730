"""Seeding the past through the services: the demo steps the application's clock."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.test.utils import override_settings


@contextlib.contextmanager
def on_day(day: dt.date):
    """Within the block the application's date (common.clock) is `day`, so the services stamp,
    judge lateness and make figures official on that day."""
    with override_settings(UNIONPLAN_TODAY=day.isoformat()):
        yield
