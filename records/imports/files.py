"""Reading an uploaded spreadsheet into plain rows, refusing hostile files first.

Order matters: everything that can be learnt cheaply (size, magic bytes, the zip's central
directory, a streaming scan of the sheet's XML) is checked before a parser sees the file, so a
zip bomb, a macro workbook or a sheet claiming a million rows is refused within milliseconds
and without unpacking it into memory (SECURITY.md, *Excel import*).

xlsx cells are read with python-calamine (Rust, ~10× openpyxl); calamine returns a formula's
cached value, so formula cells are found by the scan (`<f>` elements, records/imports/scan.py),
which also counts rows, cells and text against records/imports/limits.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from array import array
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from common.uploads import MAX_FILE_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_UNPACKED_BYTES
from records.imports.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_CSV_RECORD_CHARS,
    MAX_CSV_RECORDS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    MAX_TEXT,
    MAX_WHOLE_PART_BYTES,
)
from records.imports.scan import (
    TOO_MANY_CELLS,
    TOO_MUCH_TEXT,
    ScanRefused,
    first_sheet_part,
    shared_string_lengths,
    sheet_parts,
    sheet_scan,
)

# Parts calamine reads whole on opening a workbook, by their lower-case file name.
_WHOLE_PARTS = ("workbook.xml", "styles.xml", "[content_types].xml")


class FileRefused(ValueError):
    """The whole file cannot be read; the message is shown to the user."""


@dataclass
class Sheet:
    """The first sheet's non-blank cells as rows; `numbers` are Excel's row numbers."""

    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)


def _upload_bytes(uploaded) -> tuple[bytes, str]:
    """The file's bytes and name, once its size and first bytes say it may be read."""
    name = PurePath(uploaded.name or "").name
    if uploaded.size > MAX_FILE_BYTES:
        raise FileRefused(f"「{name}」超过 20 MB，请删去无关内容后再上传。")
    if uploaded.size == 0:
        raise FileRefused(f"「{name}」是空文件。")
    uploaded.seek(0)
    data = uploaded.read()
    if data[:8].startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            f"「{name}」是加密的或旧版（xls）Excel 文件，请取消密码并另存为 xlsx 后上传。"
        )
    return data, name


def _require_xlsx(data: bytes, name: str) -> None:
    if not data[:8].startswith(b"PK\x03\x04"):
        raise FileRefused(
            f"「{name}」的内容不是 xlsx 文件（{_what(data[:8])}），请用 Excel 或 WPS 另存为 xlsx。"
        )


def read_upload(uploaded) -> Sheet:
    """The file's first sheet, or FileRefused with a Chinese reason."""
    data, name = _upload_bytes(uploaded)
    suffix = PurePath(name).suffix.lower()
    head = data[:8]
    if suffix in (".xlsx", ".xlsm"):
        _require_xlsx(data, name)
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


def read_workbook(uploaded, wanted: Collection[str]) -> dict[str, Sheet]:
    """The sheets named in `wanted` that an uploaded xlsx has, refused like `read_upload`'s
    first sheet (a csv has one sheet only, so it is refused here)."""
    data, name = _upload_bytes(uploaded)
    if PurePath(name).suffix.lower() not in (".xlsx", ".xlsm"):
        raise FileRefused(f"「{name}」的类型不能导入，只能上传 xlsx 文件。")
    _require_xlsx(data, name)
    return read_xlsx_sheets(data, name, wanted)


@contextmanager
def _checked_archive(data: bytes, name: str):
    """The workbook's archive and its part names by lower case, once its central directory
    shows nothing hostile; a scan refused inside the block becomes FileRefused."""
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
        # calamine finds parts by name ignoring case: two names it cannot tell apart would let
        # it read a part other than the one scanned here.
        if len({n.lower() for n in names}) != len(entries):
            raise FileRefused(f"「{name}」已损坏（部件名称重复），无法打开。")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise FileRefused(f"「{name}」含有宏，不能导入；请另存为不含宏的 xlsx 文件。")
        if "xl/workbook.xml" not in names:
            raise FileRefused(f"「{name}」不是 Excel 工作簿（可能是其他压缩包改了扩展名）。")
        if "EncryptionInfo" in names:
            raise FileRefused(f"「{name}」已加密，请取消密码后再上传。")
        _check_whole_parts(entries, name)
        try:
            # calamine reads parts at these names, whatever their case, and no others.
            yield archive, {n.lower(): n for n in names}
        except KeyError as exc:
            raise FileRefused(
                f"「{name}」的文件结构不完整，请用 Excel 或 WPS 另存后再上传。"
            ) from exc
        except ScanRefused as exc:
            raise FileRefused(f"「{name}」{exc}") from exc
        # A broken deflate stream is zlib's error; an unknown compression method or a
        # password-protected part zipfile's.
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            zlib.error,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise FileRefused(f"「{name}」已损坏，无法打开。") from exc


