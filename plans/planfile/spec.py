"""Reading a plan file into plain data, collecting every problem with its location first.

Nothing here touches the database: `read_plan_file` either returns a complete `PlanSpec` or
raises `PlanFileInvalid` listing every problem found, so a broken file is reported in one go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from orgs.resolver import DuplicateSpelling, UnitDirectory
from plans.planfile.dates import DateRule, DateRuleError, parse_point, parse_rule
from records.schema import FormReader, FormSpec

UNIT_KINDS = (
    "federation",
    "county_city",
    "county",
    "district",
    "zone",
    "industry_union",
    "organ_union",
    "enterprise_union",
    "other",
)
COMPARATORS = ("gte", "gt", "about", "eq")
PERIODS = ("monthly", "quarterly", "half_year", "year")
CATEGORIES = ("action", "practical_matter")
DEPARTMENT_SOURCES = ("text", "assigned")
ACTORS = ("federation", "units")
LATE_POLICIES = ("flag", "exclude")


class PlanFileInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"计划文件有 {len(problems)} 处问题")


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    aliases: list[str]

    def spellings(self) -> list[str]:
        return [self.name, self.short_name, *self.aliases]

    def __str__(self) -> str:
        return self.short_name


@dataclass
class DepartmentSpec:
    name: str
    aliases: list[str]


@dataclass
class IndicatorSpec:
    code: str
    order: int
    name: str
    measure: str
    target: Decimal | None
    target_denominator: int
    comparator: str
    due: dt.date | None
    period: str
    per_unit_min: Decimal | None
    per_unit_max: Decimal | None
    per_unit_scope: list[str]
    source_text: str


@dataclass
class RowSpec:
    number: int
    label: str
    values: list[Decimal | None]
    unit: str | None  # canonical unit name
    unit_assigned: bool
    group: str
    note: str


@dataclass
class TableSpec:
    code: str
    order: int
    attachment: str
    title: str
    columns: list[tuple[str, str]]  # (indicator code, header)
    rows: list[RowSpec]
    total: list[Decimal | None] | None
    note: str


@dataclass
class MilestoneSpec:
    order: int
    title: str
    rule: DateRule
    rule_raw: dict
    actor: str
    actor_departments: list[str]
    actor_scope: list[str]
    deliverable: str
    deliver_to: str
    late_policy: str
    source_text: str
    form: str = ""  # the code of the form whose rows are this step's deliverable


@dataclass
class CriterionSpec:
    code: str
    title: str
    points: Decimal


@dataclass
class RubricSpec:
    order: int
    title: str
    attachment: str
    criteria: list[CriterionSpec]


@dataclass
class ProgrammeSpec:
    number: int
    title: str
    category: str
    departments: list[tuple[str, str]]  # (department name, source)
    goal: str
    measures: str
    requirements: str
    indicators: list[IndicatorSpec] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    milestones: list[MilestoneSpec] = field(default_factory=list)
    rubrics: list[RubricSpec] = field(default_factory=list)
    forms: list[FormSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    slug: str
    title: str
    year: int
    issuer: str
    doc_number: str
    doc_number_variants: list[str]
    issued_on: dt.date
    summary: str
    progress_from: dt.date | None
    progress_due_day: int
    progress_late_policy: str
    departments: list[DepartmentSpec]
    units: list[UnitSpec]
    programmes: list[ProgrammeSpec]
    sha256: str


def read_plan_file(path: str | Path) -> PlanSpec:
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PlanFileInvalid(["文件不是 UTF-8 编码"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
        raise PlanFileInvalid([f"{where}YAML 格式错误（{getattr(exc, 'problem', exc)}）"]) from exc
    reader = _Reader()
    spec = reader.plan(data, hashlib.sha256(raw).hexdigest())
    if reader.problems:
        raise PlanFileInvalid(reader.problems)
    return spec


class _Reader:
    """Walks the parsed YAML; every `_…` helper records a problem and returns a safe default."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, loc: str, message: str) -> None:
        self.problems.append(f"{loc}: {message}")

    # -- primitives ------------------------------------------------------------------------
    def _mapping(self, value: Any, loc: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(loc, "应为键值映射")
            return {}
        for key in sorted(set(map(str, value)) - allowed):
            self.fail(loc, f"未知的键「{key}」（可用：{', '.join(sorted(allowed))}）")
        for key in sorted(required - set(value)):
            self.fail(loc, f"缺少「{key}」")
        return value

    def _list(self, value: Any, loc: str, *, required: bool = False) -> list:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(loc, "应为列表")
            return []
        return value

    def _text(self, value: Any, loc: str, *, required: bool = True) -> str:
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

    def _number(self, value: Any, loc: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(loc, "应为数字")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(loc, f"「{value}」不是数字")
            return None
        if not number.is_finite():
            self.fail(loc, f"「{value}」不是数字")
            return None
        if number < 0:
            self.fail(loc, f"不能为负数：{value}")
            return None
        return number

    def _fraction(self, value: Any, loc: str) -> tuple[Decimal | None, int]:
        if isinstance(value, str) and "/" in value:
            top, _, bottom = value.partition("/")
            numerator = self._number(top, loc)
            if not bottom.strip().isdigit() or int(bottom) == 0:
                self.fail(loc, f"分数「{value}」的分母应为正整数")
                return None, 1
            return numerator, int(bottom)
        return self._number(value, loc), 1

    def _date(self, value: Any, loc: str, *, as_end: bool = True) -> dt.date | None:
        if value is None:
            return None
        try:
            return parse_point(value, as_end=as_end)
        except DateRuleError as exc:
            self.fail(loc, str(exc))
            return None

    # -- sections --------------------------------------------------------------------------
    def plan(self, data: Any, sha256: str) -> PlanSpec:
        top = self._mapping(
            data, "文件", {"plan", "departments", "units", "programmes"}, {"plan", "units"}
        )
        head = self._mapping(
            top.get("plan"),
            "plan",
            {
                "slug",
                "title",
                "year",
                "issuer",
                "doc_number",
                "doc_number_variants",
                "issued_on",
                "summary",
                "progress",
            },
            {"slug", "title", "year", "issuer", "doc_number", "issued_on"},
        )
        departments = self.departments(top.get("departments"))
        units = self.units(top.get("units"))
        directory = self.directory(units)
        self._department_canonical = {d.name: d.name for d in departments} | {
            alias: d.name for d in departments for alias in d.aliases
        }
        self._unit_names = {u.name for u in units}
        self._directory = directory

        issuer = self._text(head.get("issuer"), "plan.issuer")
        issuer_unit = self._resolve(issuer, "plan.issuer") if issuer else None
        year = head.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 < year < 2200:
            self.fail("plan.year", "应为四位年份")
            year = 0
        issued_on = head.get("issued_on")
        if not isinstance(issued_on, dt.date):
            self.fail("plan.issued_on", "应为日期，如 2022-03-28")
            issued_on = dt.date(1970, 1, 1)
        slug = self._text(head.get("slug"), "plan.slug")
        if slug and not all(c.isascii() and (c.isalnum() or c == "-") for c in slug):
            self.fail("plan.slug", "只能包含英文字母、数字和连字符")

        progress = self._mapping(
            head.get("progress") or {}, "plan.progress", {"from", "due_day", "late_policy"}, set()
        )
        due_day = progress.get("due_day", 5)
        if not isinstance(due_day, int) or isinstance(due_day, bool) or not 1 <= due_day <= 28:
            self.fail("plan.progress.due_day", "应为 1–28 之间的整数")
            due_day = 5
        programmes = self.programmes(top.get("programmes"))
        return PlanSpec(
            slug=slug,
            title=self._text(head.get("title"), "plan.title"),
            year=year,
            issuer=issuer_unit or "",
            doc_number=self._text(head.get("doc_number"), "plan.doc_number"),
            doc_number_variants=[
                self._text(v, f"plan.doc_number_variants[{i}]")
                for i, v in enumerate(
                    self._list(head.get("doc_number_variants"), "plan.doc_number_variants")
                )
            ],
            issued_on=issued_on,
            summary=self._text(head.get("summary"), "plan.summary", required=False),
            progress_from=self._date(progress.get("from"), "plan.progress.from", as_end=False),
            progress_due_day=due_day,
            progress_late_policy=self._choice(
                progress.get("late_policy"), "plan.progress.late_policy", LATE_POLICIES, "flag"
            ),
            departments=departments,
            units=units,
            programmes=programmes,
            sha256=sha256,
        )

    def departments(self, value: Any) -> list[DepartmentSpec]:
        result: list[DepartmentSpec] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(self._list(value, "departments")):
            loc = f"departments[{i}]"
            d = self._mapping(item, loc, {"name", "aliases"}, {"name"})
            name = self._text(d.get("name"), f"{loc}.name")
            aliases = [self._text(a, f"{loc}.aliases") for a in self._list(d.get("aliases"), loc)]
            for spelling in [name, *aliases]:
                if spelling in seen and seen[spelling] != name:
                    self.fail(loc, f"名称「{spelling}」已用于部门「{seen[spelling]}」")
                seen[spelling] = name
            result.append(DepartmentSpec(name=name, aliases=aliases))
        return result

    def units(self, value: Any) -> list[UnitSpec]:
        result: list[UnitSpec] = []
        codes: set[str] = set()
        names: set[str] = set()
        for i, item in enumerate(self._list(value, "units", required=True)):
            loc = f"units[{i}]"
            u = self._mapping(
                item,
                loc,
                {"code", "name", "short_name", "kind", "parent", "aliases"},
                {"code", "name", "short_name", "kind"},
            )
            unit = UnitSpec(
                code=self._text(u.get("code"), f"{loc}.code"),
                name=self._text(u.get("name"), f"{loc}.name"),
                short_name=self._text(u.get("short_name"), f"{loc}.short_name"),
                kind=self._choice(u.get("kind"), f"{loc}.kind", UNIT_KINDS, "other"),
                parent=self._text(u.get("parent"), f"{loc}.parent", required=False) or None,
                aliases=[
                    self._text(a, f"{loc}.aliases")
                    for a in self._list(u.get("aliases"), f"{loc}.aliases")
                ],
            )
            if unit.code in codes:
                self.fail(f"{loc}.code", f"代码「{unit.code}」重复")
            if unit.name in names:
                self.fail(f"{loc}.name", f"单位「{unit.name}」重复")
            codes.add(unit.code)
            names.add(unit.name)
            result.append(unit)
        for i, unit in enumerate(result):
            if unit.parent and unit.parent not in names:
                self.fail(f"units[{i}].parent", f"上级单位「{unit.parent}」不在 units 中")
        return result

    def directory(self, units: list[UnitSpec]) -> UnitDirectory:
        try:
            return UnitDirectory((u.name, u.spellings()) for u in units)
        except DuplicateSpelling as exc:
            self.fail("units", str(exc))
            return UnitDirectory([])

    def _resolve(self, label: str, loc: str) -> str | None:
        result = self._directory.resolve(label)
        if not result.ok:
            self.fail(loc, result.message)
            return None
        return result.unit

    def _scope(self, value: Any, loc: str) -> list[str]:
        scope = []
        for i, entry in enumerate(self._list(value, loc)):
            text = self._text(entry, f"{loc}[{i}]")
            if text in UNIT_KINDS:
                scope.append(text)
            elif text:
                unit = self._resolve(text, f"{loc}[{i}]")
                if unit:
                    scope.append(unit)
        return scope

    def _department(self, value: Any, loc: str) -> str | None:
        name = self._text(value, loc)
        if name and name not in self._department_canonical:
            self.fail(loc, f"部门「{name}」不在 departments 中")
            return None
        return self._department_canonical.get(name)

    def programmes(self, value: Any) -> list[ProgrammeSpec]:
        result: list[ProgrammeSpec] = []
        numbers: set[int] = set()
        self._indicator_codes: set[str] = set()
        table_codes: set[str] = set()
        for i, item in enumerate(self._list(value, "programmes")):
            loc = f"programmes[{i}]"
            p = self._mapping(
                item,
                loc,
                {
                    "number",
                    "title",
                    "category",
                    "departments",
                    "goal",
                    "measures",
                    "requirements",
                    "indicators",
                    "tables",
                    "milestones",
                    "rubrics",
                    "forms",
                },
                {"number", "title", "category"},
            )
            number = p.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                self.fail(f"{loc}.number", "应为正整数")
                number = 0
            elif number in numbers:
                self.fail(f"{loc}.number", f"专案序号 {number} 重复")
            numbers.add(number)
            programme = ProgrammeSpec(
                number=number,
                title=self._text(p.get("title"), f"{loc}.title"),
                category=self._choice(p.get("category"), f"{loc}.category", CATEGORIES, "action"),
                departments=self.programme_departments(p.get("departments"), f"{loc}.departments"),
                goal=self._text(p.get("goal"), f"{loc}.goal", required=False),
                measures=self._text(p.get("measures"), f"{loc}.measures", required=False),
                requirements=self._text(
                    p.get("requirements"), f"{loc}.requirements", required=False
                ),
            )
            programme.indicators = [
                self.indicator(ind, f"{loc}.indicators[{j}]", j)
                for j, ind in enumerate(self._list(p.get("indicators"), f"{loc}.indicators"))
            ]
            own_codes = {ind.code for ind in programme.indicators}
            used_columns: set[str] = set()
            for j, tab in enumerate(self._list(p.get("tables"), f"{loc}.tables")):
                table = self.table(tab, f"{loc}.tables[{j}]", j, own_codes, used_columns)
                if table.code in table_codes:
                    self.fail(f"{loc}.tables[{j}].code", f"表代码「{table.code}」重复")
                table_codes.add(table.code)
                programme.tables.append(table)
            programme.milestones = [
                self.milestone(m, f"{loc}.milestones[{j}]", j)
                for j, m in enumerate(self._list(p.get("milestones"), f"{loc}.milestones"))
            ]
            programme.rubrics = [
                self.rubric(r, f"{loc}.rubrics[{j}]", j)
                for j, r in enumerate(self._list(p.get("rubrics"), f"{loc}.rubrics"))
            ]
            result.append(programme)
        # Forms may compute any programme's indicator, so they are read once all are known.
        indicator_codes = {i.code for p in result for i in p.indicators}
        forms = FormReader(self.fail, indicator_codes)
        form_codes: set[str] = set()
        computed: set[str] = set()
        for i, (item, programme) in enumerate(
            zip(self._list(value, "programmes"), result, strict=True)
        ):
            raw = item.get("forms") if isinstance(item, dict) else None
            programme.forms = forms.forms(raw, f"programmes[{i}].forms", form_codes)
            own_forms = {f.code for f in programme.forms}
            for j, milestone in enumerate(programme.milestones):
                if milestone.form and milestone.form not in own_forms:
                    self.fail(
                        f"programmes[{i}].milestones[{j}].form",
                        f"本专案没有代码为「{milestone.form}」的统计表",
                    )
            for j, form in enumerate(programme.forms):
                for compute in form.computes:
                    if compute.indicator in computed:
                        self.fail(
                            f"programmes[{i}].forms[{j}].computes",
                            f"指标「{compute.indicator}」已由另一张表计算",
                        )
                    computed.add(compute.indicator)
        return result

    def programme_departments(self, value: Any, loc: str) -> list[tuple[str, str]]:
        result = []
        for i, item in enumerate(self._list(value, loc)):
            d = self._mapping(item, f"{loc}[{i}]", {"name", "source"}, {"name", "source"})
            name = self._department(d.get("name"), f"{loc}[{i}].name")
            source = self._choice(
                d.get("source"), f"{loc}[{i}].source", DEPARTMENT_SOURCES, "assigned"
            )
            if name and name in (n for n, _ in result):
                self.fail(f"{loc}[{i}]", f"部门「{name}」重复")
            elif name:
                result.append((name, source))
        return result

    def indicator(self, value: Any, loc: str, order: int) -> IndicatorSpec:
        d = self._mapping(
            value,
            loc,
            {
                "code",
                "name",
                "measure",
                "target",
                "comparator",
                "due",
                "period",
                "per_unit",
                "source_text",
            },
            {"code", "name", "measure"},
        )
        code = self._text(d.get("code"), f"{loc}.code")
        if code in self._indicator_codes:
            self.fail(f"{loc}.code", f"指标代码「{code}」重复")
        self._indicator_codes.add(code)
        target, denominator = self._fraction(d.get("target"), f"{loc}.target")
        comparator = self._choice(d.get("comparator"), f"{loc}.comparator", COMPARATORS, "eq")
        if d.get("target") is not None and d.get("comparator") is None:
            self.fail(f"{loc}.comparator", "有目标值时必须写明比较方式（gte/gt/about/eq）")
        per_unit = d.get("per_unit")
        per_min = per_max = None
        scope: list[str] = []
        if per_unit is not None:
            pu = self._mapping(per_unit, f"{loc}.per_unit", {"scope", "min", "max"}, {"scope"})
            per_min = self._number(pu.get("min"), f"{loc}.per_unit.min")
            per_max = self._number(pu.get("max"), f"{loc}.per_unit.max")
            scope = self._scope(pu.get("scope"), f"{loc}.per_unit.scope")
            if per_min is None and per_max is None:
                self.fail(f"{loc}.per_unit", "至少写明 min 或 max")
            if per_min is not None and per_max is not None and per_min > per_max:
                self.fail(f"{loc}.per_unit", "min 大于 max")
        return IndicatorSpec(
            code=code,
            order=order,
            name=self._text(d.get("name"), f"{loc}.name"),
            measure=self._text(d.get("measure"), f"{loc}.measure"),
            target=target,
            target_denominator=denominator,
            comparator=comparator,
            due=self._date(d.get("due"), f"{loc}.due"),
            period=self._choice(d.get("period"), f"{loc}.period", PERIODS, "monthly"),
            per_unit_min=per_min,
            per_unit_max=per_max,
            per_unit_scope=scope,
            source_text=self._text(d.get("source_text"), f"{loc}.source_text", required=False),
        )

    def table(
        self, value: Any, loc: str, order: int, own_codes: set[str], used: set[str]
    ) -> TableSpec:
        d = self._mapping(
            value,
            loc,
            {"code", "attachment", "title", "columns", "rows", "total", "note"},
            {"code", "title", "columns", "rows"},
        )
        columns: list[tuple[str, str]] = []
        for i, item in enumerate(self._list(d.get("columns"), f"{loc}.columns", required=True)):
            c = self._mapping(
                item, f"{loc}.columns[{i}]", {"indicator", "header"}, {"indicator", "header"}
            )
            code = self._text(c.get("indicator"), f"{loc}.columns[{i}].indicator")
            if code and code not in own_codes:
                self.fail(
                    f"{loc}.columns[{i}].indicator", f"指标「{code}」不在本专案的 indicators 中"
                )
            elif code in used:
                self.fail(f"{loc}.columns[{i}].indicator", f"指标「{code}」已在另一列使用")
            used.add(code)
            columns.append((code, self._text(c.get("header"), f"{loc}.columns[{i}].header")))
        width = len(columns)
        rows: list[RowSpec] = []
        units_seen: dict[str, int] = {}
        for i, item in enumerate(self._list(d.get("rows"), f"{loc}.rows", required=True)):
            row = self.row(item, f"{loc}.rows[{i}]", i + 1, width)
            if row.unit and row.unit in units_seen:
                self.fail(
                    f"{loc}.rows[{i}]",
                    f"单位「{row.unit}」在本表中重复（第 {units_seen[row.unit]} 行）",
                )
            if row.unit:
                units_seen[row.unit] = i + 1
            rows.append(row)
        total = None
        if "total" in d:
            total = [
                self._number(v, f"{loc}.total[{i}]")
                for i, v in enumerate(self._list(d.get("total"), f"{loc}.total"))
            ]
            if len(total) != width:
                self.fail(f"{loc}.total", f"合计应有 {width} 个值，实际 {len(total)} 个")
        return TableSpec(
            code=self._text(d.get("code"), f"{loc}.code"),
            order=order,
            attachment=self._text(d.get("attachment"), f"{loc}.attachment", required=False),
            title=self._text(d.get("title"), f"{loc}.title"),
            columns=columns,
            rows=rows,
            total=total,
            note=self._text(d.get("note"), f"{loc}.note", required=False),
        )

    def row(self, value: Any, loc: str, number: int, width: int) -> RowSpec:
        if isinstance(value, list):
            label = self._text(value[0] if value else None, f"{loc}[0]")
            raw_values, explicit, group, note = value[1:], False, "", ""
            unit = self._resolve(label, loc) if label else None
        else:
            d = self._mapping(
                value, loc, {"label", "values", "unit", "group", "note"}, {"label", "values"}
            )
            label = self._text(d.get("label"), f"{loc}.label")
            raw_values = self._list(d.get("values"), f"{loc}.values", required=True)
            group = self._text(d.get("group"), f"{loc}.group", required=False)
            note = self._text(d.get("note"), f"{loc}.note", required=False)
            explicit = "unit" in d
            if explicit and d["unit"] is None:
                unit = None  # declared deliberately: this row is not a unit
            elif explicit:
                unit = self._resolve(self._text(d["unit"], f"{loc}.unit"), f"{loc}.unit")
            else:
                unit = self._resolve(label, loc) if label else None
            if explicit and unit and self._directory.resolve(label).unit == unit:
                explicit = False  # the label names the unit already
        if len(raw_values) != width:
            self.fail(loc, f"应有 {width} 个数值（与列数相同），实际 {len(raw_values)} 个")
        values = [self._number(v, f"{loc}[{i + 1}]") for i, v in enumerate(raw_values)]
        return RowSpec(
            number=number,
            label=label,
            values=values,
            unit=unit,
            unit_assigned=explicit and unit is not None,
            group=group,
            note=note,
        )

    def milestone(self, value: Any, loc: str, order: int) -> MilestoneSpec:
        d = self._mapping(
            value,
            loc,
            {
                "title",
                "when",
                "actor",
                "actor_departments",
                "actor_scope",
                "deliverable",
                "deliver_to",
                "late_policy",
                "source_text",
                "form",
            },
            {"title", "when", "actor"},
        )
        try:
            rule = parse_rule(d.get("when"))
        except DateRuleError as exc:
            self.fail(f"{loc}.when", str(exc))
            rule = DateRule(kind="deadline")
        actor = self._choice(d.get("actor"), f"{loc}.actor", ACTORS, "federation")
        departments = [
            name
            for i, v in enumerate(
                self._list(d.get("actor_departments"), f"{loc}.actor_departments")
            )
            if (name := self._department(v, f"{loc}.actor_departments[{i}]"))
        ]
        scope = self._scope(d.get("actor_scope"), f"{loc}.actor_scope")
        if actor == "units" and not scope:
            self.fail(f"{loc}.actor_scope", "actor 为 units 时须写明承办单位范围")
        deliver_to = self._text(d.get("deliver_to"), f"{loc}.deliver_to", required=False)
        if deliver_to and deliver_to != "federation":
            deliver_to = self._department(deliver_to, f"{loc}.deliver_to") or deliver_to
        return MilestoneSpec(
            order=order,
            title=self._text(d.get("title"), f"{loc}.title"),
            rule=rule,
            rule_raw=_jsonable(d.get("when")),
            actor=actor,
            actor_departments=departments,
            actor_scope=scope,
            deliverable=self._text(d.get("deliverable"), f"{loc}.deliverable", required=False),
            deliver_to=deliver_to,
            late_policy=self._choice(
                d.get("late_policy"), f"{loc}.late_policy", LATE_POLICIES, "flag"
            ),
            source_text=self._text(d.get("source_text"), f"{loc}.source_text", required=False),
            form=self._text(d.get("form"), f"{loc}.form", required=False),
        )

    def rubric(self, value: Any, loc: str, order: int) -> RubricSpec:
        d = self._mapping(value, loc, {"title", "attachment", "criteria"}, {"title", "criteria"})
        criteria: list[CriterionSpec] = []
        for i, item in enumerate(self._list(d.get("criteria"), f"{loc}.criteria", required=True)):
            s = self._mapping(
                item, f"{loc}.criteria[{i}]", {"title", "points", "items"}, {"title", "points"}
            )
            criteria.append(self.criterion(s, f"{loc}.criteria[{i}]", f"{i + 1}"))
            for j, sub in enumerate(self._list(s.get("items"), f"{loc}.criteria[{i}].items")):
                t = self._mapping(
                    sub, f"{loc}.criteria[{i}].items[{j}]", {"title", "points"}, {"title", "points"}
                )
                criteria.append(
                    self.criterion(t, f"{loc}.criteria[{i}].items[{j}]", f"{i + 1}.{j + 1}")
                )
        return RubricSpec(
            order=order,
            title=self._text(d.get("title"), f"{loc}.title"),
            attachment=self._text(d.get("attachment"), f"{loc}.attachment", required=False),
            criteria=criteria,
        )

    def criterion(self, d: dict, loc: str, code: str) -> CriterionSpec:
        points = self._number(d.get("points"), f"{loc}.points")
        return CriterionSpec(
            code=code,
            title=self._text(d.get("title"), f"{loc}.title"),
            points=points if points is not None else Decimal(0),
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
