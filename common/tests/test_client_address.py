"""The client's address: X-Forwarded-For is believed only from a configured trusted proxy, and
then read from the right, past our own proxies."""

import pytest
from django.test import RequestFactory

from common.client_address import client_address

PROXY = "10.0.0.2"


def address(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = []
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_header_from_a_connection_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"


def test_an_address_the_client_put_in_front_is_not_believed(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "10.0.0.2, 127.0.0.1, 198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = ["10.0.0.0/24", "172.16.5.1"]
    assert address("10.0.0.7", "1.2.3.4, 198.51.100.1 ,172.16.5.1,10.0.0.3") == "198.51.100.1"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.1:5678", "1.2.3.4, x"])
def test_a_missing_or_garbled_hop_falls_back_to_the_nearest_proxy(settings, forwarded):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, forwarded) == PROXY


def test_ipv6_and_ipv4_mapped_proxies_are_recognised(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = ["::1", "10.0.0.0/8"]
    assert address("::1", "2001:db8::5") == "2001:db8::5"
    assert address("::ffff:10.0.0.2", "198.51.100.1") == "198.51.100.1"


def test_a_connection_without_an_ip_address_has_none(settings):
    settings.UNIONPLAN_TRUSTED_PROXIES = [PROXY]
    assert address("") is None
