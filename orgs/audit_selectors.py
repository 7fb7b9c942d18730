"""Reads of the audit log for the audit administrator's search and export (pages in orgs,
beside the other administrators' pages; the log itself is the audit app's)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from audit.labels import event_area_label, event_label, object_type_label, role_label
from audit.models import AuditEntry

RESULT_LABELS = dict(AuditEntry.Result.choices)

EXPORT_HEADERS = [
    "时间（北京时间）",
    "用户",
    "角色",
    "单位",
    "IP",
    "事件类别",
    "事件",
    "对象类型",
    "对象编号",
    "对象说明",
    "修改前",
    "修改后",
    "结果",
    "原因",
    # The codes behind the Chinese names, for filtering a spreadsheet exactly.
    "事件代码",
    "对象类型代码",
]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entry_list(
    *,
    username: str = "",
    event: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str = "",
    object_id: str = "",
    result: str = "",
) -> QuerySet[AuditEntry]:
    """Entries newest first. `event` matches from the start (`auth.` finds every login event);
    dates are local days, both ends included. Reads no related row: the copied actor fields
    are enough, so a page is two queries (count and rows) however many entries it shows."""
    entries = AuditEntry.objects.order_by("-at", "-id")
    if username:
        entries = entries.filter(actor_username=username)
    if event:
        entries = entries.filter(event__startswith=event)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if result:
        entries = entries.filter(result=result)
    return entries


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_entry_rows(entries: QuerySet[AuditEntry]) -> Iterator[list]:
    """One list of cell values per entry, in EXPORT_HEADERS order, read in chunks."""
    for e in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            role_label(e.actor_role),
            e.actor_unit,
            e.ip or "",
            event_area_label(e.event),
            event_label(e.event),
            object_type_label(e.object_type) if e.object_type else "",
            e.object_id,
            e.object_repr,
            _json(e.before),
            _json(e.after),
            RESULT_LABELS.get(e.result, e.result),
            e.reason,
            e.event,
            e.object_type,
        ]
