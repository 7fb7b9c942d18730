"""A field's range, a form's deadline and its checks as the words of a cell, both ways.

`*_text` writes what the reader (records/formsheet/read.py) takes back unchanged; the
`read_*` functions raise `Unreadable` with a Chinese reason saying what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from common.numbers import FULL_WIDTH, clean_text
from records.deadlines import Deadline
from records.expressions import Formula, FormulaError
from records.fields import FieldDef, FieldInvalid, read_date
from records.formsheet.layout import (
    CHOICE_SEPARATORS,
    EVERY_BY_WORD,
    EVERY_WORDS,
    TEXT_DEFAULT_LENGTH,
)

NUMBER_TYPES = ("integer", "decimal", "money")
DATE_TYPES = ("date", "date_range")
CHOICE_TYPES = ("choice", "multi_choice")


class Unreadable(ValueError):
    """The cell cannot be read; the message says what to write."""


# -- 范围/选项 -------------------------------------------------------------------------------

_NUMBER = r"-?\d+(?:\.\d+)?"
_BETWEEN = re.compile(rf"^({_NUMBER})(?:至|到|~|～|—|–|--?)({_NUMBER})$")
_AT_LEAST = re.compile(rf"^(?:≥|>=|不小于|不少于|不低于|最小|至少)({_NUMBER})$|^({_NUMBER})以上$")
_AT_MOST = re.compile(
    rf"^(?:≤|<=|不大于|不超过|不高于|最大|至多|最多)({_NUMBER})$|^({_NUMBER})以下$"
)
_LENGTH = re.compile(r"^(?:不超过|最多|至多|≤|<=)?(\d{1,6})(?:个)?(?:字|字符)?(?:以内)?$")
_DATE_BETWEEN = re.compile(r"^(.+?)\s*(?:至|到|~|～|—)\s*(.+)$")
_DATE_FROM = re.compile(r"^(?:≥|>=|不早于|从)\s*(.+?)(?:起|以后)?$")
_DATE_UNTIL = re.compile(r"^(?:≤|<=|不晚于|截至|截止)\s*(.+?)(?:止|以前)?$")
_PARTS = re.compile(r"[；;\n]+")

RANGE_NUMBER_HELP = "数字字段写成「0 至 100」「≥ 0」或「≤ 100」"
RANGE_DATE_HELP = (
    "日期字段写成「2022-01-01 至 2022-12-31」「不早于 2022-01-01」或「不晚于 2022-12-31」"
)
RANGE_TEXT_HELP = "文本字段写成「不超过 100 字」"
RANGE_NONE = "「{type}」字段不用填写范围/选项"


def range_text(f: FieldDef, type_word: str) -> str:
    """What 范围/选项 says of the field: its bounds, its length or its choices."""
    if f.type in NUMBER_TYPES:
        low = None if f.minimum is None else _plain_number(f.minimum)
        high = None if f.maximum is None else _plain_number(f.maximum)
        return _bounds(low, high, "≥ ", "≤ ")
    if f.type in DATE_TYPES:
        low = f.min_date.isoformat() if f.min_date else None
        high = f.max_date.isoformat() if f.max_date else None
        return _bounds(low, high, "不早于 ", "不晚于 ")
    if f.type in CHOICE_TYPES:
        one_a_line = any(CHOICE_SEPARATORS.search(c) or "\n" in c for c in f.choices)
        return ("\n" if one_a_line else "、").join(f.choices)
    if f.type == "text" and f.max_length != TEXT_DEFAULT_LENGTH:
        return f"不超过 {f.max_length} 字"
    return ""


def _plain_number(value: Decimal) -> str:
    # The number as written (0.50 stays 0.50), without an exponent.
    return format(value, "f")


def _bounds(low: str | None, high: str | None, above: str, below: str) -> str:
    if low is not None and high is not None:
        return f"{low} 至 {high}"
    if low is not None:
        return f"{above}{low}"
    if high is not None:
        return f"{below}{high}"
    return ""


def read_range(kind: str, raw: Any, type_word: str) -> dict:
    """The plan file's keys for what 范围/选项 says (min, max, min_date, max_date, max_length,
    choices), for a field of type `kind`."""
    if raw is None or clean_text(raw) == "":
        return {}
    if kind in CHOICE_TYPES:
        return {"choices": read_choices(raw)}
    if isinstance(raw, (dt.date, dt.datetime)):
        raise Unreadable(f"「{_shown(raw)}」看不懂：{_range_help(kind, type_word)}")
    if kind in NUMBER_TYPES:
        return _number_range(clean_text(raw))
    if kind in DATE_TYPES:
        return _date_range(clean_text(raw))
    if kind == "text":
        text = clean_text(raw).translate(FULL_WIDTH).replace(" ", "")
        match = _LENGTH.match(text)
        if not match or int(match[1]) < 1:
            raise Unreadable(f"「{clean_text(raw)}」看不懂：{RANGE_TEXT_HELP}")
        return {"max_length": int(match[1])}
    raise Unreadable(RANGE_NONE.format(type=type_word))


def _range_help(kind: str, type_word: str) -> str:
    if kind in NUMBER_TYPES:
        return RANGE_NUMBER_HELP
    if kind in DATE_TYPES:
        return RANGE_DATE_HELP
    if kind == "text":
        return RANGE_TEXT_HELP
    return RANGE_NONE.format(type=type_word)


def _shown(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    return raw.isoformat() if isinstance(raw, dt.date) else clean_text(raw)


def _number_range(text: str) -> dict:
    found: dict = {}
    for part in _PARTS.split(text):
        squeezed = part.translate(FULL_WIDTH).replace(",", "").replace(" ", "")
        if not squeezed:
            continue
        if match := _BETWEEN.match(squeezed):
            found["min"], found["max"] = match[1], match[2]
        elif match := _AT_LEAST.match(squeezed):
            found["min"] = match[1] or match[2]
        elif match := _AT_MOST.match(squeezed):
            found["max"] = match[1] or match[2]
        else:
            raise Unreadable(f"「{part.strip()}」看不懂：{RANGE_NUMBER_HELP}")
    if "min" in found and "max" in found and Decimal(found["min"]) > Decimal(found["max"]):
        raise Unreadable(f"最小值 {found['min']} 大于最大值 {found['max']}")
    return found


def _date(text: str) -> str:
    try:
        return read_date(text.strip()).isoformat()
    except FieldInvalid:
        raise Unreadable(f"「{text.strip()}」不是日期：{RANGE_DATE_HELP}") from None


def _date_range(text: str) -> dict:
    found: dict = {}
    for part in _PARTS.split(text):
        part = part.strip()
        if not part:
            continue
        if match := _DATE_FROM.match(part):
            found["min_date"] = _date(match[1])
        elif match := _DATE_UNTIL.match(part):
            found["max_date"] = _date(match[1])
        elif match := _DATE_BETWEEN.match(part):
            found["min_date"], found["max_date"] = _date(match[1]), _date(match[2])
        else:
            raise Unreadable(f"「{part}」看不懂：{RANGE_DATE_HELP}")
    if found.get("min_date", "") > found.get("max_date", "9999"):
        raise Unreadable(f"开始日期 {found['min_date']} 晚于结束日期 {found['max_date']}")
    return found


def read_choices(raw: Any) -> list[str]:
    """Choices one a line, or, when the cell has one line, separated by 、 or ，."""
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    parts = text.split("\n") if "\n" in text else CHOICE_SEPARATORS.split(text)
    choices = [clean_text(p) for p in parts if clean_text(p)]
    seen: set[str] = set()
    for choice in choices:
        if choice in seen:
            raise Unreadable(f"选项「{choice}」重复")
        seen.add(choice)
    return choices


# -- 截止日期 --------------------------------------------------------------------------------

_EVERY = re.compile(r"^(每月|每季度|每季|每半年)(?:结束)?后(\d{1,3})[日天]内?(?:报送)?$")
_AFTER = re.compile(r"^(.*?)(?:结束)?后(\d{1,3})[日天]内?(?:报送)?$")
_DATE_LIST = re.compile(r"[、，,；;\n]+")
DEADLINE_HELP = (
    "截止日期写成「2022-06-15、2022-11-25」「每季度结束后 5 日内」或「活动日期后 7 日内」，"
    "随时报送则留空"
)


def deadline_text(deadline: Deadline, labels: dict[str, str]) -> str:
    if deadline.kind == "dates":
        return "、".join(d.isoformat() for d in deadline.dates)
    if deadline.kind == "recurring":
        return f"{EVERY_WORDS[deadline.every]}结束后 {deadline.days_after} 日内"
    if deadline.kind == "relative":
        return f"{labels.get(deadline.by, deadline.by)}后 {deadline.days} 日内"
    return ""


def read_deadline(raw: Any) -> dict:
    """The plan file's `deadline:` keys the cell gives, without `by` (the caller adds it):
    {"dates": […]}, {"every": …, "days_after": n} or {"after": <words before 后>, "days": n}."""
    if isinstance(raw, (dt.date, dt.datetime)):
        return {"dates": [_shown(raw)]}
    text = clean_text(raw)
    if text in ("", "随时", "随时报送"):
        return {}
    squeezed = text.translate(FULL_WIDTH).replace(" ", "")
    if match := _EVERY.match(squeezed):
        return {"every": EVERY_BY_WORD[match[1]], "days_after": int(match[2])}
    if match := _AFTER.match(squeezed):
        return {"after": match[1], "days": int(match[2])}
    dates = []
    for part in _DATE_LIST.split(text):
        if not part.strip():
            continue
        try:
            dates.append(read_date(part.strip()).isoformat())
        except FieldInvalid:
            raise Unreadable(f"「{text}」看不懂：{DEADLINE_HELP}") from None
    return {"dates": dates}


# -- checks: 条件：提示 ------------------------------------------------------------------------

_SEPARATOR = re.compile(r"[：:]")
_LEADING_OPERATOR = re.compile(r"^(?:>=|<=|==|!=|>|<|≥|≤|not\s+in\s|in\s)")
CHECK_HELP = "每行写成「条件：提示」，如 children >= 20：托管规模不足20人"
# A formula is parsed recursively: a thousand terms would exhaust the stack. The plan's longest
# is about a hundred characters.
MAX_FORMULA = 300
FORMULA_TOO_LONG = f"公式不能超过 {MAX_FORMULA} 个字符，请拆成几条或简化"


def check_line(source: str, message: str) -> str:
    return f"{source}：{message}"


def placeable(source: str, message: str) -> bool:
    """Whether a check fits one line of a field's 规则 or 标准 cell and reads back the same."""
    if "\n" in source or "\n" in message or "\r" in source or "\r" in message:
        return False
    return read_check_line(check_line(source, message), "") == (source, message)


def read_check_line(line: str, code: str) -> tuple[str, str]:
    """(formula, message) of a line of a field's 规则 or 标准 cell. The condition may leave
    out the field it is about: 「>= 20：托管规模不足20人」 on 托管人数 is `children >= 20`."""
    for match in _SEPARATOR.finditer(line):
        source, message = line[: match.start()].strip(), line[match.end() :].strip()
        if not source:
            break
        if len(source) > MAX_FORMULA:
            raise Unreadable(FORMULA_TOO_LONG)
        if code and _LEADING_OPERATOR.match(source):
            source = f"{code} {source.replace('≥', '>=', 1).replace('≤', '<=', 1)}"
        try:
            Formula(source)
        except FormulaError:
            continue
        if not message:
            raise Unreadable(f"「{line}」缺少提示：{CHECK_HELP}")
        return source, message
    raise Unreadable(f"「{line}」看不懂：{CHECK_HELP}")
