"""Numbers as notices write them in words: 一, 两, 十二, 三分之一, 一百二十."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def chinese_int(text: str) -> int | None:
    """一百二十 → 120, 十五 → 15, 两 → 2; None for anything else."""
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None:  # 二三: not a number, a list
                return None
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def number(text: str) -> Decimal | None:
    """Arabic (with separators) or Chinese words."""
    compact = text.replace(",", "").replace("，", "")
    try:
        return Decimal(compact)
    except ArithmeticError:
        pass
    value = chinese_int(text)
    return None if value is None else Decimal(value)
