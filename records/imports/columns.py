"""Which column of an uploaded sheet is which field: matched by header text, not position.

People reorder columns, add a 序号 column, type 「投入资金(元)」 for 「投入资金（元）」 or leave a
space around a header; all of that still matches. A date range is two columns
「<label>（开始）」「<label>（结束）」 in the template, or one column 「<label>」 holding
"2022-07-11 至 2022-08-12".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from records.fields import FieldDef
from records.schema import FormSchema

# Where the header may be: the template puts a title line above it; people delete it.
HEADER_SEARCH_ROWS = 5
_SPACES = re.compile(r"\s+")
_WIDTH = str.maketrans("（）：，［］", "():,[]")
IGNORED = {"序号", "编号", "行号", "备注说明"}
START, END = "开始", "结束"


def normalise_header(text) -> str:
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return _SPACES.sub("", str(text)).translate(_WIDTH).replace("*", "")


def range_headers(f: FieldDef) -> tuple[str, str]:
    return f"{f.label}（{START}）", f"{f.label}（{END}）"


def template_headers(f: FieldDef) -> list[str]:
    """The header cells the template writes for `f`."""
    return list(range_headers(f)) if f.type == "date_range" else [f.header()]


@dataclass
class ColumnMap:
    header_row: int  # index into Sheet.rows
    # field code → column index; a date range maps to (start, end) or a single column.
    single: dict[str, int] = field(default_factory=dict)
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)  # column index → header as written
    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labels of required fields not found

    def header_of(self, schema: FormSchema, code: str) -> str:
        if code in self.single:
            return self.headers[self.single[code]]
        if code in self.ranges:
            start, end = self.ranges[code]
            return f"{self.headers[start]}／{self.headers[end]}"
        f = schema.by_code.get(code)
        return f.header() if f else ""


def _spellings(f: FieldDef) -> dict[str, str]:
    """Normalised header → role ('single', 'start', 'end') for one field."""
    out = {normalise_header(f.header()): "single", normalise_header(f.label): "single"}
    if f.unit_of_measure:
        out[normalise_header(f"{f.label}(单位:{f.unit_of_measure})")] = "single"
    if f.type == "date_range":
        start, end = range_headers(f)
        out.update({normalise_header(start): "start", normalise_header(end): "end"})
        for word_start, word_end in (("起", "止"), ("开始日期", "结束日期")):
            out[normalise_header(f"{f.label}({word_start})")] = "start"
            out[normalise_header(f"{f.label}({word_end})")] = "end"
    return out


def _lookup(schema: FormSchema) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for f in schema.input_fields:
        for spelling, role in _spellings(f).items():
            table.setdefault(spelling, (f.code, role))
    return table


def map_columns(schema: FormSchema, rows: list[list]) -> ColumnMap | None:
    """Find the header among the first rows (the one naming most fields) and map it."""
    lookup = _lookup(schema)
    best, best_hits = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in row if normalise_header(cell) in lookup)
        if hits > best_hits:
            best, best_hits = index, hits
    if best is None:
        return None
    result = ColumnMap(header_row=best)
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for column, cell in enumerate(rows[best]):
        text = normalise_header(cell)
        if not text:
            continue
        result.headers[column] = str(cell).strip()
        hit = lookup.get(text)
        if hit is None:
            if text not in IGNORED:
                result.unknown.append(str(cell).strip())
            continue
        code, role = hit
        target = {"single": result.single, "start": starts, "end": ends}[role]
        if code in target or (role == "single" and code in starts):
            result.unknown.append(f"{str(cell).strip()}（重复的列，已忽略）")
            continue
        target[code] = column
    for code, column in starts.items():
        if code in ends:
            result.ranges[code] = (column, ends.pop(code))
            result.single.pop(code, None)
        else:
            result.unknown.append(f"{result.headers[column]}（缺少对应的结束日期列，已忽略）")
    for column in ends.values():
        result.unknown.append(f"{result.headers[column]}（缺少对应的开始日期列，已忽略）")
    result.missing = [
        f.header()
        for f in schema.input_fields
        if f.required and f.code not in result.single and f.code not in result.ranges
    ]
    return result
