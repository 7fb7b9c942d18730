"""A target as a notice prints it: 1000万元, 4.6万, 2亿元, 8,500,000, 200项以上, 超过70万人.

A plan file may copy the figure from the notice instead of converting it by hand: the number
(Arabic digits, half- or full-width, with thousands separators), 万 or 亿, the measure as
printed and the words that say how the target is read. What it says is turned into the base
measure (money in 元) and a comparator; what cannot be read is said in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.numbers import FULL_WIDTH

MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
MONEY = "元"
# Money printed in 万元 or 亿元 is kept in 元 and shown as printed (Indicator.display_measure):
# how many 元 make one of each.
DISPLAY_MEASURES = {f"{word}{MONEY}": scale for word, scale in MAGNITUDES.items()}
# Words before or after the number and the comparator each means (docs/plan-file.md).
WORDS_BEFORE = {
    "不少于": "gte",
    "不低于": "gte",
    "至少": "gte",
    "达到": "eq",
    "超过": "gt",
    "约": "about",
    "近": "near",
}
WORDS_AFTER = {"以上": "gte", "左右": "about"}
# The comparator key may be written in the notice's words too.
COMPARATOR_WORDS = {**WORDS_BEFORE, **WORDS_AFTER, "无": "eq"}

_PRINTED = re.compile(
    r"^(?P<before>不少于|不低于|至少|达到|超过|约|近)?"
    r"(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"(?P<magnitude>[万亿])?"
    r"(?P<measure>[^\d\s以左]*?)"
    r"(?P<after>以上|左右)?$"
)


class PrintedInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Printed:
    value: Decimal
    measure: str  # as printed, without 万/亿 ("" when the text gives none)
    comparator: str | None  # None when the text has no word for it
    magnitude: str = ""  # 万 or 亿 as printed ("" when none): 1000万元 is shown as printed


def read_printed(text: str) -> Printed:
    """The figure in `text`; raises PrintedInvalid with a Chinese reason."""
    compact = re.sub(r"\s+", "", text.translate(FULL_WIDTH)).replace("，", ",")
    match = _PRINTED.match(compact)
    if match is None:
        raise PrintedInvalid(
            f"「{text}」不是数字，也不是通知中的数字写法（如 1000万元、4.6万、200项以上）"
        )
    number = match["number"]
    if "," in number and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        raise PrintedInvalid(f"「{text}」的千位分隔符位置不对")
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # the pattern admits only digits: kept for safety
        raise PrintedInvalid(f"「{text}」不是数字") from exc
    if match["magnitude"]:
        value *= MAGNITUDES[match["magnitude"]]
    before = WORDS_BEFORE.get(match["before"] or "")
    after = WORDS_AFTER.get(match["after"] or "")
    if before and after and before != after:
        raise PrintedInvalid(f"「{text}」前后的限定词矛盾")
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # 4.6万 is 46000, not 46000.0
    return Printed(
        value=value,
        measure=match["measure"],
        comparator=before or after,
        magnitude=match["magnitude"] or "",
    )


def display_measure(printed: Printed, measure: str) -> str:
    """The measure a money target printed with 万 or 亿 is shown in (万元, 亿元); "" for any
    other target, shown in its own measure."""
    return f"{printed.magnitude}{MONEY}" if printed.magnitude and measure == MONEY else ""


def measure_matches(printed: str, measure: str) -> bool:
    """The measure printed beside the number is the indicator's (万元 reads as 元 once 万 has
    been applied to the number), or the text gives none."""
    return printed in ("", measure)
