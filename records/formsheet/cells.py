"""Sheets of a workbook as rows of cells named by their headers, and the readers of one cell,
each recording a problem in words with its place (part of records/formsheet/read.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.excel import unsafe_text
from common.numbers import clean_text
from records.formsheet import layout as L
from records.imports.files import Sheet


@dataclass
class Row:
    number: int  # as Excel shows it, from 1
    cells: dict[str, Any]


def cell(value: Any) -> Any:
    """A cell's value: blank as None, text trimmed and without the apostrophe `safe_cell`
    puts before text a spreadsheet would take for a formula, whole numbers as int."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return unsafe_text(value.strip()) or None
    return value


def header_text(value: Any) -> str:
    return re.sub(r"\s+", "", clean_text(value))


class SheetReading:
    """Problems are kept, not raised, so one upload lists them all."""

    def __init__(self, sheets: Mapping[str, Sheet]):
        self.sheets = sheets
        self.problems: list[str] = []

    def fail(self, place: str, message: str) -> None:
        self.problems.append(f"{place}：{message}")

    # -- sheets as rows of named cells ------------------------------------------------------
    def table(self, name: str, headers: tuple[str, ...], required: tuple[str, ...]) -> list[Row]:
        sheet = self.sheets.get(name)
        if sheet is None or not sheet.rows:
            return []
        number = sheet.numbers[0]
        columns: dict[str, int] = {}
        for i, raw in enumerate(sheet.rows[0]):
            header = header_text(raw)
            if not header:
                continue
            if header not in headers:
                self.fail(
                    f"{name}表第{number}行",
                    f"不认识的列「{header}」（可用：{'、'.join(headers)}）",
                )
            elif header in columns:
                self.fail(f"{name}表第{number}行", f"「{header}」列重复")
            else:
                columns[header] = i
        missing = [h for h in required if h not in columns]
        if missing:
            self.fail(f"{name}表第{number}行", f"缺少「{'」「'.join(missing)}」列")
            return []
        rows = []
        for values, number in zip(sheet.rows[1:], sheet.numbers[1:], strict=True):
            cells = {}
            for header, i in columns.items():
                value = cell(values[i]) if i < len(values) else None
                if (number, i) in sheet.formulas:
                    self.fail(
                        f"{name}表第{number}行「{header}」",
                        "单元格含有 Excel 公式，请改为直接填写内容",
                    )
                    value = None
                cells[header] = value
            if any(v is not None for v in cells.values()):
                rows.append(Row(number, cells))
        if len(rows) > L.MAX_DEFINITION_ROWS:
            self.fail(f"{name}表", f"超过 {L.MAX_DEFINITION_ROWS} 行，请检查是否多了无关内容")
            return rows[: L.MAX_DEFINITION_ROWS]
        return rows

    # -- cell readers: each says what it wants when it cannot read -------------------------------
    def text(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        return clean_text(value) or None

    def yes_no(self, value: Any, place: str) -> bool:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        word = clean_text(value).lower()
        if word in L.YES_WORDS:
            return True
        if word not in L.NO_WORDS:
            self.fail(place, f"应填“是”或“否”，现为「{clean_text(value)}」")
        return False

    def whole(self, value: Any, place: str, *, low: int = 0, high: int = 100_000) -> int | None:
        if value is None:
            return None
        text = clean_text(value)
        if (
            isinstance(value, bool)
            or not re.fullmatch(r"\d{1,9}", text)
            or not low <= int(text) <= high
        ):
            self.fail(place, f"应为 {low} 到 {high} 之间的整数，现为「{text}」")
            return None
        return int(text)

    def code_of(self, token: str, fields: Mapping[str, str]) -> str:
        """A field named by its code or, when only one field has it, by its label."""
        if token in fields:
            return token
        matches = [code for code, label in fields.items() if label == token]
        return matches[0] if len(matches) == 1 else token
