"""Sending a stored file back to a browser, for every view that serves evidence.

The caller has found the file and decided the user may see it (another unit's file is a 404
there). Images and PDFs may be shown in the page (`inline=True`), trusting the content type
that `common.uploads.sniff` checked at upload; everything else is always an attachment.
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from evidence.models import INLINE_TYPES

# A shown file runs nothing and loads nothing: images in a sandbox (no script, no forms, a
# unique origin). A sandboxed document may not load Chromium's PDF viewer, so a PDF gets the
# policy that still forbids script and every load but the PDF itself.
SANDBOX_POLICY = "sandbox; default-src 'none'"
PDF_POLICY = (
    "default-src 'none'; object-src 'self'; script-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def file_response(
    path: Path, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    if not path.exists():
        raise Http404("文件不存在")
    shown = inline and content_type in INLINE_TYPES
    response = FileResponse(
        path.open("rb"), as_attachment=not shown, filename=filename, content_type=content_type
    )
    # Also set by SecurityMiddleware; said here because these views serve users' files.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    pdf_shown = shown and content_type == "application/pdf"
    response["Content-Security-Policy"] = PDF_POLICY if pdf_shown else SANDBOX_POLICY
    patch_cache_control(response, private=True, no_store=True)
    return response
