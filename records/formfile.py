"""Reading a programme's `forms:` in the plan file (docs/plan-file.md, *Forms*).

The plan file's reader (plans.planfile) calls `FormReader` for each programme: the records
app registers it (records/apps.py), since plans import nothing of records. Problems go to
the plan file's list with their locations, like the rest of the file's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.specfile import SpecReader
from records.deadlines import RECURRENCES, Deadline
from records.fields import FieldDef
from records.fieldspec import FieldReading
from records.schema import LATE_POLICIES, Check, FormSchema


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


class FormReader(FieldReading, SpecReader):
    """Reads each programme's `forms:` list (registered in records/apps.py as the plan
    file's `forms` section), into the plan file's list of problems."""

    text_required = False

    def __init__(self, problems: list[str], indicator_codes: set[str]):
        super().__init__(problems)
        self.indicator_codes = indicator_codes
        self.form_codes: set[str] = set()  # unique across the plan, like the indicators
        self.computed: set[str] = set()  # each indicator computed by one form at most

    def read(self, value: Any, loc: str) -> list[FormSpec]:
        result = []
        for i, item in enumerate(self._list(value, loc)):
            spec = self.form(item, f"{loc}[{i}]", i)
            if spec is None:
                continue
            if spec.code in self.form_codes:
                self.fail(f"{loc}[{i}].code", f"表单代码「{spec.code}」重复")
            self.form_codes.add(spec.code)
            for compute in spec.computes:
                if compute.indicator in self.computed:
                    self.fail(
                        f"{loc}[{i}].computes", f"指标「{compute.indicator}」已由另一张表计算"
                    )
                self.computed.add(compute.indicator)
            result.append(spec)
        return result

    def _text(self, value: Any, loc: str, *, required: bool | None = None) -> str:
        # Blank text counts as missing here, so that `title: "  "` reads as no title.
        if isinstance(value, str) and not value.strip():
            value = None
        return super()._text(value, loc, required=required)

    def _number(self, value: Any, loc: str, *, negative: bool = True) -> Decimal | None:
        return super()._number(value, loc, negative=negative)

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

    def form(self, value: Any, loc: str, order: int) -> FormSpec | None:
        d = self._mapping_or_none(value, loc, FORM_KEYS, {"code", "title", "fields"})
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
                c = self._mapping_or_none(
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
            p = self._mapping_or_none(per_unit, f"{loc}.per_unit", {"min", "max"}, set()) or {}
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

    def deadline(self, value: Any, loc: str, fields: list[FieldDef]) -> Deadline:
        if value is None:
            return Deadline()
        d = self._mapping_or_none(
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
            d = self._mapping_or_none(
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
                    compliant_only=self._yes_no(d.get("compliant_only"), f"{at}.compliant_only"),
                )
            )
        return result
