"""Sealing personal data: SM4-GCM tokens that round-trip, differ every time, refuse tampering
and rotate keys; HMAC-SM3 indexes that match equal texts only."""

import base64

import pytest

from personal import crypto

PHONE = "13812345678"
OTHER_KEY = bytes.fromhex("00112233445566778899aabbccddeeff")


def test_a_token_opens_to_the_text_it_sealed():
    assert crypto.open(crypto.seal(PHONE)) == PHONE
    assert crypto.open(crypto.seal("张三 患糖尿病")) == "张三 患糖尿病"


def test_the_same_text_seals_to_a_different_token_each_time():
    tokens = {crypto.seal(PHONE) for _ in range(20)}
    assert len(tokens) == 20
    assert all(PHONE not in t and "5678" not in t for t in tokens)


def test_a_token_names_its_scheme_and_key():
    token = crypto.seal(PHONE)
    assert token.startswith("sm4gcm1:dev1:")
    assert crypto.is_token(token) and crypto.key_id(token) == "dev1"
    assert not crypto.is_token(PHONE) and crypto.key_id(PHONE) == ""


def _flip(token: str, position: int) -> str:
    prefix, payload = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[position] ^= 0x01
    return f"{prefix}:{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


@pytest.mark.parametrize("position", [0, 12, -1], ids=["nonce", "ciphertext", "tag"])
def test_a_tampered_token_is_refused(position):
    with pytest.raises(crypto.Unreadable):
        crypto.open(_flip(crypto.seal(PHONE), position))


def test_a_token_moved_to_another_key_id_is_refused(settings):
    settings.UNIONPLAN_PERSONAL_SEAL_KEYS = {
        **settings.UNIONPLAN_PERSONAL_SEAL_KEYS,
        "k2": OTHER_KEY,
    }
    token = crypto.seal(PHONE).replace(":dev1:", ":k2:")
    with pytest.raises(crypto.Unreadable):
        crypto.open(token)


@pytest.mark.parametrize(
    "token",
    [
        "",
        PHONE,
        "sm4gcm1:dev1:",
        "sm4gcm1:dev1:AAAA",
        "sm4gcm9:dev1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_what_is_not_a_token_is_refused(token):
    with pytest.raises(crypto.Unreadable):
        crypto.open(token)


def test_a_token_under_a_key_no_longer_configured_is_refused(settings):
    token = crypto.seal(PHONE)
    settings.UNIONPLAN_PERSONAL_SEAL_KEYS = {"k2": OTHER_KEY}
    with pytest.raises(crypto.Unreadable, match="not configured"):
        crypto.open(token)


def test_a_new_first_key_seals_while_older_keys_still_open(settings):
    old = crypto.seal(PHONE)
    settings.UNIONPLAN_PERSONAL_SEAL_KEYS = {
        "k2": OTHER_KEY,
        **settings.UNIONPLAN_PERSONAL_SEAL_KEYS,
    }
    new = crypto.seal(PHONE)
    assert crypto.key_id(new) == crypto.current_key_id() == "k2"
    assert crypto.open(old) == crypto.open(new) == PHONE


def test_the_index_is_equal_for_equal_texts_only_and_needs_its_key(settings):
    first = crypto.index(PHONE)
    assert first == crypto.index(PHONE) and len(first) == 64
    assert first != crypto.index("13812345679")
    settings.UNIONPLAN_PERSONAL_INDEX_KEY = bytes(32)
    assert crypto.index(PHONE) != first


def test_sm4_gcm_gives_the_rfc_8998_test_vector():
    # RFC 8998 appendix A.1 (SM4-GCM); a known answer shows the cipher really is SM4.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    associated = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex("".join(c * 16 for c in "ABCDEFEA"))
    sealed = crypto.encrypt(key, nonce, associated, plain)
    assert sealed.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"
    )
    assert crypto.decrypt(key, nonce, associated, sealed) == plain
