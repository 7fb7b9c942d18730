"""Reading a YAML definition file (the plan file and its sections) into plain data.

A reader walks the parsed YAML and, instead of stopping at the first problem, records each
one with its location (`programmes[2].indicators[1].target: 不能为负数：-3`) and carries on
with a safe default, so a broken file is reported in one go. Readers of different sections
share one list of problems (`SpecReader(problems)`), so their findings come out together.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

YES_NO = {"是": True, "否": False, "true": True, "false": False}


class SpecReader:
    """The checks every section reader uses; each records a problem and returns a default."""

    # Whether `_text` refuses an empty value unless told otherwise: most of a plan is
    # required, most of a form definition is not.
    text_required = True

    def __init__(self, problems: list[str] | None = None) -> None:
        self.problems: list[str] = [] if problems is None else problems

    def fail(self, loc: str, message: str) -> None:
        self.problems.append(f"{loc}: {message}")

    def _mapping_or_none(
        self, value: Any, loc: str, allowed: set[str], required: set[str]
    ) -> dict | None:
        if not isinstance(value, dict):
            self.fail(loc, "应为键值映射")
            return None
        for key in sorted(set(map(str, value)) - allowed):
            self.fail(loc, f"未知的键「{key}」（可用：{', '.join(sorted(allowed))}）")
        for key in sorted(required - set(value)):
            self.fail(loc, f"缺少「{key}」")
        return value

    def _mapping(self, value: Any, loc: str, allowed: set[str], required: set[str]) -> dict:
        found = self._mapping_or_none(value, loc, allowed, required)
        return {} if found is None else found

    def _list(self, value: Any, loc: str, *, required: bool = False) -> list:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(loc, "应为列表")
            return []
        return value

    def _text(self, value: Any, loc: str, *, required: bool | None = None) -> str:
        required = self.text_required if required is None else required
        if value is None:
            if required:
                self.fail(loc, "不能为空")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(loc, "应为文字")
            return ""
        text = str(value).strip()
        if required and not text:
            self.fail(loc, "不能为空")
        return text

    def _choice(self, value: Any, loc: str, choices: tuple[str, ...], default: str) -> str:
        if value is None:
            return default
        if value not in choices:
            self.fail(loc, f"「{value}」不是可选值（{', '.join(choices)}）")
            return default
        return value

    def _number(self, value: Any, loc: str, *, negative: bool = False) -> Decimal | None:
        """A number as YAML holds it (an int, a float, or text such as "12.5")."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            self.fail(loc, "应为数字")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(loc, f"「{value}」不是数字")
            return None
        if number < 0 and not negative:
            self.fail(loc, f"不能为负数：{value}")
            return None
        return number

    def _yes_no(self, value: Any, loc: str, *, default: bool = False) -> bool:
        """true/false as YAML writes them, or 是/否 as people do. Anything else is a problem:
        `required: 否` read as text would otherwise count as yes."""
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip() in YES_NO:
            return YES_NO[value.strip()]
        self.fail(loc, f"「{value}」应为 true 或 false（也可写 是 或 否）")
        return default
