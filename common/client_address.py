"""The address a request came from, seen through the reverse proxies we were told to trust.

The audit log and the login lockout both key on it. A client can write anything into
X-Forwarded-For, so the header is read only when the connection comes from a proxy listed in
UNIONPLAN_TRUSTED_PROXIES, and then from the right: each trusted proxy appends the address it
saw, so the rightmost address that is not one of ours is the last one nobody could forge.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    # config.env already refused a bad entry at start-up; strict=False accepts "10.0.0.1/8".
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the connection's own address is not an IP."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(settings.UNIONPLAN_TRUSTED_PROXIES))
    if remote is None or not _trusted(remote, networks):
        return str(remote) if remote is not None else None
    nearest = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage the proxy passed on from the client: the proxy that appended after it
            # is the nearest address we can vouch for.
            return str(nearest)
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    # Every hop is one of ours (a health check from the proxy itself, say).
    return str(nearest)
