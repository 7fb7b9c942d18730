"""Reading a programme's `unit_rules:` in the plan file (docs/plan-file.md, *Rules per unit*).

A rule says what each unit in its scope must have done, judged per unit as of a date by
`records.selectors.rules`: a count (or range) over an indicator or a form's rows, a count per
entity of another form (each team ≥ 4 activities), a count in each of given periods, a number of
batches (distinct values of a field), or several counts that must all hold (one of kind A and
one of kind B). Registered in records/apps.py as the plan file's `unit_rules` section; it is
read after `forms`, so a rule may name any programme's form and its fields.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from common.specfile import SpecReader
from plans.planfile.data import SCOPE_HELP, SCOPE_WORDS, UNIT_KINDS
from records.fieldspec import FieldReading

DEPARTMENT = "部门:"  # a scope entry naming a department of the federation
RULE_KEYS = {
    "code",
    "text",
    "scope",
    "indicator",
    "form",
    "where",
    "distinct",
    "each",
    "match",
    "in_each",
    "all_of",
    "min",
    "max",
    "exactly",
    "by",
    "measure",
    "source_text",
}
PART_KEYS = {"indicator", "form", "where", "min", "label"}
QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


@dataclass
class UnitRuleSpec:
    code: str
    order: int
    text: str
    source_text: str
    spec: dict[str, Any] = field(default_factory=dict)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> tuple[dt.date, dt.date, str] | None:
    """`2022-Q2` → (1 April, 30 June, 二季度); `2022-04` → (1 April, 30 April, 4月)."""
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, q = int(m[1]), int(m[2])
        return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), QUARTERS[q]
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return dt.date(year, month, 1), month_end(year, month), f"{month}月"
    return None


class UnitRuleReader(FieldReading, SpecReader):
    """Reads each programme's `unit_rules:` list into the plan file's list of problems."""

    text_required = False

    def __init__(self, problems: list[str], indicator_codes: set[str]):
        super().__init__(problems)
        self.indicator_codes = indicator_codes
        self.codes: set[str] = set()
        self.forms: dict[str, Any] = {}  # form code → FormSpec, from every programme
        self.plan_reader: Any = None

    def bind(self, *, programmes: list[Any], reader: Any) -> None:
        """What the plan file's reader knows once the other sections are read: every
        programme's forms, the unit directory and the departments (plans.planfile.spec)."""
        self.forms = {f.code: f for p in programmes for f in p.forms}
        self.plan_reader = reader

    def read(self, value: Any, loc: str) -> list[UnitRuleSpec]:
        result = []
        for i, item in enumerate(self._list(value, loc)):
            rule = self.rule(item, f"{loc}[{i}]", i)
            if rule is not None:
                result.append(rule)
        return result

    # -- pieces ------------------------------------------------------------------------------

    def _count(self, value: Any, loc: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(loc, "应为非负整数")
            return None
        return value

    def _by(self, value: Any, loc: str) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(m[2]) <= 12:
            return month_end(int(m[1]), int(m[2])).isoformat()
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            self.fail(loc, f"「{value}」不是日期（写成 2022-09 或 2022-09-30）")
            return ""

    def _scope(self, value: Any, loc: str) -> list[str]:
        scope: list[str] = []
        reader = self.plan_reader
        departments = getattr(reader, "_department_canonical", {})
        for i, entry in enumerate(self._list(value, loc)):
            text = self._text(entry, f"{loc}[{i}]", required=True)
            if not text:
                continue
            if text in UNIT_KINDS:
                scope.append(text)
            elif text in SCOPE_WORDS:
                scope.extend(k for k in SCOPE_WORDS[text] if k not in scope)
            elif text in departments:
                scope.append(DEPARTMENT + departments[text])
            elif reader is not None and (found := reader._directory.resolve(text)).ok:
                scope.append(found.unit)
            else:
                self.fail(
                    f"{loc}[{i}]",
                    f"「{text}」不是本方案的单位或部门；范围可写单位名称、departments 中的部门，"
                    f"或单位类型：{SCOPE_HELP}，"
                    f"或 {'、'.join(w for w in SCOPE_WORDS if '（' in w or w == '县市区')}",
                )
        return scope

    def _form(self, value: Any, loc: str):
        code = self._text(value, loc, required=True)
        form = self.forms.get(code)
        if code and form is None:
            self.fail(loc, f"没有代码为「{code}」的统计表")
        return code, form

    def _field_of(self, form, value: Any, loc: str) -> str:
        name = self._text(value, loc, required=True)
        if form is not None and name and name not in {f.code for f in form.schema.fields}:
            self.fail(loc, f"统计表「{form.code}」没有字段「{name}」")
        return name

    def _where(self, form, value: Any, loc: str) -> str:
        if not value:
            return ""
        if form is not None:
            fields = form.schema.fields
            formula = self._formula(value, loc, {f.code for f in fields})
            self._no_personal(formula, loc, {f.code for f in fields if f.personal})
        return str(value)

    def _source(self, d: dict, loc: str) -> dict[str, str]:
        """`indicator: X`, or `form: F` with an optional `where:`."""
        if ("indicator" in d) == ("form" in d):
            self.fail(loc, "应写 indicator: <指标代码> 或 form: <统计表代码>（二选一）")
            return {}
        if "indicator" in d:
            code = self._text(d["indicator"], f"{loc}.indicator", required=True)
            if code and code not in self.indicator_codes:
                self.fail(f"{loc}.indicator", f"没有指标「{code}」")
            if d.get("where"):
                self.fail(f"{loc}.where", "where 只用于统计表（form）")
            return {"indicator": code}
        code, form = self._form(d["form"], f"{loc}.form")
        return {"form": code, "where": self._where(form, d.get("where"), f"{loc}.where")}

    # -- a rule ------------------------------------------------------------------------------

    def rule(self, value: Any, loc: str, order: int) -> UnitRuleSpec | None:
        d = self._mapping_or_none(value, loc, RULE_KEYS, {"code", "text"})
        if d is None:
            return None
        code = self._text(d.get("code"), f"{loc}.code", required=True)
        if code in self.codes:
            self.fail(f"{loc}.code", f"规则代码「{code}」重复")
        self.codes.add(code)
        spec: dict[str, Any] = {
            "scope": self._scope(d.get("scope"), f"{loc}.scope"),
            "by": self._by(d.get("by"), f"{loc}.by"),
            "measure": self._text(d.get("measure"), f"{loc}.measure") or "",
        }
        low = self._count(d.get("min"), f"{loc}.min")
        high = self._count(d.get("max"), f"{loc}.max")
        exactly = self._count(d.get("exactly"), f"{loc}.exactly")
        if exactly is not None:
            if low is not None or high is not None:
                self.fail(f"{loc}.exactly", "exactly 不能与 min、max 同时写")
            low = high = exactly
        if low is not None and high is not None and low > high:
            self.fail(f"{loc}.max", f"max（{high}）小于 min（{low}）")
        spec["min"], spec["max"] = low, high
        if "all_of" in d:
            self._all_of(d, spec, loc)
        else:
            if low is None and high is None:
                self.fail(loc, "应写 min、max 或 exactly")
            spec["source"] = self._source(d, loc)
            self._shape(d, spec, loc)
        return UnitRuleSpec(
            code=code,
            order=order,
            text=self._text(d.get("text"), f"{loc}.text", required=True),
            source_text=self._text(d.get("source_text"), f"{loc}.source_text"),
            spec=spec,
        )

    def _all_of(self, d: dict, spec: dict, loc: str) -> None:
        for key in sorted({"indicator", "form", "where", "each", "in_each", "distinct", "match"}):
            if key in d:
                self.fail(f"{loc}.{key}", "写了 all_of 的规则，条件写在 all_of 的每一项中")
        if spec["min"] is not None or spec["max"] is not None:
            self.fail(loc, "写了 all_of 的规则，min 写在 all_of 的每一项中")
        parts = []
        items = self._list(d.get("all_of"), f"{loc}.all_of", required=True)
        if len(items) < 2:
            self.fail(f"{loc}.all_of", "应列出至少两项")
        for i, item in enumerate(items):
            at = f"{loc}.all_of[{i}]"
            p = self._mapping_or_none(item, at, PART_KEYS, {"min", "label"})
            if p is None:
                continue
            parts.append(
                {
                    "source": self._source(p, at),
                    "min": self._count(p.get("min"), f"{at}.min") or 0,
                    "label": self._text(p.get("label"), f"{at}.label", required=True),
                }
            )
        spec["kind"], spec["parts"] = "all_of", parts

    def _shape(self, d: dict, spec: dict, loc: str) -> None:
        source = spec["source"]
        form = self.forms.get(source.get("form", ""))
        shapes = [k for k in ("each", "in_each", "distinct") if k in d]
        if len(shapes) > 1:
            self.fail(loc, f"{'、'.join(shapes)} 只能写一个")
        if ("each" in d or "distinct" in d or "match" in d) and "form" not in source:
            self.fail(loc, "each、match、distinct 只用于统计表（form）")
            spec["kind"] = "count"
            return
        if "each" in d:
            e = self._mapping(d["each"], f"{loc}.each", {"form", "field"}, {"form", "field"})
            code, entities = self._form(e.get("form"), f"{loc}.each.form")
            spec["each"] = {
                "form": code,
                "field": self._field_of(entities, e.get("field"), f"{loc}.each.field"),
            }
            if "match" not in d:
                self.fail(loc, "写了 each 的规则须写 match: <本表中对应的字段>")
            spec["match"] = self._field_of(form, d.get("match"), f"{loc}.match")
            spec["kind"] = "each"
        elif "match" in d:
            self.fail(f"{loc}.match", "match 只与 each 一起使用")
        if "in_each" in d:
            periods = []
            for i, entry in enumerate(self._list(d["in_each"], f"{loc}.in_each", required=True)):
                period = parse_period(str(entry).strip())
                if period is None:
                    self.fail(
                        f"{loc}.in_each[{i}]",
                        f"「{entry}」不是季度或月份（写成 2022-Q2 或 2022-04）",
                    )
                    continue
                start, end, label = period
                periods.append([start.isoformat(), end.isoformat(), label])
            spec["periods"], spec["kind"] = periods, "in_each"
        if "distinct" in d:
            spec["distinct"] = self._field_of(form, d["distinct"], f"{loc}.distinct")
            spec["kind"] = "distinct"
        spec.setdefault("kind", "count")
