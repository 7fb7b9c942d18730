"""Counting what an xlsx sheet holds before calamine builds it (SECURITY.md, *Excel import*).

calamine builds the whole first sheet, and the whole shared-strings table, in memory. What it
would build is counted first by an XML parse of each part's decompressed stream, read in 1 MB
chunks, trusting none of the writer's shortcuts: a row without `r=` is the row after the one
before, a cell without `r=` the column after the one before, attributes come in any order, and
a shared string counts each time a cell uses it. Memory stays at one chunk and a few counters;
the limits are in records/imports/limits.py.

pyexpat directly rather than defusedxml: defusedxml wraps this same parser to refuse DTDs and
entity declarations, which `_parser` does here, and its ElementTree or SAX layers would build
an object per element, several times slower on a sheet of a million elements.
"""

from __future__ import annotations

import re
import threading
import zipfile
from array import array
from dataclasses import dataclass, field
from xml.parsers import expat

from records.imports.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_TEXT,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
    MAX_XML_PENDING,
)

CHUNK = 1 << 20
EXCEL_MAX_ROW = 1_048_576
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")

BROKEN = "已损坏（{detail}），请用 Excel 或 WPS 另存后再上传。"
TOO_MANY_ELEMENTS = (
    f"含有过多的行、单元格或格式（超过 {MAX_XML_ELEMENTS:,} 个），"
    "请删去多余的空行、空列和格式后另存再上传。"
)
TOO_DEEP = BROKEN.format(detail=f"XML 嵌套超过 {MAX_XML_DEPTH} 层")
TOO_MANY_COLUMNS = f"超过 {MAX_COLUMNS} 列，请删去多余的列。"
TOO_MANY_ROWS = f"的数据超过 {MAX_ROWS:,} 行，请分成几个文件上传。"
STRAY_ROW = "在第 {row:,} 行还有内容，超过 {limit:,} 行的上限；请删去表格下方多余的内容。"
TOO_MANY_CELLS = f"有内容的单元格超过 {MAX_CELLS:,} 个，请分成几个文件上传。"
TOO_MUCH_TEXT = f"的文字超过 {MAX_TEXT:,} 个字符，请分成几个文件上传。"
TOO_MANY_SHEETS = f"的工作表超过 {MAX_SHEETS} 个，请只保留需要的工作表，另存后再上传。"
TOO_MANY_STRINGS = (
    f"含有过多文字（共享字符串超过 {MAX_CELLS:,} 条），请只保留要导入的工作表，另存后再上传。"
)


class ScanRefused(ValueError):
    """The part holds more than the limits allow or is not XML; the message follows the
    file's name (「名称」…)."""


@dataclass
class SheetScan:
    """What the sheet holds: cells with something in them, their extent, their text."""

    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    text: int = 0
    rows: set[int] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)


def _forbid(*_args) -> None:
    # What defusedxml refuses: a DTD can declare entities that expand to gigabytes.
    raise ScanRefused(BROKEN.format(detail="含有 DTD 声明"))


def _parser(start, end, text=None, *, namespaces: bool = False) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.buffer_text = True  # one call per run of text, not one per line
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(parser, archive: zipfile.ZipFile, path: str) -> None:
    """Parse the part chunk by chunk; zipfile stops at the size the archive declares, as
    calamine does, so a part cannot unpack to more than the zip limits already checked.

    The parse runs on a thread of its own. CPython 3.11 keeps Python frames in 16 KB chunks
    it maps and unmaps as the stack grows and shrinks; a handler called at the edge of a
    chunk maps a fresh one for every element and frees it again. Deep in a request (the
    middleware, the job runner, the service) that edge was met: a sheet of two million
    elements cost 30 s of system time in page faults instead of 2 s. A new thread's stack
    starts empty, so the handlers always run in the same, shallow place."""
    failure: list[BaseException] = []

    def parse() -> None:
        try:
            _parse_chunks(parser, archive, path)
        except BaseException as exc:  # handed to the caller below, whatever it is
            failure.append(exc)

    worker = threading.Thread(target=parse, name="xlsx-scan")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _parse_chunks(parser, archive: zipfile.ZipFile, path: str) -> None:
    fed = 0
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
                fed += len(chunk)
                # CurrentByteIndex stays at the start of a token expat is still collecting:
                # a tag or comment longer than this would be held whole in memory.
                if fed - parser.CurrentByteIndex > MAX_XML_PENDING:
                    raise ScanRefused(BROKEN.format(detail="含有超长的标记"))
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ScanRefused(BROKEN.format(detail=f"{path} 第 {exc.lineno} 行不是有效的 XML")) from exc


