"""Today's date in Asia/Shanghai, or the demo/training date set by UNIONPLAN_TODAY."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "UNIONPLAN_TODAY", None)
    if fixed:
        return dt.date.fromisoformat(str(fixed))
    return timezone.localdate()


def is_fixed() -> bool:
    return bool(getattr(settings, "UNIONPLAN_TODAY", None))
