"""Reading a form's fields and formulas from the plan file (part of `formfile.FormReader`)."""

from __future__ import annotations

import re
from typing import Any

from personal.masks import KINDS as PERSONAL_KINDS
from records.expressions import Formula, FormulaError
from records.fields import TYPES, FieldDef

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELD_KEYS = {
    "code",
    "label",
    "type",
    "required",
    "help",
    "min",
    "max",
    "min_date",
    "max_date",
    "max_length",
    "pattern",
    "pattern_message",
    "choices",
    "places",
    "compute",
    "unit",
    "forward_only",
    "personal",
}
PERSONAL_IN_FORMULA = "个人信息字段（{names}）不能用于公式"


class FieldReading:
    """Part of `records.formfile.FormReader`: a form's fields, and the formulas over them."""

    def _formula(self, source: Any, loc: str, names: set[str]) -> Formula | None:
        text = self._text(source, loc, required=True)
        if not text:
            return None
        try:
            return Formula(text, known_names=names)
        except FormulaError as exc:
            self.fail(loc, str(exc))
            return None

    def fields(self, value: Any, loc: str) -> list[FieldDef]:
        if not isinstance(value, list) or not value:
            self.fail(loc, "应列出至少一个字段")
            return []
        result: list[FieldDef] = []
        for i, item in enumerate(value):
            at = f"{loc}[{i}]"
            d = self._mapping_or_none(item, at, FIELD_KEYS, {"code", "label", "type"})
            if d is None:
                continue
            code = self._text(d.get("code"), f"{at}.code", required=True)
            if code and not CODE.match(code):
                self.fail(f"{at}.code", "字段代码应为小写英文字母开头的字母、数字、下划线")
            if any(f.code == code for f in result):
                self.fail(f"{at}.code", f"字段代码「{code}」重复")
            kind = d.get("type")
            if kind not in TYPES:
                self.fail(f"{at}.type", f"「{kind}」不是字段类型（可用：{', '.join(TYPES)}）")
                kind = "text"
            choices = d.get("choices") or []
            if kind in ("choice", "multi_choice") and (
                not isinstance(choices, list) or not choices
            ):
                self.fail(f"{at}.choices", "单选、多选字段须列出选项")
                choices = []
            pattern = self._text(d.get("pattern"), f"{at}.pattern")
            if pattern:
                try:
                    re.compile(pattern)
                except re.error:
                    self.fail(f"{at}.pattern", "不是有效的正则表达式")
                    pattern = ""
            f = FieldDef(
                code=code,
                label=self._text(d.get("label"), f"{at}.label", required=True),
                type=kind,
                required=self._yes_no(d.get("required"), f"{at}.required"),
                help=self._text(d.get("help"), f"{at}.help"),
                minimum=self._number(d.get("min"), f"{at}.min"),
                maximum=self._number(d.get("max"), f"{at}.max"),
                min_date=self._date(d.get("min_date"), f"{at}.min_date"),
                max_date=self._date(d.get("max_date"), f"{at}.max_date"),
                max_length=int(d.get("max_length", 200)),
                pattern=pattern,
                pattern_message=self._text(d.get("pattern_message"), f"{at}.pattern_message"),
                choices=[str(c) for c in choices],
                places=int(d.get("places", 2)),
                compute=d.get("compute"),
                unit_of_measure=self._text(d.get("unit"), f"{at}.unit"),
                forward_only=self._yes_no(d.get("forward_only"), f"{at}.forward_only"),
                personal=self._personal(d.get("personal"), f"{at}.personal", kind),
            )
            if f.forward_only and kind != "choice":
                self.fail(f"{at}.forward_only", "只有单选字段可以设为只能前移")
            if f.computed and f.type not in ("integer", "decimal", "money", "yes_no"):
                self.fail(f"{at}.compute", "只有数字、金额、是/否字段可以由公式计算")
            result.append(f)
        return result

    def _personal(self, value: Any, loc: str, kind: str) -> str:
        if value is None or value is False:
            return ""
        if value not in PERSONAL_KINDS:
            self.fail(loc, f"应为 {'、'.join(PERSONAL_KINDS)} 之一")
            return ""
        if kind != "text":
            self.fail(loc, "只有文字字段可以是个人信息")
            return ""
        return value

    def _no_personal(self, formula: Formula | None, loc: str, personal: set[str]) -> None:
        """Formulas never read personal values: figures and checks run over every row, and
        would open every sealed value to do so."""
        used = sorted(formula.names & personal) if formula is not None else []
        if used:
            self.fail(loc, PERSONAL_IN_FORMULA.format(names="、".join(used)))
