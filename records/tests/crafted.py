"""Hostile spreadsheets, small on disk and large inside, written by hand the way an attacker
would (records/imports/limits.py holds the figures they break). Each builder is cached: the
view tests and the memory measurement use the same bytes."""

from __future__ import annotations

import io
import struct
import zipfile
from functools import cache

from records.tests.sheets import shared_strings_xlsx

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MB = 1024 * 1024
FIRST_CELL = b'<row r="1"><c r="A1"><v>1</v></c></row>'
FIRST_CELL_SHARED = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def workbook(sheet_data: bytes, *, strings: bytes | None = None, parts=None) -> bytes:
    """A workbook whose first sheet's <sheetData> holds `sheet_data` (or, when it starts with
    "<?xml", whose sheet is `sheet_data`); `strings` replaces the shared-strings table's items;
    `parts` replaces or adds other parts."""
    sheet = sheet_data
    if not sheet_data.startswith(b"<?xml"):
        sheet = b"<?xml version='1.0'?><worksheet " + NS + b"><sheetData>"
        sheet += sheet_data + b"</sheetData></worksheet>"
    replace = {"xl/worksheets/sheet1.xml": sheet, **(parts or {})}
    if strings is not None:
        replace["xl/sharedStrings.xml"] = b"<sst " + NS + b">" + strings + b"</sst>"
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(shared_strings_xlsx([["x"]]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, source.read(item)))
        for name, data in replace.items():
            target.writestr(name, data)
    return buffer.getvalue()


@cache
def rows_without_references() -> bytes:
    """Every row of a sheet (1,048,576), each with a cell, none with r=: ~150 KB."""
    return workbook(b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_048_576)


@cache
def reference_after_another_attribute() -> bytes:
    """100,000 rows whose cells carry s= before r=, which a scan for `<c r="` misses."""
    return workbook(
        b"".join(
            b'<row r="%d"><c s="0" r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 100_001)
        )
    )


@cache
def many_shared_strings() -> bytes:
    """Two million one-letter shared strings: calamine holds each as its own string."""
    return workbook(FIRST_CELL_SHARED, strings=b"<si><t>a</t></si>" * 2_000_000)


@cache
def one_huge_shared_string() -> bytes:
    """One shared string of 95 million characters."""
    return workbook(
        FIRST_CELL_SHARED,
        strings=b"<si><t>" + b"a" * 95_000_000 + b"</t></si>",
    )


@cache
def one_string_in_every_cell() -> bytes:
    """A 30,000-character shared string used by 20,000 cells: 600 million characters built
    from a 70 KB file (calamine copies the string into each cell)."""
    cells = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>0</v></c></row>' % (i, i, i)
        for i in range(1, 10_001)
    )
    return workbook(cells, strings=b"<si><t>" + "工".encode() * 30_000 + b"</t></si>")


@cache
def empty_cells() -> bytes:
    """2.1 million empty cells in one row: nothing to read, all of it to walk."""
    return workbook(FIRST_CELL + b'<row r="2">' + b"<c/>" * 2_100_000 + b"</row>")


@cache
def deep_nesting() -> bytes:
    """1.9 million elements open inside one another."""
    return workbook(FIRST_CELL + b"<a>" * 1_900_000 + b"</a>" * 1_900_000)


@cache
def long_tag() -> bytes:
    """One cell tag with a 60 MB attribute: a parser holds an unfinished tag whole."""
    return workbook(b'<row r="1"><c r="A1" x="' + b"y" * 60_000_000 + b'"><v>1</v></c></row>')


@cache
def entity_expansion() -> bytes:
    """A DTD whose entities expand a hundredfold (the start of a "billion laughs")."""
    sheet = (
        b"<?xml version='1.0'?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">"
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet ' + NS + b"><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    return workbook(sheet)


@cache
def bloated_styles() -> bytes:
    """An 11 MB styles.xml, which calamine reads whole on opening the workbook."""
    return workbook(
        FIRST_CELL,
        parts={"xl/styles.xml": b"<styleSheet " + NS + b">" + b" " * 11 * MB + b"</styleSheet>"},
    )


@cache
def two_sheets_one_name() -> bytes:
    """Two parts whose names differ only in case: calamine may read the one not scanned."""
    return workbook(
        FIRST_CELL,
        parts={"XL/worksheets/SHEET1.xml": b"<worksheet/>"},
    )


@cache
def corrupt_deflate() -> bytes:
    """A sheet whose compressed bytes are damaged after the first few: zlib's own error."""
    data = bytearray(
        workbook(
            b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 2_000))
        )
    )
    entry = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    name_length, extra_length = struct.unpack_from("<HH", data, entry.header_offset + 26)
    start = entry.header_offset + 30 + name_length + extra_length
    data[start + 10 : start + 200] = b"\xff" * 190
    return bytes(data)


def commas_csv() -> bytes:
    """One line of 20 million commas (just under 20 MB)."""
    return b"," * (20 * MB - 16)


def quoted_newlines_csv() -> bytes:
    """Five million fields in one record, each a quoted line break: every line is short."""
    return b'"\n",' * (5 * MB - 16)


def newlines_csv() -> bytes:
    """Twenty million empty lines."""
    return b"\n" * (20 * MB - 16)


# name → (file name, builder, the refusal shown)
CRAFTED = {
    "rows-without-r": ("活动.xlsx", rows_without_references, "数据超过 10,000 行"),
    "r-after-another-attribute": (
        "活动.xlsx",
        reference_after_another_attribute,
        "数据超过 10,000 行",
    ),
    "many-shared-strings": ("活动.xlsx", many_shared_strings, "共享字符串超过 300,000 条"),
    "huge-shared-string": ("活动.xlsx", one_huge_shared_string, "文字超过 5,000,000 个字符"),
    "string-in-every-cell": ("活动.xlsx", one_string_in_every_cell, "文字超过 5,000,000 个字符"),
    "empty-cells": ("活动.xlsx", empty_cells, "超过 2,000,000 个"),
    "deep-nesting": ("活动.xlsx", deep_nesting, "嵌套超过 64 层"),
    "long-tag": ("活动.xlsx", long_tag, "超长的标记"),
    "entity-expansion": ("活动.xlsx", entity_expansion, "DTD"),
    "bloated-styles": ("活动.xlsx", bloated_styles, "styles.xml 超过 10 MB"),
    "names-differing-in-case": ("活动.xlsx", two_sheets_one_name, "部件名称重复"),
    "corrupt-deflate": ("活动.xlsx", corrupt_deflate, "已损坏"),
    "csv-line-of-commas": ("活动.csv", commas_csv, "有一行超过 100,000 个字符"),
    "csv-quoted-newlines": ("活动.csv", quoted_newlines_csv, "有一行超过 100,000 个字符"),
    "csv-empty-lines": ("活动.csv", newlines_csv, "超过 100,000 行（含空行）"),
}


@cache
def largest_accepted() -> bytes:
    """What the limits let through, near each at once: 11,000 rows of 27 shared-string cells
    of 10 characters (297,001 cells, one in column 200 stretching calamine's grid to 11,000 ×
    200), 4.6 million characters counting the cells' string numbers."""
    columns = [chr(65 + c) for c in range(26)] + ["AA"]
    strings, rows = [], []
    for r in range(1, 11_001):
        cells = []
        for column in columns:
            cells.append(f'<c r="{column}{r}" t="s"><v>{len(strings)}</v></c>')
            strings.append(f"<si><t>{len(strings):06d}工会专案</t></si>")
        if r == 1:
            cells.append('<c r="GR1"><v>1</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return workbook("".join(rows).encode(), strings="".join(strings).encode())
