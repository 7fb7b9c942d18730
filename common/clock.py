"""Today's date in Asia/Shanghai, or the demo/training date set by UNIONPLAN_TODAY, and the
moment business actions (submit, confirm, approve, reopen) are stamped with."""

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


def now() -> dt.datetime:
    """The real moment, or on a fixed date that date at the real Asia/Shanghai time of day.

    Dashboards count what was approved before the end of their as-of day; on a demo or training
    date, an approval stamped with the real clock would lie years after it and never count.
    The audit log keeps the real time.
    """
    real = timezone.now()
    if not is_fixed():
        return real
    return dt.datetime.combine(today(), timezone.localtime(real).timetz())


def start_of(day: dt.date) -> dt.datetime:
    """The first instant of `day` in Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def chinese_date(day: dt.date) -> str:
    """2022年8月5日, as notices and the bulletin write a date (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
