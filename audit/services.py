"""Writing audit entries. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit.context import client_ip
from audit.models import RETENTION_DAYS, AuditEntry


def audit_record(
    *,
    actor: Any,
    event: str,
    target: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    result: str = AuditEntry.Result.OK,
    reason: str = "",
    username: str = "",
    federation: models.Model | None = None,
) -> AuditEntry:
    """One entry. `username` names who acted when there is no signed-in actor (a failed login,
    a command). `federation` is for a caller with no actor whose target does not name its
    federation (a command changing a plan would pass the plan's issuer); see
    `entry_federation_id`.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(user, "unit", None) if user else None
    return AuditEntry.objects.create(
        federation_id=entry_federation_id(user=user, target=target, federation=federation),
        actor=user,
        actor_username=user.get_username() if user else username,
        actor_role=getattr(user, "role", "") if user else "",
        actor_unit=unit.short_name if unit else "",
        ip=client_ip.get(),
        event=event,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        before=before,
        after=after,
        result=result,
        reason=reason,
    )


def audit_record_many(
    *,
    actor: Any,
    event: str,
    changes: list[tuple[models.Model, Any, Any]],
    reason: str = "",
) -> int:
    """One entry per (target, before, after), written in one INSERT batch: an import of
    10,000 rows records each row's change without 10,000 round trips."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(user, "unit", None) if user else None
    common = {
        "actor": user,
        "actor_username": user.get_username() if user else "",
        "actor_role": getattr(user, "role", "") if user else "",
        "actor_unit": unit.short_name if unit else "",
        "ip": client_ip.get(),
        "event": event,
        "result": AuditEntry.Result.OK,
        "reason": reason,
    }
    entries = [
        AuditEntry(
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
            object_repr=str(target)[:300],
            before=before,
            after=after,
            federation_id=entry_federation_id(user=user, target=target, federation=None),
            **common,
        )
        for target, before, after in changes
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def entry_federation_id(
    *, user: Any, target: models.Model | None, federation: models.Model | None
) -> int | None:
    """The federation whose audit administrator reads an entry, without a query:

    - an entry with an actor: the actor's federation (`actor.federation_id`), whatever it
      acted on;
    - with no actor, the federation the caller names (`federation`), else the target's own
      when the target is an account, a unit or a department (a failed login or a lockout
      names the account it tried, a command the account it made), or the issuer of the plan
      it belongs to (a command entering a 市总统计 figure, sealing a form's personal data);
    - else none: a command with no target (a backup), a login naming no account. Such an
      entry reveals no federation's business and is shown to every federation's audit
      administrator as 系统 or 未知账号 (orgs.audit_selectors, docs/security.md).
    """
    if user is not None:
        return getattr(user, "federation_id", None)
    if federation is not None:
        return federation.pk
    return _owner_of(target)


# How an object of a plan reaches the plan whose issuer owns it (a command's 市总统计 figure,
# a form, a report): followed only for entries with no actor, so a query here is rare.
PLAN_PATHS = ("plan", "indicator.plan", "form.plan", "obligation.plan", "report.obligation.plan")


def _owner_of(target: models.Model | None) -> int | None:
    if target is None:
        return None
    if hasattr(target, "federation_id"):  # an account, a unit, a department
        return target.federation_id
    if hasattr(target, "issuer_id"):  # a plan
        return target.issuer_id
    for path in PLAN_PATHS:
        found: Any = target
        for name in path.split("."):
            found = getattr(found, name, None)
        if found is not None and hasattr(found, "issuer_id"):
            return found.issuer_id
    return None


@transaction.atomic
def audit_purge(*, older_than_days: int) -> int:
    """Delete entries older than `older_than_days` (never fewer than the retention period).

    No switch is needed or possible: the database itself refuses to delete a younger entry, and
    on PostgreSQL only the tables' owner may delete at all (the application's role may not), so
    the purge runs with the owner's connection (docs/deploy.md).
    """
    days = max(older_than_days, RETENTION_DAYS)
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
