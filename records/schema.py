"""A form definition: its fields, rules, standards, deadline, and checking one row against it.

The plan file declares forms beside their programme (docs/plan-file.md, *Forms*); they are
stored as JSON on `FormDefinition.spec` and turned back into a `FormSchema` to check rows.

Two kinds of checks, as the notice uses them:
- a **rule** (`rules`) says what a row must be to be accepted at all (end ≥ start, a platform
  for online activities). A row that breaks one is refused with the reason.
- a **standard** (`standards`) says what a site or activity must meet to count as up to
  standard (母婴室 ≥ 10㎡, 托管 ≥ 20 children). A row that misses one is kept and marked
  non-compliant with the reason, so the department sees it and the unit can fix it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from personal import crypto
from personal.masks import KINDS as PERSONAL_KINDS
from records.expressions import Formula, FormulaError, Undecided
from records.fields import TYPES, FieldDef, FieldInvalid

DEADLINE_KINDS = ("none", "dates", "recurring", "relative")
RECURRENCES = {"monthly": 1, "quarterly": 3, "half_year": 6}
LATE_POLICIES = ("flag", "exclude")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass
class Check:
    formula: Formula
    message: str

    def to_json(self) -> dict:
        return {"check": self.formula.source, "message": self.message}


@dataclass
class Deadline:
    kind: str = "none"
    dates: list[dt.date] = field(default_factory=list)
    every: str = ""
    days_after: int = 0
    by: str = ""  # the field whose date decides which deadline applies
    days: int = 0

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "dates": [d.isoformat() for d in self.dates],
            "every": self.every,
            "days_after": self.days_after,
            "by": self.by,
            "days": self.days,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Deadline:
        return cls(
            kind=data.get("kind", "none"),
            dates=[dt.date.fromisoformat(d) for d in data.get("dates", [])],
            every=data.get("every", ""),
            days_after=data.get("days_after", 0),
            by=data.get("by", ""),
            days=data.get("days", 0),
        )

    def describe(self) -> str:
        if self.kind == "dates":
            return "、".join(f"{d.month}月{d.day}日" for d in self.dates) + "前报送"
        if self.kind == "recurring":
            period = {"monthly": "每月", "quarterly": "每季度", "half_year": "每半年"}[self.every]
            return f"{period}结束后 {self.days_after} 日内报送"
        if self.kind == "relative":
            return f"{self.by_label}后 {self.days} 日内报送"
        return "随时报送"

    by_label: str = ""

    def rule_date(self, reference: dt.date | None, entered_on: dt.date) -> dt.date | None:
        """The deadline a row falls under, before moving it off rest days.

        `reference` is the row's own date (`by`); rows without one fall under the first
        deadline still open on the day they are entered.
        """
        day = reference or entered_on
        if self.kind == "dates":
            upcoming = [d for d in self.dates if d >= day]
            return upcoming[0] if upcoming else (self.dates[-1] if self.dates else None)
        if self.kind == "recurring":
            months = RECURRENCES[self.every]
            last_month = ((day.month - 1) // months + 1) * months
            period_end = dt.date(day.year, last_month, 1)
            period_end = _month_end(period_end)
            return period_end + dt.timedelta(days=self.days_after)
        if self.kind == "relative" and reference is not None:
            return reference + dt.timedelta(days=self.days)
        return None


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass
class RowOutcome:
    """What checking one row found."""

    values: dict[str, Any]  # typed values by field code, computed ones included
    errors: list[tuple[str, str]]  # (field code or "", reason): the row cannot be saved
    issues: list[str]  # standards not met: saved, marked non-compliant

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def compliant(self) -> bool:
        return not self.issues


@dataclass
class FormSchema:
    fields: list[FieldDef]
    rules: list[Check] = field(default_factory=list)
    standards: list[Check] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    late_policy: str = "flag"
    per_unit_min: int | None = None
    per_unit_max: int | None = None
    date_field: str = ""  # the row's date for as-of figures (an activity's day)

    def __post_init__(self) -> None:
        self.by_code = {f.code: f for f in self.fields}
        if self.deadline.by in self.by_code:
            self.deadline.by_label = self.by_code[self.deadline.by].label

    @property
    def input_fields(self) -> list[FieldDef]:
        return [f for f in self.fields if f.importable]

    @property
    def file_fields(self) -> list[FieldDef]:
        return [f for f in self.fields if f.type == "file"]

    @property
    def computed_fields(self) -> list[FieldDef]:
        return [f for f in self.fields if f.computed]

    @property
    def personal_fields(self) -> list[FieldDef]:
        return [f for f in self.fields if f.personal]

    @property
    def key_codes(self) -> list[str]:
        """The fields that make a row the same row: the declared key, else every input."""
        return self.key or [f.code for f in self.input_fields]

    # -- checking a row --------------------------------------------------------------------
    def check_row(
        self,
        raw: Mapping[str, Any],
        *,
        resolve_unit: Callable[[str], int] | None = None,
        calendar=None,
        files: Mapping[str, int] | None = None,
    ) -> RowOutcome:
        """Read and check one row: `raw` maps field codes to what was typed or read."""
        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for f in self.input_fields:
            try:
                value = f.parse(raw.get(f.code), resolve_unit=resolve_unit)
            except FieldInvalid as exc:
                errors.append((f.code, str(exc)))
                values[f.code] = None
                continue
            if value is None and f.required:
                errors.append((f.code, "必填"))
            values[f.code] = value
        for f in self.file_fields:
            values[f.code] = (files or {}).get(f.code, 0)
        for f in self.computed_fields:
            try:
                result = f.compute.evaluate(values, calendar=calendar)
            except Undecided:
                result = None
            if isinstance(result, Decimal) and f.type == "integer":
                result = int(result)
            elif isinstance(result, Decimal):
                result = result.quantize(Decimal(1).scaleb(-f.places))
            values[f.code] = result
        failed_fields = {code for code, _ in errors}
        for rule in self.rules:
            if rule.formula.names & failed_fields:
                continue  # the field's own error says it already
            try:
                if not rule.formula.evaluate(values, calendar=calendar):
                    errors.append(("", rule.message))
            except Undecided:
                pass
        issues = []
        if not errors:
            for standard in self.standards:
                try:
                    met = standard.formula.evaluate(values, calendar=calendar)
                except Undecided as exc:
                    labels = "、".join(self.by_code[n].label for n in sorted(exc.names))
                    issues.append(f"{standard.message}（{labels}未填写，无法判断）")
                    continue
                if not met:
                    issues.append(standard.message)
        return RowOutcome(values=values, errors=errors, issues=issues)

    def dump_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Typed values as the JSON stored on a record: personal values sealed."""
        return {f.code: f.dump(values.get(f.code)) for f in self.fields if f.type != "file"}

    def masked_data(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """Stored JSON with each personal value masked: what an audit entry or an export
        keeps. Other values are left as stored."""
        data = dict(stored)
        for f in self.personal_fields:
            if data.get(f.code) is not None:
                data[f.code] = f.show(f.load(data[f.code]))
        return data

    def personal_index(self, stored: Mapping[str, Any]) -> dict[str, str]:
        """The HMAC index of each personal value stored: says whether a value changed where
        the masks look alike, without the value (audit entries)."""
        result = {}
        for f in self.personal_fields:
            value = f.load(stored.get(f.code))
            if value is not None:
                try:
                    result[f.code] = crypto.index(f.reveal(value))
                except crypto.Unreadable:
                    result[f.code] = ""
        return result

    def load_values(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        return {f.code: f.load(stored.get(f.code)) for f in self.fields if f.type != "file"}

    def row_key(self, unit_id: int, values: Mapping[str, Any]) -> str:
        """A stable key for a unit's row: its key fields, or every input field if none are
        declared, so uploading the same file twice finds the rows it saved the first time."""
        material = json.dumps(
            [unit_id, *[self._key_part(c, values.get(c)) for c in self.key_codes]],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(material.encode()).hexdigest()[:40]

    def _key_part(self, code: str, value: Any) -> Any:
        f = self.by_code[code]
        if f.type == "file":
            return None  # files are not part of the stored data
        if f.personal and value is not None:
            # The HMAC index, never the value: a sealed value differs every time it is sealed.
            return crypto.index(_normal_key(f.reveal(value)))
        return _normal_key(f.dump(value))

    def reference_date(self, values: Mapping[str, Any]) -> dt.date | None:
        return _as_date(values.get(self.date_field)) if self.date_field else None

    def deadline_reference(self, values: Mapping[str, Any]) -> dt.date | None:
        if not self.deadline.by:
            return None
        value = values.get(self.deadline.by)
        if self.deadline.kind == "relative" and isinstance(value, dict):
            return value.get("end")
        return _as_date(value)

    # -- JSON ------------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "fields": [_field_json(f) for f in self.fields],
            "rules": [r.to_json() for r in self.rules],
            "standards": [s.to_json() for s in self.standards],
            "key": self.key,
            "deadline": self.deadline.to_json(),
            "late_policy": self.late_policy,
            "per_unit_min": self.per_unit_min,
            "per_unit_max": self.per_unit_max,
            "date_field": self.date_field,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> FormSchema:
        fields = [_field_from_json(f) for f in data["fields"]]
        names = {f.code for f in fields}
        for f in fields:
            if isinstance(f.compute, str):
                f.compute = Formula(f.compute, known_names=names)
        return cls(
            fields=fields,
            rules=[
                Check(Formula(r["check"], known_names=names), r["message"]) for r in data["rules"]
            ],
            standards=[
                Check(Formula(s["check"], known_names=names), s["message"])
                for s in data["standards"]
            ],
            key=list(data.get("key", [])),
            deadline=Deadline.from_json(data.get("deadline", {})),
            late_policy=data.get("late_policy", "flag"),
            per_unit_min=data.get("per_unit_min"),
            per_unit_max=data.get("per_unit_max"),
            date_field=data.get("date_field", ""),
        )


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dict):
        return value.get("start")
    return value if isinstance(value, dt.date) else None


def _normal_key(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", value).lower()
    return value


_FIELD_ATTRS = (
    "help",
    "max_length",
    "pattern",
    "pattern_message",
    "choices",
    "places",
    "unit_of_measure",
    "forward_only",
)


def _field_json(f: FieldDef) -> dict:
    data = {"code": f.code, "label": f.label, "type": f.type, "required": f.required}
    for name in _FIELD_ATTRS:
        data[name] = getattr(f, name)
    data["minimum"] = None if f.minimum is None else str(f.minimum)
    data["maximum"] = None if f.maximum is None else str(f.maximum)
    data["min_date"] = f.min_date.isoformat() if f.min_date else None
    data["max_date"] = f.max_date.isoformat() if f.max_date else None
    data["compute"] = f.compute.source if f.compute is not None else None
    if f.personal:
        data["personal"] = f.personal
    return data


def _field_from_json(data: Mapping) -> FieldDef:
    return FieldDef(
        code=data["code"],
        label=data["label"],
        type=data["type"],
        required=data.get("required", False),
        minimum=None if data.get("minimum") is None else Decimal(data["minimum"]),
        maximum=None if data.get("maximum") is None else Decimal(data["maximum"]),
        min_date=dt.date.fromisoformat(data["min_date"]) if data.get("min_date") else None,
        max_date=dt.date.fromisoformat(data["max_date"]) if data.get("max_date") else None,
        compute=data.get("compute"),
        personal=data.get("personal", ""),
        **{name: data[name] for name in _FIELD_ATTRS if name in data},
    )


# -- reading the plan file's `forms:` ----------------------------------------------------------


@dataclass
class ComputeSpec:
    """An indicator whose figures are counted or summed from a form's approved rows."""

    indicator: str
    aggregate: str  # count | sum
    field: str
    where: str
    compliant_only: bool


@dataclass
class FormSpec:
    code: str
    order: int
    attachment: str
    title: str
    description: str
    source_text: str
    schema: FormSchema
    computes: list[ComputeSpec]


FORM_KEYS = {
    "code",
    "attachment",
    "title",
    "description",
    "source_text",
    "fields",
    "rules",
    "standards",
    "key",
    "deadline",
    "late_policy",
    "per_unit",
    "date_field",
    "computes",
}
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


class FormReader:
    """Reads one programme's `forms:` list, reporting problems through `fail(loc, message)`."""

    def __init__(self, fail: Callable[[str, str], None], indicator_codes: set[str]):
        self.fail = fail
        self.indicator_codes = indicator_codes

    def forms(self, value: Any, loc: str, seen_codes: set[str]) -> list[FormSpec]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(loc, "应为列表")
            return []
        result = []
        for i, item in enumerate(value):
            spec = self.form(item, f"{loc}[{i}]", i)
            if spec is None:
                continue
            if spec.code in seen_codes:
                self.fail(f"{loc}[{i}].code", f"表单代码「{spec.code}」重复")
            seen_codes.add(spec.code)
            result.append(spec)
        return result

    def _mapping(self, value: Any, loc: str, allowed: set[str], required: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.fail(loc, "应为键值映射")
            return None
        for key in sorted(set(map(str, value)) - allowed):
            self.fail(loc, f"未知的键「{key}」（可用：{', '.join(sorted(allowed))}）")
        for key in sorted(required - set(value)):
            self.fail(loc, f"缺少「{key}」")
        return value

    def _text(self, value: Any, loc: str, *, required: bool = False) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(loc, "不能为空")
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(loc, "应为文字")
            return ""
        return str(value).strip()

    def _number(self, value: Any, loc: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(loc, "应为数字")
            return None
        try:
            return Decimal(str(value))
        except ArithmeticError:
            self.fail(loc, f"「{value}」不是数字")
            return None

    def _date(self, value: Any, loc: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(loc, f"「{value}」不是日期（写成 2022-04-15）")
            return None

    def _formula(self, source: Any, loc: str, names: set[str]) -> Formula | None:
        text = self._text(source, loc, required=True)
        if not text:
            return None
        try:
            return Formula(text, known_names=names)
        except FormulaError as exc:
            self.fail(loc, str(exc))
            return None

    def form(self, value: Any, loc: str, order: int) -> FormSpec | None:
        d = self._mapping(value, loc, FORM_KEYS, {"code", "title", "fields"})
        if d is None:
            return None
        code = self._text(d.get("code"), f"{loc}.code", required=True)
        fields = self.fields(d.get("fields"), f"{loc}.fields")
        names = {f.code for f in fields}
        personal = {f.code for f in fields if f.personal}
        for f in fields:
            if isinstance(f.compute, str):
                at = f"{loc}.fields.{f.code}.compute"
                f.compute = self._formula(f.compute, at, names)
                self._no_personal(f.compute, at, personal)
        checks = {}
        for kind in ("rules", "standards"):
            checks[kind] = []
            items = d.get(kind) or []
            if not isinstance(items, list):
                self.fail(f"{loc}.{kind}", "应为列表")
                continue
            for j, item in enumerate(items):
                c = self._mapping(
                    item, f"{loc}.{kind}[{j}]", {"check", "message"}, {"check", "message"}
                )
                if c is None:
                    continue
                formula = self._formula(c.get("check"), f"{loc}.{kind}[{j}].check", names)
                self._no_personal(formula, f"{loc}.{kind}[{j}].check", personal)
                message = self._text(c.get("message"), f"{loc}.{kind}[{j}].message", required=True)
                if formula is not None:
                    checks[kind].append(Check(formula, message))
        key = d.get("key") or []
        if not isinstance(key, list) or any(k not in names for k in key):
            self.fail(f"{loc}.key", f"应为字段代码的列表（现有字段：{'、'.join(sorted(names))}）")
            key = []
        per_unit = d.get("per_unit") or {}
        per_min = per_max = None
        if per_unit:
            p = self._mapping(per_unit, f"{loc}.per_unit", {"min", "max"}, set()) or {}
            per_min = p.get("min")
            per_max = p.get("max")
        date_field = self._text(d.get("date_field"), f"{loc}.date_field")
        if date_field and date_field not in names:
            self.fail(f"{loc}.date_field", f"没有字段「{date_field}」")
        elif date_field and self._field(fields, date_field).type not in ("date", "date_range"):
            self.fail(f"{loc}.date_field", f"「{date_field}」不是日期字段")
        late_policy = d.get("late_policy", "flag")
        if late_policy not in LATE_POLICIES:
            self.fail(f"{loc}.late_policy", f"应为 {'、'.join(LATE_POLICIES)} 之一")
            late_policy = "flag"
        schema = FormSchema(
            fields=fields,
            rules=checks["rules"],
            standards=checks["standards"],
            key=key,
            deadline=self.deadline(d.get("deadline"), f"{loc}.deadline", fields),
            late_policy=late_policy,
            per_unit_min=per_min,
            per_unit_max=per_max,
            date_field=date_field,
        )
        return FormSpec(
            code=code,
            order=order,
            attachment=self._text(d.get("attachment"), f"{loc}.attachment"),
            title=self._text(d.get("title"), f"{loc}.title", required=True),
            description=self._text(d.get("description"), f"{loc}.description"),
            source_text=self._text(d.get("source_text"), f"{loc}.source_text"),
            schema=schema,
            computes=self.computes(d.get("computes"), f"{loc}.computes", fields),
        )

    @staticmethod
    def _field(fields: Iterable[FieldDef], code: str) -> FieldDef:
        return next(f for f in fields if f.code == code)

    def fields(self, value: Any, loc: str) -> list[FieldDef]:
        if not isinstance(value, list) or not value:
            self.fail(loc, "应列出至少一个字段")
            return []
        result: list[FieldDef] = []
        for i, item in enumerate(value):
            at = f"{loc}[{i}]"
            d = self._mapping(item, at, FIELD_KEYS, {"code", "label", "type"})
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
                required=bool(d.get("required", False)),
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
                forward_only=bool(d.get("forward_only", False)),
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

    def deadline(self, value: Any, loc: str, fields: list[FieldDef]) -> Deadline:
        if value is None:
            return Deadline()
        d = self._mapping(
            value, loc, {"dates", "every", "days_after", "by", "after", "days"}, set()
        )
        if d is None:
            return Deadline()
        names = {f.code: f for f in fields}
        by = d.get("by") or d.get("after") or ""
        if by and (by not in names or names[by].type not in ("date", "date_range")):
            self.fail(loc, f"「{by}」不是本表的日期字段")
            by = ""
        if "dates" in d:
            dates = [self._date(x, f"{loc}.dates") for x in d.get("dates") or []]
            dates = sorted(x for x in dates if x)
            if not dates:
                self.fail(f"{loc}.dates", "应列出至少一个日期")
            return Deadline(kind="dates", dates=dates, by=by)
        if "every" in d:
            if d["every"] not in RECURRENCES:
                self.fail(f"{loc}.every", f"应为 {'、'.join(RECURRENCES)} 之一")
                return Deadline()
            return Deadline(
                kind="recurring", every=d["every"], days_after=int(d.get("days_after", 0)), by=by
            )
        if "after" in d:
            if not by:
                return Deadline()
            return Deadline(kind="relative", by=by, days=int(d.get("days", 0)))
        self.fail(loc, "应写 dates、every 或 after 之一")
        return Deadline()

    def computes(self, value: Any, loc: str, fields: list[FieldDef]) -> list[ComputeSpec]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(loc, "应为列表")
            return []
        names = {f.code: f for f in fields}
        result = []
        for i, item in enumerate(value):
            at = f"{loc}[{i}]"
            d = self._mapping(
                item, at, {"indicator", "count", "sum", "where", "compliant_only"}, {"indicator"}
            )
            if d is None:
                continue
            code = self._text(d.get("indicator"), f"{at}.indicator", required=True)
            if code and code not in self.indicator_codes:
                self.fail(f"{at}.indicator", f"没有指标「{code}」")
            total = d.get("sum")
            if total is not None and (
                total not in names or names[total].type not in ("integer", "decimal", "money")
            ):
                self.fail(f"{at}.sum", f"「{total}」不是本表的数字字段")
            elif total is None and not d.get("count"):
                self.fail(at, "应写 count: true 或 sum: <数字字段>")
            where = d.get("where") or ""
            if where:
                formula = self._formula(where, f"{at}.where", set(names))
                self._no_personal(formula, f"{at}.where", {f.code for f in fields if f.personal})
            result.append(
                ComputeSpec(
                    indicator=code,
                    aggregate="sum" if total else "count",
                    field=total or "",
                    where=where,
                    compliant_only=bool(d.get("compliant_only", False)),
                )
            )
        return result
