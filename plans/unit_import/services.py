"""Writing an imported unit list: all or nothing, as its preview showed it, each unit's
change audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from audit.services import audit_record, audit_record_many
from common.errors import ServiceError
from orgs.models import Unit, UnitAlias
from plans.models import Plan
from plans.unit_import.preview import plan_units_preview
from plans.unit_import.sheet import UnitSheet

EVENT_UNITS_IMPORTED = "plans.units.imported"
EVENT_UNIT_CREATED = "plans.units.created"
EVENT_UNIT_UPDATED = "plans.units.updated"
UNITS_IMPORT_NOT_READY = "还有出错的行，请改好文件后重新上传。"
UNITS_IMPORT_CHANGED = "自预览以来单位情况已有变化，已按最新情况重新生成预览，请核对后再确认导入。"
UNITS_IMPORT_EMPTY = "文件中的单位都已在本方案中且没有变化，无需导入。"


@dataclass(frozen=True)
class UnitsImported:
    created: int
    updated: int
    added: int


def _snapshot(unit: Unit, aliases: list[str]) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
        "aliases": aliases,
    }


def plan_units_import(*, actor, plan: Plan, sheet: UnitSheet, fingerprint: str) -> UnitsImported:
    """Create, update and add to `plan` the units the preview showed (`fingerprint`); all or
    nothing, each unit's change audited."""
    try:
        return _import(actor=actor, plan=plan, sheet=sheet, fingerprint=fingerprint)
    except IntegrityError as exc:  # a code or name taken between the preview and the write
        raise ServiceError(UNITS_IMPORT_CHANGED) from exc


@transaction.atomic
def _import(*, actor, plan: Plan, sheet: UnitSheet, fingerprint: str) -> UnitsImported:
    # One import per federation at a time: codes are chosen against the units there now.
    Unit.objects.select_for_update().filter(pk=plan.issuer_id).first()
    plan = Plan.objects.select_related("issuer").get(pk=plan.pk)
    if plan.is_closed:
        raise ServiceError(plan.closed_refusal)
    preview = plan_units_preview(plan=plan, sheet=sheet)
    if not preview.ready:
        raise ServiceError(UNITS_IMPORT_NOT_READY)
    if preview.fingerprint != fingerprint:
        raise ServiceError(UNITS_IMPORT_CHANGED)
    if not preview.writes:
        raise ServiceError(UNITS_IMPORT_EMPTY)
    order = (Unit.objects.filter(plans=plan).aggregate(m=Max("order"))["m"] or 0) + 1
    made: dict[int, Unit] = {}
    created, updated = [], []
    pending = [i for i, r in enumerate(preview.rows) if r.action == "new"]
    while pending:  # parents first: a new unit may sit under another new one
        rows = preview.rows
        later = [
            i for i in pending if rows[i].parent_row is not None and rows[i].parent_row not in made
        ]
        waiting = set(later)
        for i in pending:
            if i in waiting:
                continue
            row = rows[i]
            line = sheet.rows[i]
            unit = Unit.objects.create(
                code=row.code,
                name=line.name,
                short_name=row.short_name,
                kind=row.kind,
                parent=made[row.parent_row] if row.parent_row is not None else row.parent,
                federation_id=plan.issuer_id,
                order=order + i,
            )
            for alias in row.aliases:
                UnitAlias(unit=unit, alias=alias).save()
            made[i] = unit
            created.append((unit, None, _snapshot(unit, row.aliases)))
        if len(later) == len(pending):  # kept for safety: the preview refuses cycles
            raise ServiceError(UNITS_IMPORT_NOT_READY)
        pending = later
    for row in preview.rows:
        if row.action != "update":
            continue
        unit = row.unit
        had = [a.alias for a in unit.aliases.all()]
        before = _snapshot(unit, had)
        unit.short_name, unit.kind = row.short_name, row.kind
        unit.parent = made[row.parent_row] if row.parent_row is not None else row.parent
        unit.save(update_fields=["short_name", "kind", "parent"])
        for alias in row.aliases:
            UnitAlias(unit=unit, alias=alias).save()
        updated.append((unit, before, _snapshot(unit, had + row.aliases)))
    joined = [r.unit for r in preview.rows if r.action in ("update", "add")]
    plan.units.add(*made.values(), *joined)
    reason = f"Excel 导入：{sheet.file}"
    audit_record_many(actor=actor, event=EVENT_UNIT_CREATED, changes=created, reason=reason)
    audit_record_many(actor=actor, event=EVENT_UNIT_UPDATED, changes=updated, reason=reason)
    counts = {
        "file": sheet.file,
        "created": [made[i].code for i in sorted(made)],  # in the file's order
        "updated": [u.code for u, _, _ in updated],
        "added": [u.code for u in joined if u not in {x for x, _, _ in updated}],
    }
    audit_record(actor=actor, event=EVENT_UNITS_IMPORTED, target=plan, after=counts, reason=reason)
    return UnitsImported(created=len(created), updated=len(updated), added=len(counts["added"]))


def result_message(done: UnitsImported) -> str:
    parts = [f"新增 {done.created} 个单位"] if done.created else []
    parts += [f"修改 {done.updated} 个"] if done.updated else []
    parts += [f"{done.added} 个已有单位加入本方案"] if done.added else []
    return "已导入单位名单：" + "，".join(parts) + "。"
