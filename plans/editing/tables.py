"""Editing an allocation table's values in the browser: one input per cell and per printed
total, written through the table import's service (plans/table_import), which previews what
changes against the table as it stands and writes all or nothing, refusing to drop the share
of a unit with approved figures. The grid is read as that import reads a sheet's cells
(plans.importing.cell_value: 1,200, 4.6万, a blank or — for no share)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from plans import table_import
from plans.editing.common import EditResult, edit_finish, plan_open, programme_findings
from plans.importing import cell_value, number_text
from plans.models import AllocationRow, AllocationTable
from plans.selectors import table_get, table_layout
from plans.table_import.sheet import SheetRow, TableSheet

# What the import's audit entry names as the file (its reason reads "Excel 导入：…").
GRID_FILE = "网页表格（逐格修改）"
GRID_PROBLEMS = "有 {n} 个格子的数值无法识别，请按格子下的提示改正。"


def cell_name(row: int, column: int) -> str:
    return f"cell-{row}-{column}"


def total_name(column: int) -> str:
    return f"total-{column}"


@dataclass
class Grid:
    """The table's cells as typed (or as they stand), each input's text and problem."""

    table: AllocationTable
    headers: list[str]
    rows: list[tuple[AllocationRow, list[str]]]  # each row and its inputs' names
    totals: list[str]  # the total row's inputs' names
    typed: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    sheet: TableSheet | None = None

    @property
    def problem_text(self) -> str:
        return GRID_PROBLEMS.format(n=len(self.problems)) if self.problems else ""


def table_grid(*, table: AllocationTable, data: Mapping[str, str] | None = None) -> Grid:
    """`table` (as plans.selectors.table_get prefetches it) as a grid: its values as they
    stand when `data` is None, else as typed in `data` (the posted inputs), with a problem
    per input that cannot be read and, when none, the sheet the import writes."""
    layout = table_layout(table)
    measures = [i.measure for i in layout.indicators]
    width = len(layout.headers)
    grid = Grid(
        table=table,
        headers=layout.headers,
        rows=[
            (row, [cell_name(r, c) for c in range(width)])
            for r, (row, _values) in enumerate(layout.rows)
        ],
        totals=[total_name(c) for c in range(width)],
    )
    if data is None:
        for (_row, names), (_same, values) in zip(grid.rows, layout.rows, strict=True):
            grid.typed.update({n: number_text(v) or "" for n, v in zip(names, values, strict=True)})
        if table.has_total_row:
            grid.typed.update(
                {n: number_text(v) or "" for n, v in zip(grid.totals, layout.declared, strict=True)}
            )
        return grid
    sheet = TableSheet(file=GRID_FILE)
    for row, names in grid.rows:
        values = [_read(grid, data, n, m) for n, m in zip(names, measures, strict=True)]
        sheet.rows.append(SheetRow(line=row.number, label=row.label, values=values))
    total = [_read(grid, data, n, m) for n, m in zip(grid.totals, measures, strict=True)]
    # No printed total typed at all: the table has none, as an imported sheet without one.
    sheet.total = total if any(grid.typed[n] for n in grid.totals) else None
    if not grid.problems:
        grid.sheet = sheet
    return grid


def _read(grid: Grid, data: Mapping[str, str], name: str, measure: str) -> Decimal | None:
    typed = str(data.get(name, "") or "").strip()[:40]
    grid.typed[name] = typed
    try:
        return cell_value(typed or None, measure)
    except ValueError as exc:
        grid.problems[name] = str(exc)
        return None


def table_grid_preview(*, grid: Grid) -> table_import.TablePreview:
    """What saving the grid would change (the import's preview of a sheet)."""
    return table_import.table_import_preview(table=grid.table, sheet=grid.sheet)


@transaction.atomic
def allocation_table_edit(
    *, actor, table: AllocationTable, grid: Grid, fingerprint: str
) -> EditResult:
    """The grid written as previewed (`fingerprint`), by the table import's service (audited
    there, before → after); a running plan's obligations follow the shares."""
    plan = plan_open(table.plan)
    number = table.programme.number
    before = programme_findings(plan=plan, number=number)
    done = table_import.allocation_table_import(
        actor=actor,
        table=table_get(plan=plan, code=table.code),
        sheet=grid.sheet,
        choices={},
        aliases=set(),
        fingerprint=fingerprint,
    )
    return edit_finish(
        plan=plan,
        number=number,
        before=before,
        done=table_import.result_message(done).rstrip("。").replace("已导入", "已保存"),
        target=done.table,
    )
