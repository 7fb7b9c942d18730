"""Hostile and broken files are refused with a Chinese message, quickly, never with a 500."""

import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from records.imports.checking import FORMULA_CELL
from records.models import FormDefinition, RecordImport
from records.services import imports as imports_service
from records.tests.crafted import CRAFTED, workbook
from records.tests.sheets import plain_xlsx, shared_strings_xlsx, upload
from reporting.tests.files import PDF, PNG

SLUG = "pingdingshan-2022"
HEADER = ["活动名称", "“五送”类别", "活动日期", "活动地点", "受众人次（人次）"]
ROW = ["送电影进工地", "送电影", "2022-05-01", "平顶山", 120]


@pytest.fixture
def culture(plan_2022):
    return FormDefinition.objects.get(plan=plan_2022, code="culture")


def _post(client, user, name, data):
    client.force_login(user)
    url = reverse("records:import_upload", kwargs={"slug": SLUG, "code": "culture"})
    # CPU seconds of this process: the work the server does for the file, whatever else the
    # machine is running (wall-clock time on a busy 2-core machine is several times more).
    started = time.process_time()
    response = client.post(url, {"file": upload(name, data)})
    return response, time.process_time() - started


def _xlsx_with(extra: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain_xlsx([HEADER, ROW]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (101 * 1024 * 1024) + b"/>")
    return buffer.getvalue()


def _many_entries() -> bytes:
    return _xlsx_with({f"xl/media/image{i}.png": b"" for i in range(10_001)})


def _rows(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(n):
        ws.append([f"活动{i}", "送电影", "2022-05-01", "平顶山", 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _empty_rows_far_below() -> bytes:
    # A dimension claiming 100,000 rows and a styled but empty cell on each: nothing to read.
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(ROW)
    for r in range(3, 100_003):
        ws.cell(r, 1).font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _with_stray() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(ROW)
    ws.cell(1_000_000, 300, "备注")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HOSTILE = {
    "renamed-pdf": ("活动.xlsx", lambda: PDF, "不是 xlsx 文件（实为 PDF）"),
    "renamed-png": ("活动.xlsx", lambda: PNG, "实为图片"),
    "csv-as-xlsx": ("活动.xlsx", lambda: "活动名称,活动日期\n".encode(), "改了扩展名"),
    "pdf-as-csv": ("活动.csv", lambda: PDF, "不是 csv 文本"),
    "word-file": ("活动.docx", lambda: PDF, "只能上传 xlsx 或 csv"),
    "macro": ("活动.xlsx", lambda: _xlsx_with({"xl/vbaProject.bin": b"\0" * 10}), "含有宏"),
    "xlsm": ("活动.xlsm", lambda: _xlsx_with({"xl/vbaProject.bin": b"\0"}), "含有宏"),
    "encrypted": ("活动.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "加密"),
    "zip-bomb": ("活动.xlsx", _bomb, "解压后超过 100 MB"),
    "many-entries": ("活动.xlsx", _many_entries, "部件过多"),
    "not-a-workbook": ("活动.xlsx", lambda: _zip_only(), "不是 Excel 工作簿"),
    "broken-zip": ("活动.xlsx", lambda: b"PK\x03\x04" + b"\x01" * 200, "已损坏"),
    "too-many-rows": ("活动.xlsx", lambda: _rows(10_001), "超过 10,000 行"),
    "too-many-columns": (
        "活动.xlsx",
        lambda: plain_xlsx([HEADER + ["x"] * 200, ROW]),
        "超过 200 列",
    ),
    "stray-cell-far-below": ("活动.xlsx", _with_stray, "超过"),
    "oversize": ("活动.xlsx", lambda: b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024 + 1), "超过 20 MB"),
    "empty": ("活动.xlsx", lambda: b"", "空文件"),
    "gibberish-csv": ("活动.csv", lambda: bytes(range(128, 256)) * 10, "编码无法识别"),
    "no-header": ("活动.xlsx", lambda: plain_xlsx([["a", "b"], [1, 2]]), "没有找到表头"),
}
# Small files that hold far more than they seem to (records/tests/crafted.py); their memory is
# measured in test_import_memory.py.
HOSTILE |= CRAFTED


def _zip_only() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_refused_with_a_message_within_seconds(
    client, culture, ruzhou_reporter, case
):
    name, make, message = HOSTILE[case]
    response, seconds = _post(client, ruzhou_reporter, name, make())
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert seconds < 5
    assert not RecordImport.objects.exists()


def test_a_hundred_thousand_empty_rows_are_skipped_quickly(client, culture, ruzhou_reporter):
    response, seconds = _post(client, ruzhou_reporter, "活动.xlsx", _empty_rows_far_below())
    imp = RecordImport.objects.get()
    assert response.status_code == 302
    assert (imp.new_count, imp.errors) == (1, [])
    assert seconds < 5


def test_a_formula_cell_is_an_error_for_that_cell(client, culture, ruzhou_reporter):
    data = plain_xlsx([HEADER, ROW, ["送书画", "送书画", "2022-05-02", "平顶山", "=10*10"]])
    _post(client, ruzhou_reporter, "活动.xlsx", data)
    imp = RecordImport.objects.get()
    assert imp.errors == [{"row": 3, "column": "受众人次（人次）", "reason": FORMULA_CELL}]
    assert imp.new_count == 1


def test_an_inline_and_a_shared_strings_workbook_both_import(client, culture, ruzhou_reporter):
    for data in (plain_xlsx([HEADER, ROW]), shared_strings_xlsx([HEADER, ROW])):
        response, _ = _post(client, ruzhou_reporter, "活动.xlsx", data)
        assert response.status_code == 302
    assert [i.new_count for i in RecordImport.objects.order_by("pk")] == [1, 1]


def test_a_sheet_written_without_cell_references_is_read_by_position(
    client, culture, ruzhou_reporter
):
    # Rows and cells without r= are the next row and the next column, for the scan as for
    # calamine: the formula is found in its real cell, and nothing is refused.
    def row(values, tail=b""):
        cells = [
            b"<c><v>%d</v></c>" % v
            if isinstance(v, int)
            else b'<c t="inlineStr"><is><t>' + v.encode() + b"</t></is></c>"
            for v in values
        ]
        return b"<row>" + b"".join(cells) + tail + b"</row>"

    formula = b"<c><f>10*10</f><v>100</v></c>"
    data = workbook(
        row(HEADER) + row(ROW) + row(["送书画", "送书画", "2022-05-02", "平顶山"], formula)
    )
    response, _ = _post(client, ruzhou_reporter, "活动.xlsx", data)
    assert response.status_code == 302
    imp = RecordImport.objects.get()
    assert imp.errors == [{"row": 3, "column": "受众人次（人次）", "reason": FORMULA_CELL}]
    assert imp.new_count == 1


def test_an_import_beyond_those_running_at_once_is_told_to_try_again(
    client, culture, ruzhou_reporter
):
    # IMPORTS_AT_ONCE reads already running in this process (held here, as they would be by
    # other threads): the next one is refused with a message, not queued and not a 500.
    running = imports_service._imports_running
    for _ in range(imports_service.IMPORTS_AT_ONCE):
        assert running.acquire(blocking=False)
    try:
        busy, seconds = _post(client, ruzhou_reporter, "活动.xlsx", plain_xlsx([HEADER, ROW]))
    finally:
        for _ in range(imports_service.IMPORTS_AT_ONCE):
            running.release()
    assert busy.status_code == 200 and seconds < 2
    assert "导入繁忙" in busy.content.decode()
    assert not RecordImport.objects.exists()
    done, _ = _post(client, ruzhou_reporter, "活动.xlsx", plain_xlsx([HEADER, ROW]))
    assert done.status_code == 302


def test_a_sheet_of_formulas_is_checked_within_seconds(client, culture, ruzhou_reporter):
    # 50,000 formula cells: each is an error for its own row, found without searching them
    # all for each of the 10,000 rows.
    def text(value):
        return b'<c t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>"

    def formula(value):
        return b'<c t="str"><f>"' + value.encode() + b'"</f><v>' + value.encode() + b"</v></c>"

    header = b"<row>" + b"".join(text(h) for h in HEADER) + b"</row>"
    row = b"<row>" + b"".join(formula(str(v)) for v in ROW) + b"</row>"
    response, seconds = _post(client, ruzhou_reporter, "活动.xlsx", workbook(header + row * 10_000))
    assert response.status_code == 302
    assert RecordImport.objects.get().errors[0]["reason"] == FORMULA_CELL
    assert seconds < 15
