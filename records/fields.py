"""Field types of a form: reading what a person typed (web, Excel, WPS, csv) into a value.

Each type turns raw input into a typed value (`parse`), stores it as JSON (`dump` / `load`) and
shows it as text (`show`). Raw input may be text from a web form or a csv, or whatever a
spreadsheet cell holds (numbers, datetimes, booleans); both are accepted. A value that cannot
be read raises `FieldInvalid` with a Chinese message naming what was expected.

A personal field (`personal: phone`) is stored sealed (`personal.crypto`), loaded as `Sealed`
without opening it, and shown masked (`personal.masks`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from common import numbers
from common.numbers import FULL_WIDTH as _FULL_WIDTH
from common.numbers import clean_text
from personal import crypto
from personal.masks import is_masked, mask

TYPES = (
    "text",
    "integer",
    "decimal",
    "money",
    "date",
    "date_range",
    "choice",
    "multi_choice",
    "unit",
    "yes_no",
    "file",
    "location",
)
TYPE_LABELS = {
    "text": "文字",
    "integer": "整数",
    "decimal": "数字",
    "money": "金额（元）",
    "date": "日期",
    "date_range": "起止日期",
    "choice": "单选",
    "multi_choice": "多选",
    "unit": "单位",
    "yes_no": "是/否",
    "file": "附件",
    "location": "位置（纬度,经度）",
}
YES = {"是", "有", "√", "✓", "y", "yes", "true", "1", "已", "已签订", "已购买", "具备"}
NO = {"否", "无", "×", "✗", "n", "no", "false", "0", "未", "没有", "不具备"}
# A multiple-choice cell lists its items separated by any of these.
SEPARATORS = re.compile(r"[、，,;；/\n]+")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|--)\s*")


class FieldInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Sealed:
    """A personal value as stored: its token, opened only when it must be shown or compared."""

    token: str

    def open(self) -> str:
        return crypto.open(self.token)


@dataclass(frozen=True)
class Kept:
    """A mask typed or read back (an exported sheet imported again): "keep the stored value".
    `records.services.rows.prepare_row` swaps it for the row's stored value, or refuses it."""

    text: str


UNREADABLE = "（无法解密）"


__all__ = ["TYPES", "TYPE_LABELS", "FieldDef", "FieldInvalid", "clean_text", "read_date"]


