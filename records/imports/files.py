"""Reading an uploaded spreadsheet into plain rows, refusing hostile files first.

Order matters: everything that can be learnt cheaply (size, magic bytes, the zip's central
directory, a streaming scan of the sheet's XML) is checked before a parser sees the file, so a
zip bomb, a macro workbook or a sheet claiming a million rows is refused within milliseconds
and without unpacking it into memory (SECURITY.md, *Excel import*).

xlsx cells are read with python-calamine (Rust, ~10× openpyxl); calamine returns a formula's
cached value, so formula cells are found by the scan (`<f>` elements) and their coordinates
then read with openpyxl in read-only mode, which only happens for files that have formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from reporting.uploads import MAX_FILE_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_UNPACKED_BYTES

MAX_ROWS = 10_000
MAX_COLUMNS = 200
# Rows above the header a template may carry (title, unit line) and trailing blank rows a
# sheet may keep before we stop reading; beyond that a sheet is refused, not parsed.
MAX_SHEET_ROWS = MAX_ROWS + 1_000
SCAN_CHUNK = 1 << 20


class FileRefused(ValueError):
    """The whole file cannot be read; the message is shown to the user."""


@dataclass
class Sheet:
    """The first sheet's non-blank cells as rows; `numbers` are Excel's row numbers."""

    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)


def read_upload(uploaded) -> Sheet:
    """The file's first sheet, or FileRefused with a Chinese reason."""
    name = PurePath(uploaded.name or "").name
    if uploaded.size > MAX_FILE_BYTES:
        raise FileRefused(f"「{name}」超过 20 MB，请删去无关内容后再上传。")
    if uploaded.size == 0:
        raise FileRefused(f"「{name}」是空文件。")
    suffix = PurePath(name).suffix.lower()
    uploaded.seek(0)
    data = uploaded.read()
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            f"「{name}」是加密的或旧版（xls）Excel 文件，请取消密码并另存为 xlsx 后上传。"
        )
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(b"PK\x03\x04"):
            raise FileRefused(
                f"「{name}」的内容不是 xlsx 文件（{_what(head)}），请用 Excel 或 WPS 另存为 xlsx。"
            )
        return read_xlsx(data, name)
    if suffix in (".csv", ".txt"):
        if head.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff")):
            raise FileRefused(f"「{name}」的内容不是 csv 文本（{_what(head)}）。")
        return read_csv(data, name)
    raise FileRefused(f"「{name}」的类型不能导入，只能上传 xlsx 或 csv 文件。")


def _what(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "实为 PDF"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        return "实为图片"
    if head.startswith(b"PK\x03\x04"):
        return "实为压缩包"
    return "疑为 csv 或文本文件改了扩展名"


# -- xlsx -------------------------------------------------------------------------------------

_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)>(?!</c>)')
_FORMULA = re.compile(rb"<f[ >/]")


