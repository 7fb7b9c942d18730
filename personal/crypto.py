"""All of unionplan's cryptography: sealing personal data with SM4-GCM, opening it, and a
keyed index (HMAC-SM3) for finding equal values without opening them.

Nothing else in the project encrypts, decrypts or keys a hash. A certified HSM or KMS replaces
this module by keeping its names (`seal`, `open`, `index`, `is_token`, `key_id`) and the token
format below.

A token is text: ``sm4gcm1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``.

- ``sm4gcm1`` names the scheme and its version: SM4 (GB/T 32907-2016) in GCM mode, a random
  12-byte nonce for every value, a 16-byte tag. The ``sm4gcm1:<key id>`` prefix is the
  associated data, so a token cannot be passed off under another key id or scheme.
- The key id names one of ``settings.UNIONPLAN_PERSONAL_SEAL_KEYS``: the first key seals,
  every key listed opens. Keys rotate by putting a new key first, re-sealing
  (``manage.py seal_personal_values --rotate``), then dropping the old key.

The index key (``settings.UNIONPLAN_PERSONAL_INDEX_KEY``) is a separate key: an index says
nothing without it and opens nothing. Changing it changes every index, so it is not rotated
without recomputing the stored ones (row keys).

Keys come from the environment or a key file (`config.env.env_personal_keys`), never from the
database.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

SCHEME = "sm4gcm1"
NONCE_BYTES = 12
TAG_BYTES = 16
_TOKEN = re.compile(r"^sm4gcm1:([a-z0-9]{1,16}):([A-Za-z0-9_-]+)$")


class Unreadable(ValueError):
    """A token that does not open: malformed, sealed under a key not configured, or altered."""


def _seal_keys() -> dict[str, bytes]:
    return settings.UNIONPLAN_PERSONAL_SEAL_KEYS


def encrypt(key: bytes, nonce: bytes, associated: bytes, plain: bytes) -> bytes:
    """SM4-GCM: the ciphertext followed by the 16-byte tag."""
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    return encryptor.update(plain) + encryptor.finalize() + encryptor.tag


def decrypt(key: bytes, nonce: bytes, associated: bytes, sealed: bytes) -> bytes:
    """SM4-GCM: the plain bytes, or InvalidTag when anything was altered."""
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated)
    return decryptor.update(body) + decryptor.finalize()


def seal(text: str) -> str:
    """A token holding `text`, sealed under the current key; different every time."""
    current, key = next(iter(_seal_keys().items()))
    prefix = f"{SCHEME}:{current}"
    nonce = os.urandom(NONCE_BYTES)
    sealed = encrypt(key, nonce, prefix.encode("ascii"), text.encode("utf-8"))
    payload = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{prefix}:{payload}"


def open(token: str) -> str:
    """The text sealed in `token`; raises Unreadable if it is not a sound token.

    Named after the pair seal/open and always called as `crypto.open`; this module itself
    never needs the built-in `open`.
    """
    match = _TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        raise Unreadable("not a personal-data token")
    key = _seal_keys().get(match[1])
    if key is None:
        raise Unreadable(f"token sealed under key {match[1]!r}, which is not configured")
    payload = match[2]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError) as exc:
        raise Unreadable("token payload is not base64url") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise Unreadable("token payload is too short")
    prefix = f"{SCHEME}:{match[1]}".encode("ascii")
    try:
        plain = decrypt(key, raw[:NONCE_BYTES], prefix, raw[NONCE_BYTES:])
    except InvalidTag as exc:
        raise Unreadable("token was altered or sealed under another key") from exc
    return plain.decode("utf-8")


def is_token(value: object) -> bool:
    """Whether `value` has the shape of a token (it may still fail to open)."""
    return isinstance(value, str) and _TOKEN.match(value) is not None


def key_id(token: str) -> str:
    """The id of the key `token` was sealed under ("" if it is not a token)."""
    match = _TOKEN.match(token) if isinstance(token, str) else None
    return match[1] if match else ""


def current_key_id() -> str:
    return next(iter(_seal_keys()))


def index(text: str) -> str:
    """HMAC-SM3 of `text` under the index key, as 64 hex digits: equal texts, equal indexes."""
    mac = hmac.HMAC(settings.UNIONPLAN_PERSONAL_INDEX_KEY, hashes.SM3())
    mac.update(text.encode("utf-8"))
    return mac.finalize().hex()
