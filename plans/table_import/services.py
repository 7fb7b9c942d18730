"""Writing an imported allocation table: all or nothing, as its preview showed it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import Unit, UnitAlias
from plans.importing import number_text
from plans.models import Allocation, AllocationColumn, AllocationRow, AllocationTable
from plans.selectors import format_number
from plans.table_import.preview import RowPreview, current_values, table_import_preview
from plans.table_import.sheet import TableSheet, table_columns

EVENT_TABLE_IMPORTED = "plans.table.imported"
EVENT_ALIAS_ADDED = "plans.units.alias_added"
TABLE_IMPORT_NOT_READY = "还有未解决的问题，请按预览中的提示处理后再确认导入。"
TABLE_IMPORT_UNRESOLVED = "还有 {n} 行没有确定对应的单位，请在预览中逐行选择后再确认导入。"
TABLE_IMPORT_CHANGED = (
    "自预览以来本表或所选的对应单位已有变化，已按最新情况重新生成预览，请核对后再确认导入。"
)


@dataclass(frozen=True)
class TableImportResult:
    table: AllocationTable
    rows: int
    changed: int
    aliases: list[tuple[Unit, str]]


def _locked_table(pk: int) -> AllocationTable:
    AllocationTable.objects.select_for_update().filter(pk=pk).first()  # one import at a time
    rows = AllocationRow.objects.select_related("unit").prefetch_related("allocations")
    return (
        AllocationTable.objects.select_related("plan__issuer", "programme")
        .prefetch_related(
            Prefetch("columns", queryset=AllocationColumn.objects.select_related("indicator")),
            Prefetch("rows", queryset=rows),
        )
        .get(pk=pk)
    )


def _snapshot(headers, rows, declared) -> dict:
    """A table's rows and printed total, as the audit log keeps them."""
    return {
        "rows": [
            {
                "label": label,
                "unit": unit,
                "values": {h: number_text(v) for h, v in zip(headers, values, strict=True)},
            }
            for label, unit, values in rows
        ],
        "total": None
        if declared is None
        else {h: number_text(v) for h, v in zip(headers, declared, strict=True)},
    }


def allocation_table_import(
    *,
    actor,
    table: AllocationTable,
    sheet: TableSheet,
    choices: dict[int, str],
    aliases: set[int],
    fingerprint: str,
) -> TableImportResult:
    """Replace `table`'s rows, shares and printed total with the sheet's, as the preview
    with these choices showed them (`fingerprint`); all or nothing, audited before → after."""
    try:
        return _import(
            actor=actor,
            table=table,
            sheet=sheet,
            choices=choices,
            aliases=aliases,
            fingerprint=fingerprint,
        )
    except IntegrityError as exc:  # an alias saved by someone else meanwhile
        raise ServiceError(TABLE_IMPORT_CHANGED) from exc


@transaction.atomic
def _import(*, actor, table, sheet, choices, aliases, fingerprint) -> TableImportResult:
    table = _locked_table(table.pk)
    plan = table.plan
    if plan.is_closed:
        raise ServiceError(plan.closed_refusal)
    preview = table_import_preview(table=table, sheet=sheet, choices=choices, aliases=aliases)
    if sheet.problems:
        raise ServiceError(TABLE_IMPORT_NOT_READY)
    if preview.unresolved:
        raise ServiceError(TABLE_IMPORT_UNRESOLVED.format(n=preview.unresolved))
    if any(r.notes for r in preview.rows):
        raise ServiceError(TABLE_IMPORT_NOT_READY)
    if preview.blockers:
        raise ServiceError("；".join(preview.blockers))
    if preview.fingerprint != fingerprint:
        raise ServiceError(TABLE_IMPORT_CHANGED)
    columns = table_columns(table)
    headers = [c.header for c in columns]
    _, _, current = current_values(table)
    before = _snapshot(
        headers,
        [(r.label, r.unit.code if r.unit else None, current[r.pk]) for r in table.rows.all()],
        [c.declared_total for c in columns] if table.has_total_row else None,
    )
    saved = [r for r in preview.rows if r.alias_allowed and r.alias]
    named = {r.index for r in saved}
    Allocation.objects.filter(row__table=table).delete()
    AllocationRow.objects.filter(table=table).delete()
    new_rows = AllocationRow.objects.bulk_create(
        [
            AllocationRow(
                table=table,
                number=n,
                label=r.label,
                unit=r.unit,
                # The label does not name the unit (机关事业单位 → 市直机关工会), unless it
                # becomes one of its aliases now.
                unit_assigned=r.how in ("table", "chosen") and r.index not in named,
                group=r.group,
                note=r.note,
            )
            for n, r in enumerate(preview.rows, 1)
        ]
    )
    Allocation.objects.bulk_create(
        [
            Allocation(row=made, indicator=c.indicator, unit=r.unit, value=cell.value)
            for made, r in zip(new_rows, preview.rows, strict=True)
            for c, cell in zip(columns, r.cells, strict=True)
            if cell.value is not None
        ]
    )
    declared = sheet.total or [None] * len(columns)
    for c, value in zip(columns, declared, strict=True):
        if c.declared_total != value:
            c.declared_total = value
            c.save(update_fields=["declared_total"])
    if table.has_total_row != (sheet.total is not None):
        table.has_total_row = sheet.total is not None
        table.save(update_fields=["has_total_row"])
    after = _snapshot(
        headers,
        [
            (r.label, r.unit.code if r.unit else None, [c.value for c in r.cells])
            for r in preview.rows
        ],
        sheet.total,
    )
    added = _aliases_add(actor=actor, table=table, rows=saved)
    audit_record(
        actor=actor,
        event=EVENT_TABLE_IMPORTED,
        target=table,
        before=before,
        after={**after, "aliases": [f"{unit.code}: {alias}" for unit, alias in added]},
        reason=f"Excel 导入：{sheet.file}",
    )
    return TableImportResult(
        table=table, rows=len(preview.rows), changed=preview.changed_cells, aliases=added
    )


def _aliases_add(*, actor, table, rows: list[RowPreview]) -> list[tuple[Unit, str]]:
    added = []
    for r in rows:
        alias = UnitAlias(unit=r.unit, alias=r.label[:100])
        alias.save()
        audit_record(
            actor=actor,
            event=EVENT_ALIAS_ADDED,
            target=r.unit,
            after={"alias": alias.alias, "table": table.code},
            reason=f"导入任务分解表「{table.title}」时确认",
        )
        added.append((r.unit, alias.alias))
    return added


def result_message(result: TableImportResult) -> str:
    aliases = "、".join(f"{alias} → {unit.short_name}" for unit, alias in result.aliases)
    return (
        f"已导入「{result.table.title}」：{result.rows} 行，"
        f"{format_number(result.changed)} 个数值有变化"
        + (f"；新增别名：{aliases}" if aliases else "")
        + "。"
    )