@dataclass
class FieldDef:
    """One column of a form, as declared in the plan file."""

    code: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    min_date: dt.date | None = None
    max_date: dt.date | None = None
    max_length: int = 200
    pattern: str = ""
    pattern_message: str = ""
    choices: list[str] = field(default_factory=list)
    places: int = 2
    compute: Any = None  # a Formula, for computed fields
    unit_of_measure: str = ""
    # A choice that may only move forward (申报 → 推进 → 评估 → 总结), never back.
    forward_only: bool = False
    # Personal information (personal.masks.KINDS: phone, id_number, text): stored sealed,
    # shown masked, never used in a formula.
    personal: str = ""

    @property
    def computed(self) -> bool:
        return self.compute is not None

    @property
    def importable(self) -> bool:
        """Columns a spreadsheet carries: not files, not computed values."""
        return not self.computed and self.type != "file"

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def header(self) -> str:
        suffix = f"（{self.unit_of_measure}）" if self.unit_of_measure else ""
        return f"{self.label}{suffix}"

    # -- reading -------------------------------------------------------------------------
    def parse(self, raw: Any, *, resolve_unit: Callable[[str], int] | None = None) -> Any:
        """The typed value of `raw`, or None when it is blank; raises FieldInvalid.

        A personal field also takes its stored value back (`Sealed`: kept as it is) and a mask
        (`Kept`: the stored value is meant)."""
        if self.personal:
            if isinstance(raw, Sealed):
                return raw
            if is_masked(clean_text(raw), self.personal):
                return Kept(clean_text(raw))
        if self.type == "date_range" and isinstance(raw, (tuple, list)):
            if all(clean_text(part) == "" for part in raw):
                return None
        elif isinstance(raw, (list, tuple)) and self.type == "multi_choice":
            if not raw:
                return None
        elif clean_text(raw) == "":
            return None
        reader = getattr(self, f"_parse_{self.type}")
        if self.type == "unit":
            return reader(raw, resolve_unit)
        return reader(raw)

    def _parse_text(self, raw: Any) -> str:
        text = clean_text(raw)
        if len(text) > self.max_length:
            raise FieldInvalid(f"不能超过 {self.max_length} 个字（现有 {len(text)} 个）")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise FieldInvalid(self.pattern_message or "格式不正确")
        return text

    def _decimal(self, raw: Any) -> Decimal:
        """The number typed (common.numbers: full-width digits, thousands separators, a
        trailing 元), or FieldInvalid saying why not."""
        if isinstance(raw, bool):
            raise FieldInvalid("应为数字")
        try:
            value = numbers.read_number(raw, suffix="元")
        except numbers.NumberInvalid as exc:
            if exc.reason == numbers.TOO_LARGE:
                raise FieldInvalid("数值过大") from None
            value = None
        if value is None:  # "元" alone is no amount
            raise FieldInvalid(f"「{clean_text(raw)}」不是数字")
        return value

    def _limits(self, value: Decimal) -> None:
        if self.minimum is not None and value < self.minimum:
            raise FieldInvalid(f"不能小于 {_plain(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            raise FieldInvalid(f"不能大于 {_plain(self.maximum)}")

    def _parse_integer(self, raw: Any) -> int:
        value = self._decimal(raw)
        if value != value.to_integral_value():
            raise FieldInvalid(f"应为整数（现为 {_plain(value)}）")
        self._limits(value)
        return int(value)

    def _parse_decimal(self, raw: Any) -> Decimal:
        value = self._decimal(raw)
        exponent = Decimal(1).scaleb(-self.places)
        if value != value.quantize(exponent, rounding=ROUND_HALF_UP):
            raise FieldInvalid(f"最多 {self.places} 位小数")
        self._limits(value)
        return value.quantize(exponent)

    def _parse_money(self, raw: Any) -> Decimal:
        value = self._decimal(raw)
        if value != value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
            raise FieldInvalid("金额最多到分（2 位小数）")
        if value < 0:
            raise FieldInvalid("金额不能为负数")
        self._limits(value)
        return value.quantize(Decimal("0.01"))

    def _parse_date(self, raw: Any) -> dt.date:
        day = read_date(raw)
        if self.min_date and day < self.min_date:
            raise FieldInvalid(f"不能早于 {self.min_date:%Y年%-m月%-d日}")
        if self.max_date and day > self.max_date:
            raise FieldInvalid(f"不能晚于 {self.max_date:%Y年%-m月%-d日}")
        return day

    def _parse_date_range(self, raw: Any) -> dict:
        if isinstance(raw, (tuple, list)):
            parts = list(raw)
        elif isinstance(raw, dict):
            parts = [raw.get("start"), raw.get("end")]
        else:
            parts = _RANGE_SPLIT.split(clean_text(raw))
        if len(parts) != 2 or any(clean_text(p) == "" for p in parts):
            raise FieldInvalid("应填写开始和结束两个日期（如 2022-07-11 至 2022-08-12）")
        start, end = (self._parse_date(p) for p in parts)
        if end < start:
            raise FieldInvalid("结束日期不能早于开始日期")
        return {"start": start, "end": end}

    def _parse_choice(self, raw: Any) -> str:
        text = _squeeze(raw)
        for choice in self.choices:
            if text == _squeeze(choice):
                return choice
        raise FieldInvalid(f"「{clean_text(raw)}」不是可选项（可选：{'、'.join(self.choices)}）")

    def _parse_multi_choice(self, raw: Any) -> list[str] | None:
        if isinstance(raw, (list, tuple)):
            chosen = {self._parse_choice(item) for item in raw if clean_text(item)}
        else:
            # Choices may themselves hold 、 or ， (“④电源插座、空调…”), so known choices are
            # taken out of the text first, longest first; what is left must be separators.
            rest = _squeeze(raw)
            chosen = set()
            for choice in sorted(self.choices, key=len, reverse=True):
                key = _squeeze(choice)
                if key in rest:
                    chosen.add(choice)
                    rest = rest.replace(key, "、")
            leftovers = [p for p in SEPARATORS.split(rest) if p]
            if leftovers:
                raise FieldInvalid(
                    f"「{leftovers[0]}」不是可选项（可选：{'、'.join(self.choices)}）"
                )
        return [c for c in self.choices if c in chosen] or None

    def _parse_unit(self, raw: Any, resolve_unit) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if resolve_unit is None:
            raise FieldInvalid("无法识别单位")
        return resolve_unit(clean_text(raw))

    def _parse_yes_no(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = clean_text(raw).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise FieldInvalid(f"「{clean_text(raw)}」应填“是”或“否”")

    def _parse_file(self, raw: Any) -> int:
        return int(raw)

    def _parse_location(self, raw: Any) -> dict:
        if isinstance(raw, dict):
            parts = [raw.get("lat"), raw.get("lng")]
        else:
            parts = [p for p in re.split(r"[,，\s]+", clean_text(raw).translate(_FULL_WIDTH)) if p]
        if len(parts) != 2:
            raise FieldInvalid("应填写“纬度,经度”，如 33.7385,113.3081")
        try:
            lat, lng = (numbers.read_number(p) for p in parts)
        except numbers.NumberInvalid:
            lat = None
        if lat is None or lng is None:
            raise FieldInvalid("纬度、经度应为数字，如 33.7385,113.3081")
        if not (-90 <= lat <= 90):
            raise FieldInvalid("纬度应在 -90 到 90 之间（先写纬度，后写经度）")
        if not (-180 <= lng <= 180):
            raise FieldInvalid("经度应在 -180 到 180 之间")
        return {"lat": lat, "lng": lng}

    # -- storing and showing ---------------------------------------------------------------
    def dump(self, value: Any) -> Any:
        """The typed value as JSON; a personal value as its token, never in plain."""
        if value is None:
            return None
        if self.personal:
            if isinstance(value, Sealed):
                return value.token
            if isinstance(value, Kept):
                raise ValueError(f"{self.code}: a mask cannot be stored")
            return crypto.seal(str(value))
        if self.type in ("decimal", "money"):
            return str(value)
        if self.type == "date":
            return value.isoformat()
        if self.type == "date_range":
            return {"start": value["start"].isoformat(), "end": value["end"].isoformat()}
        if self.type == "location":
            return {"lat": str(value["lat"]), "lng": str(value["lng"])}
        return value

    def load(self, stored: Any) -> Any:
        """The JSON value back as a typed value; a personal token as `Sealed`, unopened (a
        mask from the audit log stays text)."""
        if stored is None:
            return None
        if self.personal:
            return Sealed(stored) if crypto.is_token(stored) else str(stored)
        if self.type in ("decimal", "money"):
            return Decimal(stored)
        if self.type == "date":
            return dt.date.fromisoformat(stored)
        if self.type == "date_range":
            return {k: dt.date.fromisoformat(stored[k]) for k in ("start", "end")}
        if self.type == "location":
            return {k: Decimal(stored[k]) for k in ("lat", "lng")}
        return stored

    def reveal(self, value: Any) -> str:
        """A personal value in full, opened for its mask, its index or the audited 查看完整信息;
        never put on a page otherwise."""
        if isinstance(value, Sealed):
            return value.open()
        return "" if value is None else str(value)

    def show(self, value: Any, *, unit_names: dict[int, str] | None = None) -> str:
        """The value as text; a personal value masked."""
        if value is None or value == []:
            return ""
        if self.personal:
            if isinstance(value, Kept):
                return value.text
            try:
                return mask(self.reveal(value), self.personal)
            except crypto.Unreadable:
                return UNREADABLE
        if self.type == "date":
            return value.isoformat()
        if self.type == "date_range":
            return f"{value['start'].isoformat()} 至 {value['end'].isoformat()}"
        if self.type == "multi_choice":
            return "、".join(value)
        if self.type == "yes_no":
            return "是" if value else "否"
        if self.type == "unit":
            return (unit_names or {}).get(value, str(value))
        if self.type == "location":
            return f"{value['lat']},{value['lng']}"
        if self.type in ("decimal", "money"):
            return _plain(value) if self.type == "decimal" else f"{value:.2f}"
        return str(value)


def _squeeze(raw: Any) -> str:
    """Text compared loosely: half-width digits and brackets, no spaces."""
    return clean_text(raw).translate(_FULL_WIDTH).replace(" ", "")


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_date(raw: Any) -> dt.date:
    """A date from a cell or text: a datetime, an Excel serial number, 2022-07-11, 2022/7/11,
    2022.7.11 or 2022年7月11日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise FieldInvalid(f"「{raw}」不是日期")
    text = clean_text(raw).translate(_FULL_WIDTH)
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # "2022-07-11 00:00:00" from csv
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise FieldInvalid(f"「{text}」不是有效日期") from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return read_date(float(text))
    raise FieldInvalid(f"「{clean_text(raw)}」不是日期（请写成 2022-07-11）")
