"""Refusing a request body larger than any form of ours sends, before anything reads it.

Django reads a body only when a view or middleware asks for it (CSRF does, for every POST),
and then spools files above FILE_UPLOAD_MAX_MEMORY_SIZE to disk: without this check a 300 MB
upload is received in full before the 20 MB check of each file. The figure is
UNIONPLAN_MAX_REQUEST_BYTES (config/settings/base.py); the reverse proxy in front holds the
same one (docs/deploy.md), so this is the second line, for a deployment without it.

A body without Content-Length (chunked) is never read by Django's WSGI request: it counts
as empty, so only the declared length needs checking.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UNIONPLAN_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length is not a number
        if length > limit:
            # Rendered without the request: nothing below (session, user) has run.
            page = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)})
            return HttpResponse(page, status=413)
        return self.get_response(request)