def _local(name: str) -> str:
    # No namespace processing (faster); a prefixed <x:c> is still a cell to calamine.
    return name.rpartition(":")[2] if ":" in name else name


class _Found(Exception):
    """Not an error: it ends a parse once the answer is known."""


class _Budget:
    """Elements opened and nesting depth of one part, refused past their limits."""

    def __init__(self):
        self.elements = self.depth = 0

    def enter(self) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise ScanRefused(TOO_MANY_ELEMENTS)
        if self.depth > MAX_XML_DEPTH:
            raise ScanRefused(TOO_DEEP)

    def leave(self, _name=None) -> None:
        self.depth -= 1


def _first(archive: zipfile.ZipFile, path: str, pick) -> str | None:
    """The first answer of `pick(name, attrs)` that is not None over the part's elements
    (names as "namespace local"), read like the other parts: in chunks, within the limits."""
    budget = _Budget()

    def start(name, attrs):
        budget.enter()
        found = pick(name, attrs)
        if found is not None:
            raise _Found(found)

    try:
        _feed(_parser(start, budget.leave, namespaces=True), archive, path)
    except _Found as found:
        return found.args[0]
    return None


def first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The part holding the workbook's first sheet, as calamine reads it: workbook order, not
    file names (a user may have moved the tabs); None when the workbook names none. Streamed
    like the sheet: workbook.xml may be 10 MB of elements, 240 MB as an ElementTree."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rid = _first(
        archive,
        "xl/workbook.xml",
        lambda name, attrs: attrs.get(f"{rel} id", "") if name == f"{main} sheet" else None,
    )
    if not rid:
        return None
    target = _first(
        archive,
        "xl/_rels/workbook.xml.rels",
        lambda name, attrs: (
            attrs.get("Target", "")
            if name.endswith(" Relationship") and attrs.get("Id") == rid
            else None
        ),
    )
    if target is None:
        return None
    return _part_path(target)


def _part_path(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _collect(archive: zipfile.ZipFile, path: str, pick, limit: int) -> list:
    """Every answer of `pick(name, attrs)` that is not None, read like `_first`; more than
    `limit` answers is refused."""
    budget = _Budget()
    found: list = []

    def start(name, attrs):
        budget.enter()
        answer = pick(name, attrs)
        if answer is not None:
            found.append(answer)
            if len(found) > limit:
                raise ScanRefused(TOO_MANY_SHEETS)

    _feed(_parser(start, budget.leave, namespaces=True), archive, path)
    return found


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Each sheet's tab name and part, in workbook order, as calamine names them: for a
    reader of several sheets by name (a form definition, records/formsheet). A sheet whose
    relationship is missing is left out."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheets = _collect(
        archive,
        "xl/workbook.xml",
        lambda name, attrs: (
            (attrs.get("name", ""), attrs.get(f"{rel} id", "")) if name == f"{main} sheet" else None
        ),
        MAX_SHEETS,
    )
    wanted = {rid for _name, rid in sheets if rid}
    targets = dict(
        _collect(
            archive,
            "xl/_rels/workbook.xml.rels",
            lambda name, attrs: (
                (attrs.get("Id"), attrs.get("Target", ""))
                if name.endswith(" Relationship") and attrs.get("Id") in wanted
                else None
            ),
            MAX_SHEETS,
        )
    )
    return [(name, _part_path(targets[rid])) for name, rid in sheets if rid in targets]


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Column letters to numbers, A to ZZ (702); three letters are all beyond MAX_COLUMNS.
_COLUMNS = {a: i for i, a in enumerate(_LETTERS, 1)} | {
    a + b: i * 26 + j for i, a in enumerate(_LETTERS, 1) for j, b in enumerate(_LETTERS, 1)
}


def _cell_ref(ref: str) -> tuple[int, int]:
    """(row, column) of "AB12"; once per cell, so a dictionary rather than a regex."""
    digits = ref.lstrip(_LETTERS)
    column = _COLUMNS.get(ref[: len(ref) - len(digits)])
    if column is None and _REF.fullmatch(ref):
        column = sum(26**k * (ord(ch) - 64) for k, ch in enumerate(reversed(ref[:3])))
    if column is None or not (digits.isascii() and digits.isdigit()) or len(digits) > 7:
        raise ScanRefused(BROKEN.format(detail=f"单元格地址「{ref[:20]}」无效"))
    return int(digits), column


