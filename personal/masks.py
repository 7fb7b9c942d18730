"""Personal data shown masked: 138****5678, 0375-*****38, 410402********1234.

Plain text work, no cryptography. A mask shows enough to recognise a value, never enough to use
it: at least four characters are always hidden. Masking a mask gives the same mask, so a mask
read back (from an export, or the audit log) is recognised as one (`is_masked`).
"""

from __future__ import annotations

# The kinds a form field may declare (`personal:` in the plan file), with their Chinese names.
KINDS = {"phone": "电话号码", "id_number": "身份证号码", "text": "其他个人信息"}
STAR = "*"
# Free text (an illness, an income note) shows nothing of itself, not even its length.
HIDDEN_TEXT = STAR * 6
MIN_HIDDEN = 4


def _hide(text: str, head: int, tail: int) -> str:
    if len(text) - head - tail < MIN_HIDDEN:
        # Too short to keep both ends: keep at most a few last characters, hide the rest.
        head, tail = 0, max(0, min(tail, len(text) - MIN_HIDDEN, len(text) // 2 - 1))
    return text[:head] + STAR * (len(text) - head - tail) + text[len(text) - tail :]


def mask(text: str, kind: str) -> str:
    """`text` as it may be shown: phones keep the first 3 and last 4 digits (a fixed line its
    area code and up to 4 last digits), ID numbers the first 6 and last 4, other text nothing."""
    if not text:
        return ""
    if kind == "phone":
        area, dash, local = text.rpartition("-")
        if dash:
            return f"{area}-{_hide(local, 0, 4)}"
        return _hide(text, 3, 4)
    if kind == "id_number":
        return _hide(text, 6, 4)
    return HIDDEN_TEXT


def is_masked(text: str, kind: str) -> bool:
    """Whether `text` is a mask of this kind (as an export shows it), not a value."""
    return STAR in text and mask(text, kind) == text