def _shared_strings(archive: zipfile.ZipFile, by_lower: dict[str, str]) -> array:
    # calamine reads the table at this name, whatever its case, and no other.
    strings = by_lower.get("xl/sharedstrings.xml")
    return shared_string_lengths(archive, strings) if strings else array("L")


def read_xlsx(data: bytes, name: str) -> Sheet:
    with _checked_archive(data, name) as (archive, by_lower):
        sheet_path = by_lower.get((first_sheet_part(archive) or "").lower())
        if sheet_path is None:
            raise FileRefused(f"「{name}」中没有工作表。")
        shared = _shared_strings(archive, by_lower)
        # Something far below the data (a stray note) or a sheet written without row
        # numbers would make calamine allocate every row: refused here, before it runs.
        scan = sheet_scan(archive, sheet_path, shared)
    sheet = _calamine_rows(data, name)
    sheet.formulas = scan.formulas
    return sheet


def read_xlsx_sheets(data: bytes, name: str, wanted: Collection[str]) -> dict[str, Sheet]:
    """The sheets named in `wanted` that the workbook has (tab names without surrounding
    spaces), by those names. Each is scanned like `read_xlsx`'s first sheet, and together they
    stay within the limits of one sheet: several sheets hold no more than one may."""
    titles: dict[str, str] = {}
    formulas: dict[str, set[tuple[int, int]]] = {}
    with _checked_archive(data, name) as (archive, by_lower):
        paths = {}
        for title, target in sheet_parts(archive):
            key = title.strip()
            if key in wanted and key not in titles:
                titles[key] = title
                paths[key] = by_lower[target.lower()]
        shared = _shared_strings(archive, by_lower) if paths else array("L")
        cells = text = 0
        for key, path in paths.items():
            scan = sheet_scan(archive, path, shared)
            cells, text = cells + scan.cells, text + scan.text
            if cells > MAX_CELLS:
                raise ScanRefused(TOO_MANY_CELLS)
            if text > MAX_TEXT:
                raise ScanRefused(TOO_MUCH_TEXT)
            formulas[key] = scan.formulas
    sheets = {}
    for key, title in titles.items():
        sheets[key] = _calamine_rows(data, name, title=title)
        sheets[key].formulas = formulas[key]
    return sheets


def _check_whole_parts(entries: list[zipfile.ZipInfo], name: str) -> None:
    """calamine reads these parts whole: a million number formats in styles.xml are 200 MB.
    zipfile and calamine both stop at the size the archive declares, so it can be trusted."""
    for entry in entries:
        part = entry.filename.lower().rpartition("/")[2]
        if (part in _WHOLE_PARTS or part.endswith(".rels")) and (
            entry.file_size > MAX_WHOLE_PART_BYTES
        ):
            raise FileRefused(
                f"「{name}」的部件 {entry.filename.rpartition('/')[2][:60]} 超过 "
                f"{MAX_WHOLE_PART_BYTES // 1024 // 1024} MB，"
                "请删去多余的格式和名称后另存再上传。"
            )


def _calamine_rows(data: bytes, name: str, *, title: str | None = None) -> Sheet:
    """The first sheet's rows, or those of the sheet named `title`."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        found = book.get_sheet_by_index(0) if title is None else book.get_sheet_by_name(title)
        raw = found.to_python(skip_empty_area=False)
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


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


class _Lines:
    """The text line by line for csv.reader (line ends kept, as `newline=""` does), refusing a
    record longer than MAX_CSV_RECORD_CHARS before the reader holds it: a record has at most
    one field more than it has characters, so a line of 20 million commas never becomes 20
    million strings. The caller resets `record` after each record the reader returns."""

    def __init__(self, text: str, name: str):
        self.text, self.name, self.record = text, name, 0

    def __iter__(self):
        text, pos = self.text, 0
        while pos < len(text):
            end = _LINE.match(text, pos, pos + MAX_CSV_RECORD_CHARS + 1).end()
            self.record += end - pos
            if self.record > MAX_CSV_RECORD_CHARS:
                raise FileRefused(
                    f"「{self.name}」有一行超过 {MAX_CSV_RECORD_CHARS:,} 个字符，"
                    "请检查是否有未配对的引号或大量多余的逗号。"
                )
            yield text[pos:end]
            pos = end


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
    lines = _Lines(text, name)
    try:
        for number, row in enumerate(csv.reader(lines), 1):
            lines.record = 0
            if number > MAX_CSV_RECORDS:
                raise FileRefused(
                    f"「{name}」超过 {MAX_CSV_RECORDS:,} 行（含空行），请删去多余的空行后再上传。"
                )
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
