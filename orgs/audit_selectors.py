"""Reads of the audit log for the audit administrator's search and export (pages in orgs,
beside the other administrators' pages; the log itself is the audit app's).

Each federation's audit administrator reads the entries of their own federation and the
entries tied to no federation, never another federation's. An entry's federation is the one
copied when it was written (`AuditEntry.federation_id`, see `audit.services.entry_federation_id`);
where that is null (written before the column existed, or tied to nothing then) it is the
actor's federation, else the federation of the account the entry's username names (a failed
login written before the column). An entry tied to none of these (a backup, a login naming no
account) is every audit administrator's: it tells nothing of a federation's business, and
hiding it would hide password spraying and the platform's own commands from everyone. Such
entries are marked 系统 or 未知账号 on the page and in the export.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from audit.labels import event_area_label, event_label, object_type_label, role_label
from audit.models import AuditEntry
from orgs.models import User

RESULT_LABELS = dict(AuditEntry.Result.choices)

# Whose an entry is, as the page and the export say it (`shared_label`).
OWN = "本工会"
SHARED_SYSTEM = "系统"
SHARED_UNKNOWN_ACCOUNT = "未知账号"
SHARED_NO_FEDERATION = "未归属工会"

EXPORT_HEADERS = [
    "时间（北京时间）",
    "用户",
    "角色",
    "单位",
    # 本工会, or who else sees the entry: 系统 / 未知账号 (every federation's administrator).
    "归属",
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


def _federation_of_entry():
    """The federation an entry is tied to, in SQL: the copied one, else the actor's, else
    that of the account its username names (case ignored, as usernames are unique)."""
    named = (
        User.objects.annotate(name=Lower("username"))
        .filter(name=Lower(OuterRef("actor_username")), federation__isnull=False)
        .values("federation_id")[:1]
    )
    return Coalesce(
        "federation_id", "actor__federation_id", Subquery(named), output_field=BigIntegerField()
    )


def audit_entries_visible_to(actor: User) -> QuerySet[AuditEntry]:
    """The entries of `actor`'s federation and those tied to no federation, each annotated
    with `tied_federation_id` (null for the shared ones). An audit administrator with no
    federation reads the shared ones only. The filter reads the copied federation first
    (`federation_id = F OR federation_id IS NULL …`, which PostgreSQL can take from the
    index) and works out the fallback for the null ones only."""
    entries = AuditEntry.objects.annotate(tied_federation_id=_federation_of_entry())
    federation_id = actor.federation_id
    if federation_id is None:
        return entries.filter(federation_id__isnull=True, tied_federation_id__isnull=True)
    # Tied to this federation, or to none: an entry tied to none counts as everyone's.
    ours_or_nobodys = Coalesce(
        _federation_of_entry(), Value(federation_id), output_field=BigIntegerField()
    )
    return entries.alias(ours_or_nobodys=ours_or_nobodys).filter(
        Q(federation_id=federation_id)
        | Q(federation_id__isnull=True, ours_or_nobodys=federation_id)
    )


def shared_label(entry: AuditEntry) -> str:
    """Why every federation's audit administrator sees an entry of `audit_entry_list` (系统,
    未知账号, 未归属工会); empty for an entry of the reader's own federation."""
    if entry.tied_federation_id is not None:
        return ""
    if entry.actor_id is not None:
        return SHARED_NO_FEDERATION
    if entry.event.startswith("auth.") and entry.actor_username:
        return SHARED_UNKNOWN_ACCOUNT
    return SHARED_SYSTEM


def audit_entry_list(
    *,
    actor: User,
    username: str = "",
    event: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str = "",
    object_id: str = "",
    result: str = "",
) -> QuerySet[AuditEntry]:
    """The entries `actor` (an audit administrator) may read (`audit_entries_visible_to`),
    newest first. `event` matches from the start (`auth.` finds every login event); dates are
    local days, both ends included. Loads no related row: the copied actor fields are enough
    and the federation is worked out in the same SQL, so a page is two queries (count and
    rows) however many entries it shows."""
    entries = audit_entries_visible_to(actor).order_by("-at", "-id")
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
            shared_label(e) or OWN,
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
