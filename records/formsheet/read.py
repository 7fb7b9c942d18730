"""Reading a form definition workbook back into a plan file's `forms:` entry.

The workbook is read like any upload (records/imports/files.py: size, zip, macros, the
streaming scan and its limits), then each sheet cell by cell into the entry the plan file
would hold, so `records.formfile.FormReader` checks it exactly as it checks the plan file.
Every problem, the sheet's and the reader's, names its place as a person sees it: the sheet,
the row counted from 1 as Excel shows it, and the column (字段表第5行「类型」：…).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from common.numbers import clean_text
from records.formfile import FormReader, FormSpec
from records.formsheet import layout as L
from records.formsheet.cells import SheetReading, header_text
from records.formsheet.words import (
    FORMULA_TOO_LONG,
    MAX_FORMULA,
    Unreadable,
    read_check_line,
    read_deadline,
    read_range,
)
from records.imports.files import Sheet, read_workbook
from records.models import FormDefinition, RecordIndicator

FORM_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
FORM_CODE_HELP = "应为小写英文字母、数字和连字符（-），不超过 40 个字符，如 childcare"
LOC = "forms[0]"
TITLE_WIDTH = FormDefinition._meta.get_field("title").max_length
ATTACHMENT_WIDTH = FormDefinition._meta.get_field("attachment").max_length
WHERE_WIDTH = RecordIndicator._meta.get_field("where").max_length
# Plan file keys of a field → the column of the 字段 sheet that gives them.
FIELD_COLUMNS = {
    "code": L.CODE,
    "label": L.LABEL,
    "type": L.TYPE,
    "required": L.REQUIRED,
    "help": L.HELP_TEXT,
    "min": L.RANGE,
    "max": L.RANGE,
    "min_date": L.RANGE,
    "max_date": L.RANGE,
    "max_length": L.RANGE,
    "choices": L.RANGE,
    "pattern": L.PATTERN,
    "pattern_message": L.PATTERN_MESSAGE,
    "places": L.PLACES,
    "compute": L.COMPUTE,
    "unit": L.MEASURE,
    "forward_only": L.FORWARD_ONLY,
    "personal": L.PERSONAL,
}
SETTING_KEYS = {
    "code": L.FORM_CODE,
    "title": L.TITLE,
    "attachment": L.ATTACHMENT,
    "description": L.DESCRIPTION,
    "source_text": L.SOURCE_TEXT,
    "key": L.KEY,
    "date_field": L.DATE_FIELD,
    "deadline": L.DEADLINE,
    "late_policy": L.LATE_POLICY,
    "per_unit": L.PER_UNIT_MIN,
}


@dataclass
class FormSheet:
    """What a workbook says: the plan file's entry, the form read from it (None when there are
    problems), and every problem in words."""

    entry: dict = field(default_factory=dict)
    spec: FormSpec | None = None
    problems: list[str] = field(default_factory=list)


class _Reader(SheetReading):
    def __init__(self, sheets: Mapping[str, Sheet], indicators: Mapping[str, str]):
        super().__init__(sheets)
        self.indicators = indicators
        # Plan file location → place in the workbook, to word FormReader's problems.
        self.places: dict[str, str] = {LOC: f"{L.SETTINGS}表", f"{LOC}.fields": f"{L.FIELDS}表"}

    # -- 字段 --------------------------------------------------------------------------------
    def fields(self) -> tuple[list[dict], dict[str, list], dict[str, str]]:
        """The fields, each field's own checks by kind (source, message, place), and labels
        by code."""
        rows = self.table(L.FIELDS, L.FIELD_HEADERS, L.FIELD_REQUIRED_HEADERS)
        entries: list[dict] = []
        checks: dict[str, list] = {"rules": [], "standards": []}
        labels: dict[str, str] = {}
        for i, row in enumerate(rows):
            at = f"{L.FIELDS}表第{row.number}行"
            loc = f"{LOC}.fields[{i}]"
            self.places[loc] = at
            for key, header in FIELD_COLUMNS.items():
                self.places[f"{loc}.{key}"] = f"{at}「{header}」"
            cells = row.cells
            code = self.text(cells.get(L.CODE))
            known = len(self.problems)
            kind = self.field_type(cells.get(L.TYPE), f"{at}「{L.TYPE}」")
            typed = len(self.problems) == known  # else the range would be read for a guess
            entry: dict[str, Any] = {
                "code": code,
                "label": self.text(cells.get(L.LABEL)),
                "type": kind,
                "required": self.yes_no(cells.get(L.REQUIRED), f"{at}「{L.REQUIRED}」"),
            }
            type_word = L.TYPE_WORDS[kind][0]
            try:
                if typed:
                    entry.update(read_range(kind, cells.get(L.RANGE), type_word))
            except Unreadable as exc:
                self.fail(f"{at}「{L.RANGE}」", str(exc))
            optional = {
                "unit": self.text(cells.get(L.MEASURE)),
                "help": self.text(cells.get(L.HELP_TEXT)),
                "compute": self.formula(cells.get(L.COMPUTE), f"{at}「{L.COMPUTE}」"),
                "pattern": self.text(cells.get(L.PATTERN)),
                "pattern_message": self.text(cells.get(L.PATTERN_MESSAGE)),
                "places": self.whole(cells.get(L.PLACES), f"{at}「{L.PLACES}」", high=10),
                "personal": self.personal(cells.get(L.PERSONAL), f"{at}「{L.PERSONAL}」"),
            }
            entry.update({k: v for k, v in optional.items() if v is not None})
            if self.yes_no(cells.get(L.FORWARD_ONLY), f"{at}「{L.FORWARD_ONLY}」"):
                entry["forward_only"] = True
            entries.append(entry)
            if code:
                labels.setdefault(code, entry["label"] or "")
            for kind_key, header in (("rules", L.RULES), ("standards", L.STANDARDS)):
                for line in str(cells.get(header) or "").splitlines():
                    if not line.strip():
                        continue
                    try:
                        source, message = read_check_line(line.strip(), code or "")
                    except Unreadable as exc:
                        self.fail(f"{at}「{header}」", str(exc))
                        continue
                    checks[kind_key].append((source, message, f"{at}「{header}」", None))
        return entries, checks, labels

    def formula(self, value: Any, place: str) -> str | None:
        text = self.text(value)
        if text and len(text) > MAX_FORMULA:
            self.fail(place, FORMULA_TOO_LONG)
            return None
        return text

    def field_type(self, value: Any, place: str) -> str:
        word = re.sub(r"\s+", "", clean_text(value))
        if not word:
            self.fail(place, f"请填写类型，可选：{L.TYPE_CHOICES}")
            return "text"
        if word not in L.TYPE_BY_WORD:
            self.fail(place, f"无法识别「{word}」，可选：{L.TYPE_CHOICES}")
            return "text"
        return L.TYPE_BY_WORD[word]

    def personal(self, value: Any, place: str) -> str | None:
        word = clean_text(value)
        if not word or word.lower() in L.NO_WORDS:
            return None
        if word not in L.PERSONAL_BY_WORD:
            self.fail(place, f"无法识别「{word}」，可选：{L.PERSONAL_CHOICES}；不是个人信息则留空")
            return None
        return L.PERSONAL_BY_WORD[word]

    # -- 规则 --------------------------------------------------------------------------------
    def sheet_checks(self, checks: dict[str, list]) -> None:
        for row in self.table(L.CHECKS, L.CHECK_HEADERS, L.CHECK_HEADERS):
            at = f"{L.CHECKS}表第{row.number}行"
            word = clean_text(row.cells.get(L.KIND))
            if word not in L.CHECK_KINDS:
                self.fail(f"{at}「{L.KIND}」", f"应填“{L.RULE}”或“{L.STANDARD}”，现为「{word}」")
                continue
            checks[L.CHECK_KINDS[word]].append(
                (
                    self.formula(row.cells.get(L.CONDITION), f"{at}「{L.CONDITION}」"),
                    self.text(row.cells.get(L.MESSAGE)),
                    at,
                    row.number,
                )
            )

    def check_entries(self, checks: dict[str, list]) -> dict[str, list[dict]]:
        result: dict[str, list[dict]] = {}
        for kind, items in checks.items():
            result[kind] = []
            for j, (source, message, at, number) in enumerate(items):
                loc = f"{LOC}.{kind}[{j}]"
                self.places[loc] = at
                if number is not None:  # a row of the 规则 sheet: its own columns
                    self.places[f"{loc}.check"] = f"{at}「{L.CONDITION}」"
                    self.places[f"{loc}.message"] = f"{at}「{L.MESSAGE}」"
                result[kind].append({"check": source, "message": message})
        return result

    # -- 设置 --------------------------------------------------------------------------------
    def settings(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Each item's value, and its place."""
        values: dict[str, Any] = {}
        places: dict[str, str] = {}
        for row in self.table(L.SETTINGS, (L.ITEM, L.VALUE, L.NOTE), (L.ITEM, L.VALUE)):
            item = header_text(row.cells.get(L.ITEM)).rstrip("：:")
            at = f"{L.SETTINGS}表第{row.number}行"
            if item not in L.SETTING_ITEMS:
                self.fail(at, f"不认识的项目「{item}」（可用：{'、'.join(L.SETTING_ITEMS)}）")
            elif item in values:
                self.fail(at, f"项目「{item}」重复")
            else:
                values[item] = row.cells.get(L.VALUE)
                places[item] = f"{at}「{item}」"
        for item in L.SETTING_ITEMS:
            places.setdefault(item, f"{L.SETTINGS}表「{item}」")
        return values, places

    def deadline(self, values, places, labels) -> dict | None:
        place = places[L.DEADLINE]
        try:
            found = read_deadline(values.get(L.DEADLINE))
        except Unreadable as exc:
            self.fail(place, str(exc))
            return None
        by = self.text(values.get(L.DEADLINE_BY))
        by = self.code_of(by, labels) if by else ""
        if "after" in found:
            named = self.code_of(found.pop("after"), labels)
            by = by or (named if named in labels else "")
            if not by:
                self.fail(
                    place, f"按某个日期之后计算的截止日期，须在「{L.DEADLINE_BY}」写明日期字段"
                )
                return None
            return {"after": by, "days": found["days"]}
        if not found:
            if by:
                self.fail(places[L.DEADLINE_BY], f"没有「{L.DEADLINE}」，不用填写")
            return None
        return {**found, "by": by} if by else found

    # -- 指标 --------------------------------------------------------------------------------
    def computes(self, labels: Mapping[str, str]) -> list[dict]:
        result = []
        names: dict[str, list[str]] = {}
        for code, name in self.indicators.items():
            names.setdefault(name, []).append(code)
        for i, row in enumerate(self.table(L.COMPUTES, L.COMPUTE_HEADERS, (L.INDICATOR,))):
            at = f"{L.COMPUTES}表第{row.number}行"
            loc = f"{LOC}.computes[{i}]"
            self.places[loc] = at
            for key, header in (("indicator", L.INDICATOR), ("sum", L.SUM_FIELD)):
                self.places[f"{loc}.{key}"] = f"{at}「{header}」"
            self.places[f"{loc}.where"] = f"{at}「{L.WHERE}」"
            cells = row.cells
            indicator = self.text(cells.get(L.INDICATOR))
            if (
                indicator
                and indicator not in self.indicators
                and len(names.get(indicator, [])) == 1
            ):
                indicator = names[indicator][0]
            word = clean_text(cells.get(L.AGGREGATE))
            total = self.text(cells.get(L.SUM_FIELD))
            entry: dict[str, Any] = {"indicator": indicator}
            if word and word not in L.AGGREGATES:
                self.fail(f"{at}「{L.AGGREGATE}」", f"应填“计数”或“求和”，现为「{word}」")
                continue
            aggregate = L.AGGREGATES.get(word) or ("sum" if total else "count")
            if aggregate == "sum":
                if not total:
                    self.fail(f"{at}「{L.SUM_FIELD}」", "按“求和”计算的指标须写明求和字段")
                    continue
                entry["sum"] = self.code_of(total, labels)
            else:
                if total:
                    self.fail(f"{at}「{L.SUM_FIELD}」", "按“计数”计算的指标不用填写求和字段")
                entry["count"] = True
            where = self.formula(cells.get(L.WHERE), f"{at}「{L.WHERE}」")
            if where:
                entry["where"] = where
            if self.yes_no(cells.get(L.COMPLIANT_ONLY), f"{at}「{L.COMPLIANT_ONLY}」"):
                entry["compliant_only"] = True
            result.append(entry)
        return result

    # -- the whole form -------------------------------------------------------------------------
    def entry(self) -> dict:
        for name in (L.FIELDS, L.SETTINGS):
            if name not in self.sheets:
                self.fail("工作簿", f"找不到「{name}」工作表（可下载空白模板对照）")
        fields, checks, labels = self.fields()
        self.sheet_checks(checks)
        values, places = self.settings()
        for key, item in SETTING_KEYS.items():
            self.places[f"{LOC}.{key}"] = places[item]
        entry: dict[str, Any] = {
            "code": self.text(values.get(L.FORM_CODE)),
            "title": self.text(values.get(L.TITLE)),
            "fields": fields,
        }
        for key, item in (
            ("attachment", L.ATTACHMENT),
            ("description", L.DESCRIPTION),
            ("source_text", L.SOURCE_TEXT),
        ):
            if (text := self.text(values.get(item))) is not None:
                entry[key] = text
        entry.update({k: v for k, v in self.check_entries(checks).items() if v})
        key = self.text(values.get(L.KEY))
        if key:
            entry["key"] = [self.code_of(t, labels) for t in L.LIST_SEPARATORS.split(key) if t]
        date_field = self.text(values.get(L.DATE_FIELD))
        if date_field:
            entry["date_field"] = self.code_of(date_field, labels)
        deadline = self.deadline(values, places, labels)
        if deadline:
            entry["deadline"] = deadline
        late = clean_text(values.get(L.LATE_POLICY))
        if late and late not in L.LATE_BY_WORD:
            words = "、".join(w[0] for w in L.LATE_WORDS.values())
            self.fail(places[L.LATE_POLICY], f"无法识别「{late}」，可选：{words}")
        elif late:
            entry["late_policy"] = L.LATE_BY_WORD[late]
        per_unit = {
            bound: self.whole(values.get(item), places[item])
            for bound, item in (("min", L.PER_UNIT_MIN), ("max", L.PER_UNIT_MAX))
        }
        low, high = per_unit["min"], per_unit["max"]
        if low is not None and high is not None and low > high:
            self.fail(places[L.PER_UNIT_MIN], "每单位最少条数大于最多条数")
        if any(v is not None for v in per_unit.values()):
            entry["per_unit"] = {k: v for k, v in per_unit.items() if v is not None}
        computes = self.computes(labels)
        if computes:
            entry["computes"] = computes
        return entry

    def where(self, problem: str) -> str:
        """FormReader's `loc: message` with the loc as a place in the workbook."""
        loc, _, message = problem.partition(": ")
        best = ""
        for known in self.places:
            if (loc == known or loc.startswith((f"{known}.", f"{known}["))) and len(known) > len(
                best
            ):
                best = known
        if not best:
            return problem
        return f"{self.places[best]}：{message}"


