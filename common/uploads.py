"""Checking an uploaded file by its content, not its name (SECURITY.md, *Uploads*)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_REQUEST = 10
MAX_ZIP_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
ALLOWED_TEXT = "jpg、png、pdf、docx、xlsx"


class UploadRejected(ValueError):
    pass


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


JPG = FileKind(".jpg", "image/jpeg")
PNG = FileKind(".png", "image/png")
PDF = FileKind(".pdf", "application/pdf")
DOCX = FileKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_NAMES = {".jpg": JPG, ".jpeg": JPG, ".png": PNG, ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}


def sniff(uploaded) -> FileKind:
    """The file's real kind; raises UploadRejected with a Chinese reason."""
    name = uploaded.name or ""
    if uploaded.size > MAX_FILE_BYTES:
        raise UploadRejected(f"「{name}」超过 20 MB。")
    if uploaded.size == 0:
        raise UploadRejected(f"「{name}」是空文件。")
    claimed = _NAMES.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise UploadRejected(f"「{name}」的类型不允许，只能上传 {ALLOWED_TEXT}。")
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(
            f"「{name}」是加密的或旧版（doc/xls）Office 文件，请另存为不加密的 "
            "docx 或 xlsx 后上传。"
        )
    if head.startswith(b"\xff\xd8\xff"):
        actual = JPG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        actual = PNG
    elif head.startswith(b"%PDF-"):
        actual = _check_pdf(uploaded, name)
    elif head.startswith(b"PK\x03\x04"):
        actual = _office_kind(uploaded, name)
    else:
        raise UploadRejected(f"「{name}」的内容不是 {ALLOWED_TEXT} 文件。")
    if actual != claimed:
        raise UploadRejected(f"「{name}」的扩展名与内容不符（内容为 {actual.extension[1:]}）。")
    return actual


# What browsers have taken for a web page when sniffing a file's first bytes (old Internet
# Explorer looked at 256, the WHATWG algorithm at up to 1,445): tags of two letters or more,
# so that the binary streams of a real PDF do not match by chance.
_HTML = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|title|table|style|div|font|pre|img|svg|"
    rb"object|embed|plaintext|a\s+href)[\s>/]|<!--",
    re.IGNORECASE,
)
PDF_HEAD_BYTES = 2048
PDF_TAIL_BYTES = 1024  # readers look for %%EOF within the last KB


def _check_pdf(uploaded, name: str) -> FileKind:
    """A PDF is more than its first five bytes: `%PDF-1.x` or `2.x`, `%%EOF` within the last
    KB, and nothing in its first 2 KB that a browser would take for HTML. A small check
    rather than a PDF parser (pypdf is not a dependency, and parsing a hostile file is a risk
    of its own): it refuses a web page or script behind a PDF signature, the trick that
    matters for files served back to browsers."""
    uploaded.seek(0)
    head = uploaded.read(PDF_HEAD_BYTES)
    uploaded.seek(max(uploaded.size - PDF_TAIL_BYTES, 0))
    tail = uploaded.read(PDF_TAIL_BYTES)
    uploaded.seek(0)
    if _HTML.search(head):
        raise UploadRejected(f"「{name}」不是 PDF 文件（含有网页代码），不能上传。")
    if not re.match(rb"%PDF-[12]\.\d", head) or b"%%EOF" not in tail:
        raise UploadRejected(
            f"「{name}」不是完整的 PDF 文件（缺少文件头或结尾标记），请重新导出 PDF 后上传。"
        )
    return PDF


def _office_kind(uploaded, name: str) -> FileKind:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRejected(f"「{name}」包含的文件过多。")
            if sum(e.file_size for e in entries) > MAX_ZIP_UNPACKED_BYTES:
                raise UploadRejected(f"「{name}」解压后超过 100 MB。")
            names = {e.filename for e in entries}
    except zipfile.BadZipFile as exc:
        raise UploadRejected(f"「{name}」已损坏，无法打开。") from exc
    finally:
        uploaded.seek(0)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRejected(f"「{name}」含有宏，不能上传。")
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise UploadRejected(f"「{name}」的内容不是 {ALLOWED_TEXT} 文件。")
