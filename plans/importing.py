"""What the allocation-table and unit-list imports share (plans/table_import.py,
plans/unit_import.py).

A file is read once, with the guards against crafted spreadsheets that the records app keeps
(size, zip bombs, macros, rows, cells: records/imports/files.py, reached through
`plans.extensions` since plans sit below records). What was read travels in the preview's
confirming form, signed (`preview_sign`): nothing is stored between the preview and the
confirmation, and a form edited by hand, another person's, another table's or an old one is
refused. The confirmation computes the preview again and writes only if it is the one shown
(`fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core import signing

from common.errors import ServiceError
from common.numbers import (
    NEGATIVE,
    NOT_A_NUMBER,
    TOO_LARGE,
    TOO_PRECISE,
    NumberInvalid,
    clean_text,
    read_number,
)
from common.uploads import MAX_FILE_BYTES
from orgs.names import normalise_name
from orgs.resolver import UnitDirectory
from plans import extensions
from plans.planfile.printed import PrintedInvalid, measure_matches, read_printed

# Reading a file may take up to 200 MB for a few seconds (records/imports/limits.py): two at
# once per process; a third is told to try again rather than held waiting.
IMPORTS_AT_ONCE = 2
BUSY = "导入繁忙：其他用户正在导入文件，请稍后再试。"
_reading = threading.BoundedSemaphore(IMPORTS_AT_ONCE)

# What the upload page says of the guards (records/imports/limits.py has the figures).
UPLOAD_HINT = (
    f"文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB；不接受含宏或加密的文件，"
    "也不接受含公式的单元格（请先复制、再「粘贴为数值」）。"
)
PREVIEW_MAX_AGE = 24 * 3600
PREVIEW_EXPIRED = "该导入预览已过期（超过 24 小时），请重新上传文件。"
PREVIEW_INVALID = "导入预览的内容不完整或已被改动，请重新上传文件。"
# A header is looked for in the sheet's first rows (a title and a subtitle may come first).
HEADER_SEARCH_ROWS = 10
# Cells that say "nothing here" in a printed table.
BLANK_WORDS = {"", "-", "--", "—", "——", "－", "/", "／", "无"}

NUMBER_REASONS = {
    NOT_A_NUMBER: "不是数字",
    NEGATIVE: "不能为负数",
    TOO_PRECISE: "最多保留两位小数",
    TOO_LARGE: "数值过大",
}


def file_name(uploaded) -> str:
    return PurePath(getattr(uploaded, "name", "") or "").name[:200]


def sheet_read(uploaded):
    """The upload's first sheet (`rows`, `numbers`: Excel's row numbers, `formulas`), or a
    ServiceError saying in Chinese why the whole file is refused."""
    if not _reading.acquire(blocking=False):
        raise ServiceError(BUSY)
    try:
        return extensions.read_sheet(uploaded)
    except extensions.SheetRefused as exc:
        raise ServiceError(str(exc)) from exc
    finally:
        _reading.release()


def text(raw: Any) -> str:
    """A cell as one line of text: Excel's line breaks in a header cell become nothing."""
    return clean_text(raw).replace("\r", "").replace("\n", "")


def key(raw: Any) -> str:
    """A header or name as compared: no spaces, half-width, standard characters."""
    return normalise_name(text(raw))


def unit_spellings(unit) -> list[str]:
    """A unit's name, short name and aliases (prefetched)."""
    return [unit.name, unit.short_name, *(a.alias for a in unit.aliases.all())]


def directory_of(units) -> UnitDirectory:
    """The resolver over `units` (aliases prefetched). A spelling two of them share (two
    federations' 建设工会, both in one plan) is left out, so that it resolves to neither
    (reported for the user to choose) rather than raising."""
    units = list(units)
    owners: dict[str, set[int]] = {}
    for unit in units:
        for spelling in unit_spellings(unit):
            owners.setdefault(normalise_name(spelling), set()).add(unit.pk)
    return UnitDirectory(
        (unit, [s for s in unit_spellings(unit) if len(owners[normalise_name(s)]) == 1])
        for unit in units
    )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_index(rows: list[list], is_header) -> int | None:
    """The position in `rows` of the first row, among the first HEADER_SEARCH_ROWS, with a
    cell that `is_header` accepts."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(is_header(key(cell)) for cell in row):
            return i
    return None


def cell_value(raw: Any, measure: str) -> Decimal | None:
    """A share as a table holds it: a number, or as notices print one (1,200, 4.6万, 30人);
    None for a blank cell (or —, /, 无). Raises ValueError with a Chinese reason."""
    if isinstance(raw, bool):
        raise ValueError("不是数字")
    if raw is None:
        return None
    if isinstance(raw, str) and text(raw).replace(" ", "") in BLANK_WORDS:
        return None
    try:
        return read_number(raw, negative=False, places=2)
    except NumberInvalid as exc:
        if exc.reason != NOT_A_NUMBER or not isinstance(raw, str):
            raise ValueError(NUMBER_REASONS[exc.reason]) from None
    try:
        printed = read_printed(text(raw))
    except PrintedInvalid as exc:
        raise ValueError(str(exc)) from None
    if printed.comparator:
        raise ValueError(f"「{text(raw)}」带有限定词：分解任务只写数值")
    if not measure_matches(printed.measure, measure):
        raise ValueError(f"「{text(raw)}」的计量单位与本列的「{measure}」不同")
    try:
        return read_number(printed.value, negative=False, places=2)
    except NumberInvalid as exc:
        raise ValueError(NUMBER_REASONS[exc.reason]) from None


def number_text(value: Decimal | None) -> str | None:
    """A value as the preview carries it: exact, without trailing zeros."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.normalize())


def preview_sign(data: dict, *, salt: str) -> str:
    return signing.dumps(data, salt=salt, compress=True)


def preview_read(token: str, *, salt: str, expect: dict) -> dict:
    """The preview signed by `preview_sign`, if it is `expect`'s (same table or plan, same
    person) and less than PREVIEW_MAX_AGE old; else a ServiceError."""
    try:
        data = signing.loads(token, salt=salt, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ServiceError(PREVIEW_EXPIRED) from exc
    except signing.BadSignature as exc:
        raise ServiceError(PREVIEW_INVALID) from exc
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in expect.items()):
        raise ServiceError(PREVIEW_INVALID)
    return data


def fingerprint(*parts: Any) -> str:
    """What a confirmation must still match: the write the preview showed, and the state it
    was computed from."""
    return hashlib.sha256(
        json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()
    ).hexdigest()
