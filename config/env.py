"""Reading the environment in one place: a bad value stops start-up with a clear message."""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """An empty variable counts as unset, so `DATABASE_URL= make …` means the default."""
    value = os.environ.get(name) or default
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated IP addresses or networks (`10.0.0.5`, `10.1.0.0/16`, `::1`); a typo
    stops start-up rather than leaving a proxy untrusted (or a client trusted) in silence."""
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name}: {entry!r} is not an IP address or network."
            ) from exc
    return entries


# Personal-data keys (personal/crypto.py): SM4 keys are 16 bytes; the HMAC-SM3 index key at
# least 32.
SM4_KEY_BYTES = 16
INDEX_KEY_MIN_BYTES = 32
INDEX_KEY_ID = "index"
_KEY_ENTRY = re.compile(r"^([a-z0-9]{1,16})\s*:\s*([0-9a-fA-F]+)$")


def parse_personal_keys(text: str, source: str) -> tuple[dict[str, bytes], bytes]:
    """Entries `id:hex`, one a line or separated by commas (`#` starts a comment): `index` is
    the HMAC-SM3 key, every other entry an SM4 key, the first of them sealing new values.
    Returns (SM4 keys by id, in order; index key). A key never appears in a message."""
    keys: dict[str, bytes] = {}
    for n, entry in enumerate(re.split(r"[\n,]", text), 1):
        entry = entry.split("#", 1)[0].strip()
        if not entry:
            continue
        match = _KEY_ENTRY.match(entry)
        if match is None or len(match[2]) % 2:
            raise ImproperlyConfigured(f"{source}: entry {n} is not `id:hex`.")
        if match[1] in keys:
            raise ImproperlyConfigured(f"{source}: key id {match[1]!r} appears twice.")
        keys[match[1]] = bytes.fromhex(match[2])
    index = keys.pop(INDEX_KEY_ID, None)
    if index is None or len(index) < INDEX_KEY_MIN_BYTES:
        raise ImproperlyConfigured(
            f"{source}: needs an `{INDEX_KEY_ID}:` entry of at least {INDEX_KEY_MIN_BYTES} bytes "
            f"({INDEX_KEY_MIN_BYTES * 2} hex digits)."
        )
    if not keys:
        raise ImproperlyConfigured(f"{source}: needs at least one SM4 key (`k1:` + 32 hex digits).")
    for key_id, key in keys.items():
        if len(key) != SM4_KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: SM4 key {key_id!r} must be {SM4_KEY_BYTES} bytes "
                f"({SM4_KEY_BYTES * 2} hex digits)."
            )
    return keys, index


def env_personal_keys(name: str, default: str | None = None) -> tuple[dict[str, bytes], bytes]:
    """The personal-data keys from the variable `name`, or from the file the variable
    `<name>_FILE` names (readable by the service account only, outside the database and the
    code); see `parse_personal_keys`. Without either and without a default, start-up stops."""
    file_name = f"{name}_FILE"
    path, text = os.environ.get(file_name), os.environ.get(name)
    if path and text:
        raise ImproperlyConfigured(f"Set {name} or {file_name}, not both.")
    if path:
        try:
            return parse_personal_keys(Path(path).read_text(encoding="utf-8"), file_name)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{file_name}: cannot read {path} ({exc.strerror})."
            ) from exc
    if text:
        return parse_personal_keys(text, name)
    if default is None:
        raise ImproperlyConfigured(f"Environment variable {name} or {file_name} is required.")
    return parse_personal_keys(default, f"{name} (development default)")


def env_replica_database(name: str, primary: dict, conn_max_age: int) -> dict | None:
    """The read replica's settings from the URL in `name` (dj-database-url's form, like
    DATABASE_URL), or None when it is unset. It must be the same kind of database as the
    primary; in tests it is a mirror of the primary, never a database of its own."""
    url = os.environ.get(name)
    if not url:
        return None
    try:
        replica = dj_database_url.parse(url, conn_max_age=conn_max_age)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is not a database URL.") from exc
    if replica["ENGINE"] != primary["ENGINE"]:
        want, got = (db["ENGINE"].rsplit(".", 1)[-1] for db in (primary, replica))
        raise ImproperlyConfigured(
            f"Environment variable {name} must name the same kind of database as DATABASE_URL "
            f"({want}), got {got}."
        )
    if replica["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured(
            f"Environment variable {name}: SQLite has no replicas; use PostgreSQL's streaming "
            "replication (docs/deploy.md)."
        )
    replica["TEST"] = {"MIRROR": "default"}
    return replica