def _first_sheet_path(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The part of the workbook's first sheet, as calamine will read it (workbook order, not
    file names: a user may have moved the tabs)."""
    from defusedxml import DefusedXmlException, ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        first = next(iter(book.iter(f"{main}sheet")), None)
        rid = first.get(f"{rel}id") if first is not None else None
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError, DefusedXmlException) as exc:
        raise FileRefused("文件结构不完整，请用 Excel 或 WPS 另存后再上传。") from exc
    for item in rels:
        if item.get("Id") == rid:
            target = item.get("Target", "").lstrip("/")
            path = target if target.startswith("xl/") else f"xl/{target}"
            if path in names:
                return path
    raise FileRefused("文件中没有工作表。")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


@dataclass
class _Scan:
    max_row: int = 0
    max_column: int = 0
    rows: int = 0
    has_formulas: bool = False


def _scan(archive: zipfile.ZipFile, path: str, name: str) -> _Scan:
    """One streaming pass over the sheet XML: the extent of cells that hold something, the
    number of such rows, and whether any cell has a formula. Memory stays at one chunk."""
    scan = _Scan()
    rows: set[bytes] = set()
    columns: set[bytes] = set()
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            text = tail + chunk
            # Keep an unfinished tag for the next chunk so no cell is split in two.
            cut = text.rfind(b"<")
            text, tail = text[:cut], text[cut:]
            refs = _CELL.findall(text)
            if refs:
                columns.update(letters for letters, _ in refs)
                rows.update(number for _, number in refs)
                if len(rows) > MAX_SHEET_ROWS:
                    raise FileRefused(f"「{name}」的数据超过 {MAX_ROWS:,} 行，请分成几个文件上传。")
            if not scan.has_formulas and _FORMULA.search(text):
                scan.has_formulas = True
    if _FORMULA.search(tail):
        scan.has_formulas = True
    scan.rows = len(rows)
    scan.max_row = max((int(n) for n in rows), default=0)
    scan.max_column = max((_column_number(c) for c in columns), default=0)
    return scan


def read_xlsx(data: bytes, name: str) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused(f"「{name}」已损坏，无法打开。") from exc
    with archive:
        entries = archive.infolist()  # the central directory only: nothing is unpacked yet
        if len(entries) > MAX_ZIP_ENTRIES:
            raise FileRefused(
                f"「{name}」包含的部件过多（超过 {MAX_ZIP_ENTRIES:,} 个），不能导入。"
            )
        if sum(e.file_size for e in entries) > MAX_ZIP_UNPACKED_BYTES:
            raise FileRefused(f"「{name}」解压后超过 100 MB，不能导入。")
        names = {e.filename for e in entries}
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise FileRefused(f"「{name}」含有宏，不能导入；请另存为不含宏的 xlsx 文件。")
        if "xl/workbook.xml" not in names:
            raise FileRefused(f"「{name}」不是 Excel 工作簿（可能是其他压缩包改了扩展名）。")
        if "EncryptionInfo" in names:
            raise FileRefused(f"「{name}」已加密，请取消密码后再上传。")
        sheet_path = _first_sheet_path(archive, names)
        try:
            scan = _scan(archive, sheet_path, name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FileRefused(f"「{name}」已损坏，无法打开。") from exc
    if scan.max_column > MAX_COLUMNS:
        raise FileRefused(f"「{name}」超过 {MAX_COLUMNS} 列，请删去多余的列。")
    if scan.max_row > MAX_SHEET_ROWS:
        # Something far below the data (a stray note, a formatted cell) would make the
        # reader allocate every row in between.
        raise FileRefused(
            f"「{name}」在第 {scan.max_row:,} 行还有内容，超过 {MAX_ROWS:,} 行的上限；"
            "请删去表格下方多余的内容。"
        )
    sheet = _calamine_rows(data, name)
    if scan.has_formulas:
        sheet.formulas = _formula_cells(data)
    return sheet


def _calamine_rows(data: bytes, name: str) -> Sheet:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        raw = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every broken part
        raise FileRefused(
            f"「{name}」无法读取（{type(exc).__name__}），请用 Excel 或 WPS 另存后再上传。"
        ) from exc
    sheet = Sheet()
    for number, row in enumerate(raw, 1):
        if any(v != "" and v is not None for v in row):
            sheet.rows.append(row)
            sheet.numbers.append(number)
    return sheet


def _formula_cells(data: bytes) -> set[tuple[int, int]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = book.worksheets[0]
        return {
            (cell.row, cell.column - 1)
            for row in ws.iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        }
    finally:
        book.close()


# -- csv --------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    # Chinese Excel saves "CSV" as GB18030 (GBK) and "CSV UTF-8" with a BOM; WPS writes either.
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(f"「{name}」的文字编码无法识别，请另存为 UTF-8 或 GBK 编码的 csv。")


def read_csv(data: bytes, name: str) -> Sheet:
    if b"\0" in data[:8192]:
        raise FileRefused(f"「{name}」不是文本文件，不能作为 csv 导入。")
    try:
        text = _decode(data, name)
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"「{name}」的文字编码无法识别，请另存为 UTF-8 或 GBK 编码的 csv。"
        ) from exc
    sheet = Sheet()
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            if len(row) > MAX_COLUMNS and any(c.strip() for c in row[MAX_COLUMNS:]):
                raise FileRefused(f"「{name}」超过 {MAX_COLUMNS} 列，请删去多余的列。")
            if any(c.strip() for c in row):
                sheet.rows.append(row[:MAX_COLUMNS])
                sheet.numbers.append(number)
                if len(sheet.rows) > MAX_SHEET_ROWS:
                    raise FileRefused(f"「{name}」的数据超过 {MAX_ROWS:,} 行，请分成几个文件上传。")
    except csv.Error as exc:
        raise FileRefused(f"「{name}」不是有效的 csv 文件（{exc}）。") from exc
    return sheet