def _computed_places(reader: _Reader, entry: dict) -> None:
    # FormReader names a computed field's formula by its code (fields.<code>.compute).
    for i, f in enumerate(entry.get("fields", [])):
        place = reader.places.get(f"{LOC}.fields[{i}].compute")
        if isinstance(f, dict) and f.get("code") and place:
            reader.places[f"{LOC}.fields.{f['code']}.compute"] = place


def _lengths(spec: FormSpec):
    """What the database holds in columns of a fixed width (records.models), which the plan
    file's reader leaves to the loader: (location, text, width)."""
    yield f"{LOC}.title", spec.title, TITLE_WIDTH
    yield f"{LOC}.attachment", spec.attachment, ATTACHMENT_WIDTH
    for i, compute in enumerate(spec.computes):
        yield f"{LOC}.computes[{i}].where", compute.where, WHERE_WIDTH


def form_sheet_check(
    *, entry: dict, indicators: Mapping[str, str], order: int = 0, places: dict | None = None
) -> FormSheet:
    """The form a plan file's entry declares, checked by the plan file's own reader against the
    plan's indicators (code → name)."""
    problems: list[str] = []
    reader = FormReader(problems, set(indicators))
    specs = reader.read([entry], "forms")
    where = _Reader({}, indicators)
    where.places.update(places or {})
    _computed_places(where, entry)
    worded = [where.where(p) for p in problems]
    code = entry.get("code")
    if code and not FORM_CODE.match(str(code)):
        worded.insert(0, f"{where.places.get(f'{LOC}.code', '设置表「代码」')}：{FORM_CODE_HELP}")
    for spec in specs:
        worded += [
            where.where(f"{loc}: 不能超过 {limit} 个字（现有 {len(text)} 个）")
            for loc, text, limit in _lengths(spec)
            if len(text) > limit
        ]
    if worded or not specs:
        return FormSheet(entry=entry, problems=worded)
    specs[0].order = order
    return FormSheet(entry=entry, spec=specs[0])


def form_sheet_read(uploaded, *, indicators: Mapping[str, str], order: int = 0) -> FormSheet:
    """The form an uploaded workbook defines, or its problems; raises
    `records.imports.FileRefused` for a file that cannot be read at all."""
    reader = _Reader(read_workbook(uploaded, L.READ_SHEETS), indicators)
    entry = reader.entry()
    checked = form_sheet_check(
        entry=entry, indicators=indicators, order=order, places=reader.places
    )
    if reader.problems:
        return FormSheet(entry=entry, problems=reader.problems + checked.problems)
    return checked
