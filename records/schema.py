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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from personal import crypto
from records.deadlines import Deadline
from records.expressions import Formula, Undecided
from records.fields import FieldDef, FieldInvalid

LATE_POLICIES = ("flag", "exclude")


@dataclass
class Check:
    formula: Formula
    message: str

    def to_json(self) -> dict:
        return {"check": self.formula.source, "message": self.message}


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
