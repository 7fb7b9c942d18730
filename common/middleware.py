"""Response headers and pages the whole site shares."""

from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control


class MethodNotAllowedPageMiddleware:
    """`require_POST` and class-based views answer a wrong method with an empty 405; fill it
    with templates/405.html, keeping its status and headers (Allow, Cache-Control)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class NoStoreForSignedInMiddleware:
    """Every answer to a signed-in user carries plans, figures, rows, personal data or audit
    entries, or links to them: no browser or proxy may keep a copy (`Cache-Control: no-store`),
    so the next person at a shared office computer cannot page back into them. A view that
    sets its own Cache-Control keeps it; static files never reach this far (whitenoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
