"""Reading an allocation table's sheet: the 单位 column, one column per indicator under its
header, the printed total, every problem with its row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from plans.importing import cell_value, column_letter, header_index, key, number_text, text
from plans.models import AllocationColumn, AllocationTable

SALT = "plans.table_import"
# The unit column's header as tables print it (compared without spaces, half-width).
UNIT_HEADERS = ("单位", "名称", "县(市、区)", "县市区")
# Columns a printed table has beside the figures; read past, named in the preview.
IGNORED_HEADERS = ("序号", "备注", "说明")
TOTAL_LABELS = ("合计", "总计", "合计(印发)", "总计(印发)")
# The export's own rows after the table: the computed sum and notes.
SKIPPED_LABELS = ("各行相加",)
MAX_TABLE_ROWS = 2000
NO_UNIT_COLUMN = "没有找到「单位」列：表头中应有一列名为「单位」（或「单位名称」），放单位名称"


@dataclass(frozen=True)
class Problem:
    line: int | None  # Excel's row number
    column: str  # the column as the sheet names it ("" for the whole row or file)
    reason: str


@dataclass
class SheetRow:
    line: int
    label: str
    values: list[Decimal | None]


@dataclass
class TableSheet:
    """What the file says, in the table's column order; `problems` stop the import."""

    file: str
    rows: list[SheetRow] = field(default_factory=list)
    total: list[Decimal | None] | None = None
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def payload(self, *, table: AllocationTable, actor) -> dict:
        return {
            "table": table.pk,
            "actor": actor.pk,
            "file": self.file,
            "rows": [[r.line, r.label, [number_text(v) for v in r.values]] for r in self.rows],
            "total": None if self.total is None else [number_text(v) for v in self.total],
            "warnings": self.warnings,
            "ignored": self.ignored,
            # Carried, so that a confirmation of a sheet with problems stays refused.
            "problems": [[p.line, p.column, p.reason] for p in self.problems],
        }

    @classmethod
    def from_payload(cls, data: dict) -> TableSheet:
        def dec(values):
            return [None if v is None else Decimal(v) for v in values]

        return cls(
            file=data["file"],
            rows=[
                SheetRow(line=line, label=label, values=dec(v)) for line, label, v in data["rows"]
            ],
            total=None if data["total"] is None else dec(data["total"]),
            warnings=list(data.get("warnings", [])),
            ignored=list(data.get("ignored", [])),
            problems=[Problem(*p) for p in data.get("problems", [])],
        )


def table_columns(table: AllocationTable) -> list[AllocationColumn]:
    return list(table.columns.all())


def _is_unit_header(k: str) -> bool:
    return k.startswith(UNIT_HEADERS[0]) or k in UNIT_HEADERS


def table_sheet_read(*, table: AllocationTable, sheet, file: str) -> TableSheet:
    """The rows, values and printed total of `sheet` (plans.importing.sheet_read) for
    `table`, with every problem found (row, column, reason), not only the first."""
    result = TableSheet(file=file)
    problem = result.problems.append
    columns = table_columns(table)
    h = header_index(sheet.rows, _is_unit_header)
    if h is None:
        problem(Problem(None, "", NO_UNIT_COLUMN))
        return result
    header = sheet.rows[h]
    header_line = sheet.numbers[h]
    by_key: dict[str, int] = {}
    for i, c in enumerate(columns):
        by_key.setdefault(key(c.header), i)
        by_key.setdefault(key(c.indicator.name), i)
    unit_at: int | None = None
    position: dict[int, int] = {}  # the table's column → the sheet's
    for at, cell in enumerate(header):
        k, shown = key(cell), text(cell)
        where = f"{column_letter(at)}列"
        if k in by_key:
            i = by_key[k]
            if i in position:
                problem(Problem(header_line, where, f"「{shown}」与前面的一列重复"))
            position[i] = at
        elif unit_at is None and _is_unit_header(k):
            unit_at = at
        elif k in IGNORED_HEADERS:
            result.ignored.append(shown)
        elif not k:
            if any(at < len(r) and text(r[at]) for r in sheet.rows[h + 1 :]):
                problem(Problem(header_line, where, "这一列有数据但没有表头，无法对应到指标"))
        else:
            wanted = "、".join(f"「{c.header}」" for c in columns)
            problem(
                Problem(header_line, where, f"「{shown}」不是本表的指标列（本表的列：{wanted}）")
            )
    for i, c in enumerate(columns):
        if i not in position:
            problem(Problem(header_line, "", f"缺少「{c.header}」一列（表头请照导出的文件写）"))
        elif "万" in c.header and not c.indicator.measure.startswith("万"):
            result.warnings.append(
                f"「{c.header}」列按{c.indicator.measure}读取：表中数字如以万为单位，"
                "请写成「4.6万」这样的形式。"
            )
    if result.problems:
        return result
    _read_rows(result, table, sheet, h, unit_at, [position[i] for i in range(len(columns))])
    return result


def _read_rows(result: TableSheet, table, sheet, h: int, unit_at: int, at: list[int]) -> None:
    columns = table_columns(table)
    problem = result.problems.append
    formulas = {(line, c) for line, c in sheet.formulas}
    total_line = None
    seen: dict[str, int] = {}
    for pos in range(h + 1, len(sheet.rows)):
        row, line = sheet.rows[pos], sheet.numbers[pos]
        label = text(row[unit_at]) if unit_at < len(row) else ""
        raw = [row[a] if a < len(row) else None for a in at]
        k = key(label)
        blank = all(v is None or text(v) == "" for v in raw)
        if k in SKIPPED_LABELS or (k.startswith(("注", "说明")) and blank):
            continue
        if not label:
            if not blank:
                problem(Problem(line, "单位", "有数值但没有单位名称"))
            continue
        values: list[Decimal | None] = []
        for c, a, cell in zip(columns, at, raw, strict=True):
            if (line, a) in formulas:
                problem(Problem(line, c.header, "单元格含公式，请粘贴为数值"))
                values.append(None)
                continue
            try:
                values.append(cell_value(cell, c.indicator.measure))
            except ValueError as exc:
                problem(Problem(line, c.header, str(exc)))
                values.append(None)
        if k in TOTAL_LABELS:
            if total_line is not None:
                problem(Problem(line, "单位", f"合计行重复（第 {total_line} 行已是合计）"))
            total_line, result.total = line, values
            continue
        if len(label) > 100:
            problem(Problem(line, "单位", "单位名称最多 100 个字"))
        if k in seen:
            problem(Problem(line, "单位", f"「{label}」与第 {seen[k]} 行重复"))
        seen[k] = line
        result.rows.append(SheetRow(line=line, label=label, values=values))
    if len(result.rows) > MAX_TABLE_ROWS:
        problem(Problem(None, "", f"超过 {MAX_TABLE_ROWS} 行，不像是一张任务分解表"))
    elif not result.rows and not result.problems:
        problem(Problem(None, "", "表头下面没有任何单位行"))
