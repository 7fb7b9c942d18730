"""Reading a number a person typed or a spreadsheet cell holds, the same way everywhere.

Accepted as people write them: full-width digits and signs (１２．５), thousands separators
(1,234 or 1，234), spaces, and whatever an Excel cell holds (int, float, Decimal). Refused:
words (十二), booleans, infinity, and magnitudes no figure reaches (1e400). What is refused
is said by `NumberInvalid.reason`; each caller words its own Chinese message, since a report's
figure is named by its indicator and a form's cell by its column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

NOT_A_NUMBER, NEGATIVE, NOT_WHOLE, TOO_PRECISE, TOO_LARGE = (
    "not_a_number",
    "negative",
    "not_whole",
    "too_precise",
    "too_large",
)
# No count or amount in a plan comes near: larger is a typing slip or a hostile value.
LIMIT = Decimal("1e15")
FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋：（）", "0123456789.,-+:()")


@dataclass
class NumberInvalid(ValueError):
    reason: str  # one of the reasons above
    value: Decimal | None = None  # the number read, when it was one

    def __str__(self) -> str:
        return self.reason


def clean_text(raw: Any) -> str:
    """A cell or typed value as text: an integral float without its ".0", ideographic spaces
    as spaces, trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).replace("\u3000", " ").strip()


def number_text(raw: Any) -> str:
    """Typed text as plain digits: half-width, no thousands separators, no spaces."""
    return clean_text(raw).translate(FULL_WIDTH).replace(",", "").replace(" ", "")


def read_number(
    raw: Any,
    *,
    negative: bool = True,
    whole: bool = False,
    places: int | None = None,
    suffix: str = "",
) -> Decimal | None:
    """The number in `raw`, None when blank; raises `NumberInvalid` when it is none, or when
    it is negative (unless `negative`), has a fraction (with `whole`) or more than `places`
    decimals. A trailing `suffix` (元 after an amount) is allowed and dropped."""
    if isinstance(raw, bool):
        raise NumberInvalid(NOT_A_NUMBER)
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = number_text(raw)
        if suffix:
            text = text.removesuffix(suffix)
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise NumberInvalid(NOT_A_NUMBER) from None
    if not value.is_finite():
        raise NumberInvalid(NOT_A_NUMBER)
    if abs(value) >= LIMIT:
        raise NumberInvalid(TOO_LARGE, value)
    if value < 0 and not negative:
        raise NumberInvalid(NEGATIVE, value)
    if whole and value != value.to_integral_value():
        raise NumberInvalid(NOT_WHOLE, value)
    if places is not None and value.normalize().as_tuple().exponent < -places:
        raise NumberInvalid(TOO_PRECISE, value)
    return value