def _row_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= EXCEL_MAX_ROW:
        raise ScanRefused(BROKEN.format(detail=f"行号「{text[:20]}」无效"))
    return int(text)


def shared_string_lengths(archive: zipfile.ZipFile, path: str) -> array:
    """The length in characters of each shared string, in order. A string ends where the next
    begins, so text between strings counts to the one before, which only ever overstates."""
    lengths = array("L")
    budget = _Budget()
    total = 0
    current: int | None = None  # characters so far of the open <si>

    def start(name, _attrs):
        nonlocal current
        budget.enter()
        if name == "si" or (":" in name and _local(name) == "si"):
            if current is not None:
                lengths.append(current)
            if len(lengths) >= MAX_CELLS:
                raise ScanRefused(TOO_MANY_STRINGS)
            current = 0

    def text(data):
        nonlocal total, current
        if current is not None:
            current += len(data)
            total += len(data)
            if total > MAX_TEXT:
                raise ScanRefused(TOO_MUCH_TEXT)

    _feed(_parser(start, budget.leave, text), archive, path)
    if current is not None:
        lengths.append(current)
    return lengths


def sheet_scan(archive: zipfile.ZipFile, path: str, shared: array) -> SheetScan:
    """Refuse the sheet as soon as it passes a limit; otherwise what it holds. A cell holds
    something when it has a child element (<v>, <is>, <f>): styled empty cells are free.
    The handlers run once per element, so they are written for speed: plain names first, a
    prefixed name (<x:c>) handled as its local name."""
    scan = SheetScan()
    budget = _Budget()
    cells = text_total = 0
    row = 0  # the open row's number
    column = 0  # the column of the row's last cell
    cell: tuple[int, int] | None = None  # (row, column) of the open <c>
    filled = False
    shared_cell = False
    index: str | None = None  # the text of an open <v> in a shared-string cell

    def count(row_number: int, column_number: int) -> None:
        nonlocal cells
        cells += 1
        if cells > MAX_CELLS:
            raise ScanRefused(TOO_MANY_CELLS)
        if column_number > MAX_COLUMNS:
            raise ScanRefused(TOO_MANY_COLUMNS)
        if row_number > MAX_SHEET_ROWS:
            if len(scan.rows) > MAX_ROWS:
                raise ScanRefused(TOO_MANY_ROWS)
            raise ScanRefused(STRAY_ROW.format(row=row_number, limit=MAX_ROWS))
        scan.rows.add(row_number)
        if row_number > scan.max_row:
            scan.max_row = row_number
        if column_number > scan.max_column:
            scan.max_column = column_number

    def start(name, attrs):
        budget.enter()
        element(_local(name), attrs)

    def element(name, attrs):
        nonlocal row, column, cell, filled, shared_cell, index
        if name == "c":
            ref = attrs.get("r")
            if ref is None:
                column += 1
                cell = (row, column)
            else:
                cell = _cell_ref(ref)
                column = cell[1]
            filled = False
            shared_cell = attrs.get("t") == "s"
        elif name == "row":
            ref = attrs.get("r")
            row = row + 1 if ref is None else _row_number(ref)
            column = 0
            cell = None
        elif cell is not None:
            if not filled:
                filled = True
                count(*cell)
            if name == "v":
                if shared_cell:
                    index = ""
            elif name == "f":
                scan.formulas.add((cell[0], cell[1] - 1))

    def end(name):
        nonlocal cell, index, text_total
        budget.leave()
        if name == "c":
            cell = index = None
        elif index is not None and (name == "v" or _local(name) == "v"):
            try:
                position = int(index)
            except ValueError:
                raise ScanRefused(BROKEN.format(detail="共享字符串编号无效")) from None
            # An index past the table is calamine's to refuse; it adds no text.
            text_total += shared[position] if 0 <= position < len(shared) else 0
            index = None
            if text_total > MAX_TEXT:
                raise ScanRefused(TOO_MUCH_TEXT)
        elif ":" in name and _local(name) == "c":
            cell = index = None

    def text(data):
        nonlocal index, text_total
        if cell is not None:
            text_total += len(data)
            if text_total > MAX_TEXT:
                raise ScanRefused(TOO_MUCH_TEXT)
            if index is not None:
                index += data
                if len(index) > 20:
                    raise ScanRefused(BROKEN.format(detail="共享字符串编号无效"))

    _feed(_parser(start, end, text), archive, path)
    scan.cells, scan.text = cells, text_total
    return scan
