"""Bringing a set of rows in the database in line with a desired set, matched by natural key.

Used by loaders that must be idempotent: an unchanged input writes nothing, a changed input
updates rows in place (keeping their ids, which other records point to).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import ProtectedError

from common.errors import ServiceError


class SyncCounter(Counter):
    """Counts of created / updated / deleted rows per model label."""

    def add(self, model: type[models.Model], action: str, n: int = 1) -> None:
        if n:
            self[f"{model._meta.model_name}.{action}"] += n

    @property
    def changed(self) -> bool:
        return any(self.values())


def sync_rows(
    queryset: models.QuerySet,
    *,
    key: tuple[str, ...],
    rows: Iterable[dict[str, Any]],
    counter: SyncCounter,
    delete_missing: bool = True,
) -> dict[tuple, models.Model]:
    """Create, update or delete rows of `queryset` so it holds exactly `rows`.

    Each row is a dict of field attnames (`unit_id`, not `unit`) to values; `key` names the
    fields that identify a row. Returns the resulting objects by key.
    """
    model = queryset.model
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in queryset}
    result: dict[tuple, models.Model] = {}
    for row in rows:
        row_key = tuple(row[k] for k in key)
        if row_key in result:
            raise ValueError(f"duplicate key {row_key} for {model.__name__}")
        obj = existing.pop(row_key, None)
        if obj is None:
            obj = model.objects.create(**row)
            counter.add(model, "created")
        else:
            changed = [f for f, v in row.items() if getattr(obj, f) != v]
            if changed:
                for f in changed:
                    setattr(obj, f, row[f])
                obj.save(update_fields=changed)
                counter.add(model, "updated")
        result[row_key] = obj
    if delete_missing and existing:
        try:
            model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
        except ProtectedError as exc:  # raised before anything is deleted
            raise SyncRefused(model, list(existing.values()), exc.protected_objects) from exc
        counter.add(model, "deleted", len(existing))
    return result


class SyncRefused(ServiceError):
    """The input drops rows that records elsewhere still point to (scores, nominations):
    refused with what was dropped, rather than erasing those records with them."""

    def __init__(self, model, dropped: list, protected) -> None:
        used = _referenced(model, dropped, protected) or dropped  # else referenced further down
        used_by = sorted({_words(o._meta.verbose_name) for o in protected})
        names = "、".join(f"「{o}」" for o in used[:10])
        more = f"等 {len(used)} 项" if len(used) > 10 else ""
        super().__init__(
            f"不能删去{model._meta.verbose_name}{names}{more}：已有{'、'.join(used_by)}引用它。"
            "请在文件中保留后再导入。"
        )


def _referenced(model, dropped: list, protected) -> list:
    """The dropped rows a protected record points to directly."""
    pks = {o.pk for o in dropped}
    hit = set()
    for record in protected:
        for f in record._meta.concrete_fields:
            if f.is_relation and f.related_model is model:
                value = getattr(record, f.attname)
                if value in pks:
                    hit.add(value)
    return [o for o in dropped if o.pk in hit]


def _words(verbose_name) -> str:
    """A model's name for the message: its Chinese verbose name, never an English default."""
    text = str(verbose_name)
    return text if any(ord(c) > 0x2E80 for c in text) else "其他记录"
