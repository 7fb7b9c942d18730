"""Reading the personal-data keys: a malformed entry or a missing key stops start-up with a
message that never shows key material."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_networks, env_personal_keys, parse_personal_keys

SM4 = "00112233445566778899aabbccddeeff"
INDEX = "ab" * 32


def test_keys_are_read_in_order_with_the_index_key_apart():
    seal, index = parse_personal_keys(f"k2:{SM4}\n# old\nk1 : {SM4.upper()}, index:{INDEX}", "T")
    assert list(seal) == ["k2", "k1"] and seal["k1"] == bytes.fromhex(SM4)
    assert index == bytes.fromhex(INDEX)


@pytest.mark.parametrize(
    "text, message",
    [
        (f"k1:{SM4}", "needs an `index:` entry of at least 32 bytes"),
        (f"k1:{SM4},index:{'ab' * 16}", "needs an `index:` entry of at least 32 bytes"),
        (f"index:{INDEX}", "needs at least one SM4 key"),
        (f"k1:{SM4[:-2]},index:{INDEX}", "SM4 key 'k1' must be 16 bytes"),
        (f"k1:{SM4},k1:{SM4},index:{INDEX}", "key id 'k1' appears twice"),
        (f"K-1:{SM4},index:{INDEX}", "entry 1 is not `id:hex`"),
        (f"k1:{SM4}x,index:{INDEX}", "entry 1 is not `id:hex`"),
    ],
)
def test_malformed_keys_stop_start_up_without_showing_them(text, message):
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        parse_personal_keys(text, "UNIONPLAN_PERSONAL_KEYS")
    assert SM4[:8] not in str(caught.value) and INDEX[:8] not in str(caught.value)


def test_the_variable_and_the_file_are_exclusive_and_one_is_required(monkeypatch, tmp_path):
    monkeypatch.delenv("KEYS", raising=False)
    monkeypatch.delenv("KEYS_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="KEYS or KEYS_FILE is required"):
        env_personal_keys("KEYS")
    path = tmp_path / "keys"
    path.write_text(f"k1:{SM4}\nindex:{INDEX}\n", encoding="utf-8")
    monkeypatch.setenv("KEYS_FILE", str(path))
    assert list(env_personal_keys("KEYS")[0]) == ["k1"]
    monkeypatch.setenv("KEYS", f"k9:{SM4},index:{INDEX}")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_personal_keys("KEYS")
    monkeypatch.delenv("KEYS")
    monkeypatch.setenv("KEYS_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_personal_keys("KEYS")


def test_trusted_proxies_are_addresses_or_networks_and_a_typo_stops_start_up(monkeypatch):
    monkeypatch.setenv("UNIONPLAN_TRUSTED_PROXIES", "10.0.0.2, 172.16.0.0/12,::1")
    assert env_networks("UNIONPLAN_TRUSTED_PROXIES", []) == ["10.0.0.2", "172.16.0.0/12", "::1"]
    monkeypatch.delenv("UNIONPLAN_TRUSTED_PROXIES")
    assert env_networks("UNIONPLAN_TRUSTED_PROXIES", []) == []
    monkeypatch.setenv("UNIONPLAN_TRUSTED_PROXIES", "10.0.0.2,10.0.0.300")
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.300' is not an IP address"):
        env_networks("UNIONPLAN_TRUSTED_PROXIES", [])
