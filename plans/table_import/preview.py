"""What importing a table's sheet would do, row by row: the unit each row is (or the choice
to make), each value against the table as it stands, the printed total against the sum, and
what refuses the import."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from orgs.models import Unit, UnitAlias
from plans import extensions
from plans.importing import directory_of, fingerprint, key, number_text
from plans.models import AllocationRow, AllocationTable, Indicator
from plans.selectors import plan_units
from plans.table_import.sheet import SheetRow, TableSheet, table_columns

# More unknown names than this and the file is not this table (one select each is too many).
MAX_UNRESOLVED = 300
TABLE_IMPORT_FIGURES = (
    "以下单位已有审核通过的数据，不能删除其分解任务（请在表中保留其数值）：{units}"
)
LABEL_CHOICE = "label"


@dataclass
class Cell:
    value: Decimal | None
    old: Decimal | None

    @property
    def state(self) -> str:
        if self.value == self.old:
            return "same" if self.value is not None else "blank"
        if self.old is None:
            return "new"
        return "removed" if self.value is None else "changed"


@dataclass
class RowPreview:
    index: int
    line: int
    label: str
    # name / core: the resolver's; table: the unit the table maps this label to; chosen: the
    # user's; label: a row that is not a unit; ambiguous / unknown: to choose.
    how: str
    unit: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)
    selectable: bool = False
    choice: str = ""
    alias_allowed: bool = False
    alias_refused: str = ""
    alias: bool = False
    cells: list[Cell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    note: str = ""  # the table's own note and group of that row, kept
    group: str = ""

    @property
    def resolved(self) -> bool:
        return self.how not in ("ambiguous", "unknown")

    @property
    def is_label(self) -> bool:
        return self.how == LABEL_CHOICE


@dataclass
class TablePreview:
    table: AllocationTable
    sheet: TableSheet
    headers: list[str]
    rows: list[RowPreview]
    units: list[Unit]  # what a select offers
    removed: list[tuple[AllocationRow, list[Decimal | None]]]
    declared: list[Decimal | None] | None
    current_declared: list[Decimal | None]
    sums: list[Decimal]
    blockers: list[str]
    notices: list[str]  # what to do after it (a derived plan whose target was a share)
    fingerprint: str

    @property
    def unresolved(self) -> int:
        return sum(not r.resolved for r in self.rows)

    @property
    def ready(self) -> bool:
        """Nothing stops the import: every row has its unit, once."""
        return not (
            self.sheet.problems
            or self.blockers
            or self.unresolved
            or any(r.notes for r in self.rows)
        )

    @property
    def total_cells(self) -> list[tuple[str, Decimal | None, Decimal, Decimal | None, bool]]:
        """Per column: its header, the printed total, the sum, the total as it stands, and
        whether the printed total and the sum differ."""
        declared = self.declared or [None] * len(self.sums)
        return [
            (h, d, s, old, d is not None and d != s)
            for h, d, s, old in zip(
                self.headers, declared, self.sums, self.current_declared, strict=True
            )
        ]

    @property
    def changed_cells(self) -> int:
        # A row not yet resolved is compared with nothing: counted once it is.
        moved = sum(
            c.state not in ("same", "blank") for r in self.rows if r.resolved for c in r.cells
        )
        return moved + sum(v is not None for _, values in self.removed for v in values)


def current_values(table: AllocationTable):
    """The table as it stands: values by unit id and by label (label rows), the rows by the
    same keys."""
    index = {c.indicator_id: i for i, c in enumerate(table_columns(table))}
    width = len(index)
    by_unit: dict[int, AllocationRow] = {}
    by_label: dict[str, AllocationRow] = {}
    values: dict[int, list[Decimal | None]] = {}
    for row in table.rows.all():
        cells: list[Decimal | None] = [None] * width
        for a in row.allocations.all():
            cells[index[a.indicator_id]] = a.value
        values[row.pk] = cells
        if row.unit_id is not None:
            by_unit[row.unit_id] = row
        by_label.setdefault(key(row.label), row)
    return by_unit, by_label, values


def _spellings_taken(federation_id: int | None) -> dict[str, int]:
    """Normalised spelling → unit id, over every unit the federation owns (two queries)."""
    taken: dict[str, int] = {}
    if federation_id is None:
        return taken
    for pk, name, short in Unit.objects.filter(federation_id=federation_id).values_list(
        "pk", "name", "short_name"
    ):
        taken.setdefault(key(name), pk)
        taken.setdefault(key(short), pk)
    for pk, alias_key in UnitAlias.objects.filter(unit__federation_id=federation_id).values_list(
        "unit_id", "key"
    ):
        taken.setdefault(alias_key, pk)
    return taken


def table_import_preview(
    *,
    table: AllocationTable,
    sheet: TableSheet,
    choices: dict[int, str] | None = None,
    aliases: set[int] | frozenset[int] = frozenset(),
) -> TablePreview:
    """Every row of `sheet` resolved or not, compared with `table` as prefetched by
    plans.selectors.table_get. `choices` maps a row's index to "label" or a unit's id as text
    (the user's choice for a row not found by the resolver); `aliases` the rows whose label
    becomes an alias of the chosen unit."""
    choices = choices or {}
    plan = table.plan
    units = plan_units(plan=plan)
    by_pk = {u.pk: u for u in units}
    directory = directory_of(units)
    by_unit, by_label, current = current_values(table)
    taken = _spellings_taken(plan.issuer_id)
    rows = []
    for i, r in enumerate(sheet.rows):
        row = _row_preview(i, r, directory, by_label, choices.get(i), by_pk)
        if row.how == "chosen" and row.unit is not None:
            owner = taken.get(key(r.label))
            if row.unit.federation_id != plan.issuer_id:
                row.alias_refused = "其他工会的单位，不能在此添加别名"
            elif owner is not None and owner != row.unit.pk:
                row.alias_refused = f"「{r.label}」已是本工会另一单位的名称或别名"
            else:
                row.alias_allowed, row.alias = True, i in aliases
        old_row = by_unit.get(row.unit.pk) if row.unit else None
        if row.is_label:
            found = by_label.get(key(r.label))
            old_row = found if found is not None and found.unit_id is None else None
        old = current[old_row.pk] if old_row else [None] * len(r.values)
        if old_row is not None:
            row.note, row.group = old_row.note, old_row.group
        row.cells = [Cell(v, o) for v, o in zip(r.values, old, strict=True)]
        rows.append(row)
    _mark_duplicates(rows)
    kept = {("u", r.unit.pk) for r in rows if r.unit} | {
        ("l", key(r.label)) for r in rows if r.is_label
    }
    removed = [
        (row, current[row.pk])
        for row in table.rows.all()
        if (("u", row.unit_id) if row.unit_id else ("l", key(row.label))) not in kept
    ]
    columns = table_columns(table)
    sums = [sum((r.values[i] or 0 for r in sheet.rows), Decimal(0)) for i in range(len(columns))]
    blockers = []
    if plan.is_closed:
        blockers.append(plan.closed_refusal)
    if len(rows) - sum(r.resolved for r in rows) > MAX_UNRESOLVED:
        blockers.append(f"超过 {MAX_UNRESOLVED} 行的单位无法识别：请确认上传的是本表的文件。")
    elif all(r.resolved for r in rows):
        blockers += _figures_kept(table, rows, columns)
    state = [
        [row.pk, row.label, row.unit_id, [number_text(v) for v in current[row.pk]]]
        for row in table.rows.all()
    ]
    wanted = [
        [
            r.label,
            r.unit.pk if r.unit else None,
            r.is_label,
            [number_text(c.value) for c in r.cells],
        ]
        for r in rows
    ]
    declared = sheet.total
    return TablePreview(
        table=table,
        sheet=sheet,
        headers=[c.header for c in columns],
        rows=rows,
        units=units,
        removed=removed,
        declared=declared,
        current_declared=[c.declared_total for c in columns],
        sums=sums,
        blockers=blockers,
        notices=_derived_targets(table, rows, columns),
        fingerprint=fingerprint(
            table.pk,
            wanted,
            None if declared is None else [number_text(v) for v in declared],
            state,
            [number_text(c.declared_total) for c in columns],
            table.has_total_row,
        ),
    )


def _row_preview(i, r: SheetRow, directory, by_label, choice: str | None, by_pk) -> RowPreview:
    row = RowPreview(index=i, line=r.line, label=r.label, how="unknown")
    found = directory.resolve(r.label)
    if found.ok:
        row.how, row.unit = found.via, found.unit
        return row
    row.how = "ambiguous" if found.ambiguous else "unknown"
    row.candidates = list(found.candidates)
    row.selectable = True
    # What the table already maps this label to (机关事业单位 → a unit, 其它 → no unit) is
    # the choice until the user makes another.
    mapped = by_label.get(key(r.label))
    kept = None if mapped is None else str(mapped.unit_id or LABEL_CHOICE)
    if choice is None:
        choice = kept
    if choice == LABEL_CHOICE:
        row.how, row.choice = LABEL_CHOICE, LABEL_CHOICE
    elif choice and choice.isdigit() and int(choice) in by_pk:
        row.how = "table" if choice == kept else "chosen"
        row.unit, row.choice = by_pk[int(choice)], choice
    return row


def _mark_duplicates(rows: list[RowPreview]) -> None:
    first: dict[int, RowPreview] = {}
    for row in rows:
        if row.unit is None:
            continue
        if row.unit.pk in first:
            other = first[row.unit.pk]
            row.notes.append(f"与第 {other.line} 行（{other.label}）是同一单位「{row.unit}」")
        else:
            first[row.unit.pk] = row


def _derived_targets(table, rows: list[RowPreview], columns) -> list[str]:
    """A derived plan took its target from a share that changes (plans.cascade copies it when
    the plan loads): said, so that the derived plan is loaded again. One query."""
    taken = Indicator.objects.filter(
        serves__in=[c.indicator_id for c in columns],
        target_from_parent=True,
        plan__parent_id=table.plan_id,
    ).values_list("plan__issuer_id", "serves_id", "plan__title")
    at = {c.indicator_id: i for i, c in enumerate(columns)}
    moved = ("new", "changed", "removed")
    changed = {
        (r.unit.pk, i) for r in rows if r.unit for i, c in enumerate(r.cells) if c.state in moved
    }
    kept = {r.unit.pk for r in rows if r.unit}
    changed |= {
        (row.unit_id, at[a.indicator_id])
        for row in table.rows.all()
        if row.unit_id and row.unit_id not in kept
        for a in row.allocations.all()
    }
    plans = sorted({title for unit, serves, title in taken if (unit, at[serves]) in changed})
    return [
        f"下级方案「{title}」的目标取自本表的分解任务，导入后请重新导入该方案以更新其目标。"
        for title in plans
    ]


def _figures_kept(table, rows: list[RowPreview], columns) -> list[str]:
    """The refusal naming each unit whose allocation would go although it has approved
    figures for that indicator; [] when none would."""
    now = {
        (columns[i].indicator_id, r.unit.pk)
        for r in rows
        if r.unit is not None
        for i, c in enumerate(r.cells)
        if c.value is not None
    }
    before = {
        (a.indicator_id, row.unit_id)
        for row in table.rows.all()
        if row.unit_id is not None
        for a in row.allocations.all()
    }
    dropped = before - now
    if not dropped:
        return []
    found = extensions.approved_figures(
        indicator_ids={i for i, _ in dropped}, unit_ids={u for _, u in dropped}
    )
    lost = sorted(dropped & found)
    if not lost:
        return []
    headers = {c.indicator_id: c.header for c in columns}
    # In the table's order, as the page shows it.
    names = {row.unit_id: row.unit.short_name for row in table.rows.all() if row.unit_id}
    per_unit: dict[int, list[str]] = defaultdict(list)
    for indicator_id, unit_id in lost:
        per_unit[unit_id].append(headers[indicator_id])
    units = "；".join(f"{names[u]}（{'、'.join(per_unit[u])}）" for u in names if u in per_unit)
    return [TABLE_IMPORT_FIGURES.format(units=units)]
