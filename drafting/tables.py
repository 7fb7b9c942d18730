"""Allocation tables (任务分解表) from a notice's tables.

A table is read as printed: one row per unit (the unit column is the one headed 单位 or 名称,
else the first), one column per figure, the 合计/总计 row kept as the printed total even when
it disagrees with the rows. Layouts notices use: a 序号 column (dropped), a 备注 column (kept as
notes), two units side by side in one row (单位 | 场次 | 单位 | 场次), a merged cell grouping
rows on the left (帮扶中心 | 城乡一体化 | …), a total written in a cell (总计：700). Tables that
are forms to fill (numbered empty rows) or scoring rubrics (…分) are not allocation tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from drafting.notice import Cell, Table
from drafting.numerals import number

TOTAL = re.compile(r"^(合\s*计|总\s*计|合计数|小\s*计)\s*[:：]?\s*(?P<value>\d[\d,]*)?$")
SERIAL = re.compile(r"^序\s*号$")
UNIT_HEADER = re.compile(r"单\s*位|名\s*称|地\s*区")
NOTE_HEADER = re.compile(r"备\s*注|说\s*明")
MEASURE_IN_HEADER = re.compile(
    r"[（(]\s*(?:[^（()）]*?[/／])?\s*([\u4e00-\u9fff]{1,3})\s*[）)]\s*$"
)
NOT_UNITS = ("其它", "其他", "其余")


@dataclass
class DraftRow:
    label: str
    values: list[Decimal | None]
    group: str = ""  # the merged cell on the left, when there is one
    note: str = ""
    source: str = ""


@dataclass
class DraftTable:
    headers: list[str]
    measures: list[str]
    rows: list[DraftRow] = field(default_factory=list)
    declared_total: list[Decimal | None] | None = None
    kind: str = "allocation"  # allocation | form | rubric | other
    source: str = ""


def _value(text: str) -> Decimal | None:
    text = text.strip()
    if not text or not re.fullmatch(r"\d[\d,，]*(?:\.\d+)?", text):
        return None
    return number(text)


def _is_number(text: str) -> bool:
    return _value(text) is not None


def read_table(table: Table) -> DraftTable:
    rows = [[c.text for c in row] for row in table.rows]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    source = "\n".join("\t".join(r) for r in rows)
    if not rows:
        return DraftTable(headers=[], measures=[], kind="other", source=source)
    header = rows[0]
    if any(re.search(r"\d+\s*分\s*[）)]", " ".join(r)) for r in rows[1:]) or "得分" in "".join(
        header
    ):
        return DraftTable(headers=header, measures=[], kind="rubric", source=source)
    body = rows[1:]
    pairs = _pair_width(header)
    if pairs:
        header, body = (
            header[:pairs],
            [r[i : i + pairs] for r in body for i in range(0, len(r), pairs)],
        )
    serial = bool(header) and SERIAL.match(header[0].strip()) is not None
    unit_col = next((i for i, h in enumerate(header) if UNIT_HEADER.search(h)), int(serial))
    note_cols = [i for i, h in enumerate(header) if NOTE_HEADER.search(h)]
    value_cols = [
        i for i in range(len(header)) if i not in (unit_col, *note_cols) and not (serial and i == 0)
    ]
    draft = DraftTable(
        headers=[_squash(header[i]) for i in value_cols],
        measures=[_measure(header[i]) for i in value_cols],
        source=source,
    )
    group = ""
    for cells in body:
        cells = cells + [""] * (len(header) - len(cells))
        total = _total(cells, len(value_cols))
        if total is not None:
            draft.declared_total = _merge_total(draft.declared_total, total)
            if not _row_has_unit(cells, unit_col):
                continue
        label = cells[unit_col].strip()
        if unit_col == 0 and len(cells) > 1 and cells[1].strip() and not _is_number(cells[1]):
            # a merged cell on the left groups rows: 帮扶中心 | 城乡一体化 | 50 | …
            if label:
                group = label
            label = cells[1].strip()
            cells = [cells[0], *cells[2:]]
        elif not label:
            continue
        if _is_number(label) or TOTAL.match(_squash(label)):
            continue
        values = [_value(cells[i]) if i < len(cells) else None for i in value_cols]
        draft.rows.append(
            DraftRow(
                label=label,
                values=values,
                group=group,
                note=" ".join(cells[i] for i in note_cols if i < len(cells)).strip(),
                source="\t".join(c for c in cells if c),
            )
        )
    filled = [v for r in draft.rows for v in r.values if v is not None]
    if not filled or len(draft.rows) < 2:
        draft.kind = "form" if draft.rows or body else "other"
    return draft


def _pair_width(header: list[str]) -> int:
    """Width of a repeated block (单位 | 场次 | 单位 | 场次 → 2), or 0."""
    cells = [_squash(h) for h in header if h.strip()]
    for width in (2, 3):
        if len(cells) >= 2 * width and len(cells) % width == 0:
            blocks = [tuple(cells[i : i + width]) for i in range(0, len(cells), width)]
            if len(set(blocks)) == 1:
                return width
    return 0


def _total(cells: list[str], width: int) -> list | None:
    """The printed total of a 合计 row (its figures fill the value columns from the left), or
    of a cell such as 总计：700 (then for the first column)."""
    for cell in cells:
        match = TOTAL.match(_squash(cell))
        if not match:
            continue
        if match["value"]:
            return [number(match["value"])] + [None] * (width - 1)
        after = cells[cells.index(cell) + 1 :]
        figures = [_value(c) for c in after if c.strip()][:width]
        return figures + [None] * (width - len(figures))
    return None


def _row_has_unit(cells: list[str], unit_col: int) -> bool:
    label = cells[unit_col].strip() if unit_col < len(cells) else ""
    return bool(label) and not TOTAL.match(_squash(label))


def _merge_total(old: list | None, new: list) -> list:
    if old is None:
        return new
    return [a if a is not None else b for a, b in zip(old, new, strict=False)]


TRAILING_MEASURE = re.compile(r"(场次|人次|场|次|人|名|家|个|项|份|户|元)$")


def _measure(header: str) -> str:
    """The measure in a header's brackets (新建创新工作室(个)), else its last word (活动场次)."""
    compact = header.replace(" ", "")
    match = MEASURE_IN_HEADER.search(compact) or TRAILING_MEASURE.search(compact)
    return match[1] if match else ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_text(cell: Cell) -> str:
    return cell.text
