"""Checking every row of an uploaded sheet before anything is saved.

Each row goes through the same checks as a row typed on the web page (`prepare_row`: the
form's fields, rules and standards, the unit being the uploader's own, stages only moving
forward) and is then compared with what the unit already has under the same row key: new,
an update of an editable row, unchanged (skipped), or an error when the row was already
submitted or approved. Every problem is kept as (Excel row number, column header, reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from common import clock
from orgs.models import Unit
from records.context import RowContext
from records.imports.columns import ColumnMap, map_columns
from records.imports.files import MAX_ROWS, Sheet
from records.models import FormDefinition, Record
from records.services.rows import RowRefused, due_date_of, prepare_row
from reporting import workflow

FORMULA_CELL = "单元格含公式，请粘贴为数值"
LOCKED = "该记录已提交/已通过审核，不能通过导入修改"
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


@dataclass
class ImportCheck:
    """What an upload would do; `fatal` refuses the whole file."""

    fatal: str = ""
    rows: list[dict] = field(default_factory=list)  # valid rows, ready to save
    errors: list[dict] = field(default_factory=list)  # {row, column, reason}
    warnings: list[str] = field(default_factory=list)
    error_rows: int = 0

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r["action"] == action)


@dataclass
class _Existing:
    pk: int
    status: str
    data: dict
    is_compliant: bool
    issues: list
    version: int
    created_on: dt.date


def _existing(form: FormDefinition, unit: Unit) -> dict[str, _Existing]:
    rows = Record.objects.filter(form=form, unit=unit).values_list(
        "row_key", "pk", "status", "data", "is_compliant", "issues", "version", "created_at"
    )
    return {
        key: _Existing(pk, status, data, ok, issues, version, created.date())
        for key, pk, status, data, ok, issues, version, created in rows
    }


def _extractors(form: FormDefinition, columns: ColumnMap):
    """Per field, a function from a sheet row to the raw value: built once per upload."""

    def cell(index: int):
        return lambda row: row[index] if index < len(row) else None

    out = {code: cell(i) for code, i in columns.single.items()}
    for code, (start, end) in columns.ranges.items():
        first, second = cell(start), cell(end)
        out[code] = lambda row, a=first, b=second: (a(row), b(row))
    return out


def _blank(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def import_check(*, form: FormDefinition, unit: Unit, sheet: Sheet) -> ImportCheck:
    schema = form.schema
    result = ImportCheck()
    columns = map_columns(schema, sheet.rows)
    if columns is None:
        expected = "、".join(f.header() for f in schema.input_fields)
        result.fatal = f"没有找到表头。请使用本表的导入模板，表头应包括：{expected}"
        return result
    if columns.missing:
        result.fatal = f"缺少必填的列：{'、'.join(columns.missing)}。请使用本表的导入模板。"
        return result
    if columns.unknown:
        result.warnings.append(f"以下列不属于本表，已忽略：{'、'.join(columns.unknown)}")
    unit_codes = {f.code for f in schema.input_fields if f.type == "unit"}
    extract = _extractors(form, columns)
    content = [code for code in extract if code not in unit_codes]
    # By row, once: a sheet may hold 300,000 formula cells, too many to search for each row.
    formula_columns: dict[int, set[int]] = {}
    for r, c in sheet.formulas:
        formula_columns.setdefault(r, set()).add(c)
    header_of = {code: columns.header_of(schema, code) for code in schema.by_code}
    ctx = RowContext(form)
    existing = _existing(form, unit)

    def previous_of(row_key: str) -> Record | None:
        """The stored row an uploaded row updates: stages only move forward from it, and a
        masked personal value read back keeps its stored value."""
        found = existing.get(row_key)
        return Record(data=found.data) if found is not None else None

    today = clock.today()
    seen: dict[str, int] = {}
    body = zip(
        sheet.numbers[columns.header_row + 1 :], sheet.rows[columns.header_row + 1 :], strict=True
    )
    data_rows = 0
    for number, row in body:
        raw = {code: get(row) for code, get in extract.items()}
        # A pre-filled unit name alone does not make a row: the template fills it in advance.
        if all(_blank(raw[code]) for code in content):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            result.fatal = f"数据超过 {MAX_ROWS:,} 行，请分成几个文件上传。"
            return result
        problems = []
        formula_headers = set()
        if formula_columns:
            formula_headers = {columns.headers.get(c, "") for c in formula_columns.get(number, ())}
            problems += [(h, FORMULA_CELL) for h in sorted(formula_headers)]
        try:
            prepared = prepare_row(ctx, unit=unit, raw=raw, lookup=previous_of)
            found = existing.get(prepared.row_key)
        except RowRefused as exc:
            # A formula cell's cached value is not what the user sees: its own message is enough.
            problems += [
                (header_of.get(code, ""), reason)
                for code, reason in exc.errors
                if header_of.get(code, "") not in formula_headers
            ]
            prepared = found = None
        if prepared is not None:
            earlier = seen.get(prepared.row_key)
            if earlier is not None:
                problems.append(("", f"与第 {earlier} 行是同一条记录（重复）"))
            seen.setdefault(prepared.row_key, number)
        if problems:
            result.error_rows += 1
            result.errors += [{"row": number, "column": c, "reason": r} for c, r in problems]
            continue
        outcome = prepared.outcome
        same = found is not None and (found.data, found.is_compliant, found.issues) == (
            prepared.data,
            outcome.compliant,
            outcome.issues,
        )
        if found is not None and not same and found.status not in workflow.EDITABLE:
            result.error_rows += 1
            result.errors.append({"row": number, "column": "", "reason": LOCKED})
            continue
        due = due_date_of(ctx, outcome.values, found.created_on if found else today)
        reference = schema.reference_date(outcome.values)
        result.rows.append(
            {
                "row": number,
                "action": UNCHANGED if same else (UPDATE if found else NEW),
                "record": found.pk if found else None,
                "version": found.version if found else None,
                "row_key": prepared.row_key,
                "data": prepared.data,
                "is_compliant": outcome.compliant,
                "issues": outcome.issues,
                "reference_date": reference.isoformat() if reference else None,
                "due_date": due.isoformat() if due else None,
            }
        )
    if data_rows == 0:
        result.fatal = "文件中没有数据行（表头下方都是空行）。"
    _per_unit_warning(result, schema, len(existing))
    return result


def _per_unit_warning(result: ImportCheck, schema, existing: int) -> None:
    if schema.per_unit_max is None:
        return
    total = existing + result.count(NEW)
    if total > schema.per_unit_max:
        result.warnings.append(
            f"保存后本单位将有 {total} 条记录，超过本表每单位最多 {schema.per_unit_max} 条的要求。"
        )
