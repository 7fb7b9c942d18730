"""The request's client address, available to `audit_record` without passing the request."""

from contextvars import ContextVar

from common.client_address import client_address

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The client's, not the reverse proxy's (UNIONPLAN_TRUSTED_PROXIES).
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
