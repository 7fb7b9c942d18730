"""Reading a plan file into plain data, collecting every problem with its location first.

Nothing here touches the database: `read_plan_file` either returns a complete `PlanSpec` or
raises `PlanFileInvalid` listing every problem found, so a broken file is reported in one go.
The reader is one class in parts: the plan, its units and programmes here; indicators and
allocation tables (`indicators`); milestones and rubrics (`steps`); sections other apps read,
such as the records app's forms, through `sections`. The checks are `common.specfile`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pypinyin import lazy_pinyin

from common.specfile import SpecReader
from orgs.resolver import DuplicateSpelling, UnitDirectory, normalise_name
from plans import extensions
from plans.groups import DEFAULT_GROUPS
from plans.planfile.assessment import AssessmentReading
from plans.planfile.data import (
    DEPARTMENT_SOURCES,
    LATE_POLICIES,
    SCOPE_HELP,
    SCOPE_WORDS,
    UNIT_KINDS,
    DepartmentSpec,
    PlanFileInvalid,
    PlanSpec,
    ProgrammeSpec,
    UnitSpec,
)
from plans.planfile.dates import DateRuleError, parse_point
from plans.planfile.indicators import IndicatorReading
from plans.planfile.ranking import RankingGroupReading
from plans.planfile.steps import StepReading
from plans.planfile.supervision import SupervisionReading
from plans.planfile.warning_levels import WarningLevelReading

__all__ = ["PlanFileInvalid", "PlanSpec", "ProgrammeSpec", "read_plan_file"]
# A unit's code is part of addresses (/plans/<plan>/units/<code>/): ASCII only.
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
# A group's code is kept as each programme's `category` (at most 20 characters).
GROUP_CODE = re.compile(r"[a-z][a-z0-9_-]{0,19}")


def unit_code_from(short_name: str, taken: set[str]) -> str:
    """A code for a unit the file gives none: its short name in pinyin (汝州市 → ruzhoushi),
    with -2, -3… after a code the file already has. The same file always gives the same
    codes."""
    letters = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(short_name)).lower())[:36] or "unit"
    code, n = letters, 1
    while code in taken:
        n += 1
        code = f"{letters}-{n}"
    return code


# What PyYAML's messages mean for a person typing a plan file in Chinese, by a word of them.
YAML_PROBLEMS = (
    ("'\\t'", "用了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("mapping values are not allowed", "冒号后应有一个空格；值里含有冒号时，请给整个值加引号"),
    ("could not find expected ':'", "缺少英文冒号「:」，或上下行缩进不一致"),
    ("did not find expected key", "缩进不一致：同一级的各项应左对齐"),
    ("expected <block end>", "缩进不一致：同一级的各项应左对齐"),
    ("expected ',' or '}'", "花括号 { } 没有配对，或项与项之间缺少英文逗号"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，或项与项之间缺少英文逗号"),
    (
        "found unexpected end of stream",
        "文件在引号、括号或花括号中间结束了：请检查是否缺少配对的符号",
    ),
)


def yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """A YAML syntax error in Chinese, with its line and column counted from 1; a full-width
    colon (：) on that line, the usual slip when typing Chinese, is named as the cause."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
    problem = str(getattr(exc, "problem", "") or exc)
    lines = text.splitlines()
    # PyYAML notices a full-width colon only on the line after it.
    for number in (mark.line, mark.line - 1) if mark else ():
        code = lines[number].split("#", 1)[0] if 0 <= number < len(lines) else ""
        if "：" in code and ":" not in code:
            return (
                f"第 {number + 1} 行：用了中文冒号「：」，键和值之间应使用英文冒号「:」加一个空格"
            )
    said = next((words for key, words in YAML_PROBLEMS if key in problem), None)
    return f"{where}YAML 格式错误：{said or problem}"


PROGRAMME_KEYS = {
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
}


def read_plan_file(path: str | Path) -> PlanSpec:
    return read_plan_bytes(Path(path).read_bytes())


def read_plan_bytes(raw: bytes) -> PlanSpec:
    """A plan file's content (a file on disk, or one written by the drafting review)."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PlanFileInvalid(["文件不是 UTF-8 编码"]) from exc
    except yaml.YAMLError as exc:
        raise PlanFileInvalid([yaml_problem(exc, raw.decode("utf-8"))]) from exc
    reader = _Reader()
    spec = reader.plan(data, hashlib.sha256(raw).hexdigest())
    if reader.problems:
        raise PlanFileInvalid([printed_place(p, data) for p in reader.problems])
    spec.warnings = [printed_place(w, data) for w in spec.warnings]
    return spec


# A place's parts as a person counts them, from 1 (`programmes[2].tables[0].rows[12]` is
# 专案7 第1张表 第13行): said after the message, the place itself stays as the file's path.
PLACE_WORDS = {
    "indicators": "第{n}个指标",
    "tables": "第{n}张表",
    "rows": "第{n}行",
    "columns": "第{n}列",
    "milestones": "第{n}个时间节点",
    "rubrics": "第{n}个评分标准",
    "criteria": "第{n}项",
    "forms": "第{n}张统计表",
    "units": "第{n}个单位",
    "departments": "第{n}个部门",
    "ranking_groups": "第{n}个排名分组",
    "kinds": "第{n}个类型",
    "components": "第{n}项考核内容",
    "campaigns": "第{n}个评选",
}
_PART = re.compile(r"(\w+)\[(\d+)\]")


def printed_place(problem: str, data: Any) -> str:
    """`problem` with its place also said as printed: the programme by its own number."""
    place, sep, _message = problem.partition(": ")
    if not sep or "[" not in place:
        return problem
    words = []
    for name, index in _PART.findall(place):
        i = int(index)
        if name == "programmes":
            programmes = data.get("programmes") if isinstance(data, dict) else None
            item = programmes[i] if isinstance(programmes, list) and i < len(programmes) else None
            number = item.get("number") if isinstance(item, dict) else None
            words.append(f"专案{number}" if isinstance(number, int) else f"第{i + 1}个专案")
        elif name in PLACE_WORDS:
            words.append(PLACE_WORDS[name].format(n=i + 1))
    return f"{problem}（{' '.join(words)}）" if words else problem


class _Reader(
    IndicatorReading,
    StepReading,
    RankingGroupReading,
    WarningLevelReading,
    AssessmentReading,
    SupervisionReading,
    SpecReader,
):
    """Walks the parsed YAML; every `_…` helper records a problem and returns a safe default."""

    # -- primitives ------------------------------------------------------------------------
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
            data,
            "文件",
            {
                "plan",
                "departments",
                "units",
                "groups",
                "programmes",
                "bulletin",
                "ranking_groups",
                "warnings",
                "assessment",
                "supervision",
            },
            {"plan", "units"},
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
                "parent",
            },
            # A plan from a newspaper or a meeting has no document number.
            {"slug", "title", "year", "issuer", "issued_on"},
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
        groups = self.groups(top.get("groups"))
        programmes = self.programmes(top.get("programmes"), groups)
        return PlanSpec(
            slug=slug,
            title=self._text(head.get("title"), "plan.title"),
            year=year,
            issuer=issuer_unit or "",
            doc_number=self._text(head.get("doc_number"), "plan.doc_number", required=False),
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
            parent=self._parent(head.get("parent"), programmes),
            groups=groups,
            bulletin=self.bulletin(top.get("bulletin")),
            ranking_groups=self.ranking_groups(top.get("ranking_groups"), units),
            warning_levels=self.warning_levels(top.get("warnings")),
            assessment=self.assessment(top.get("assessment"), programmes),
            sign_days=self.sign_days(top.get("supervision")),
            warnings=self._dates_outside(year, programmes),
        )

    def groups(self, value: Any) -> list[tuple[str, str]]:
        """`groups: {action: 五大行动, practical_matter: 十件实事}`, in order; none: those two."""
        if value is None:
            return list(DEFAULT_GROUPS)
        if not isinstance(value, dict) or not value:
            self.fail("groups", "应为「代码: 名称」的映射，如 action: 五大行动")
            return list(DEFAULT_GROUPS)
        result: list[tuple[str, str]] = []
        for code, name in value.items():
            loc = f"groups.{code}"
            if not isinstance(code, str) or not GROUP_CODE.fullmatch(code):
                self.fail(
                    loc,
                    f"代码「{code}」只能用小写英文字母、数字、下划线和连字符，以字母开头，"
                    "最多 20 个字符，如 action",
                )
                continue
            text = self._text(name, loc)
            if text and text in (n for _c, n in result):
                self.fail(loc, f"分组名称「{text}」重复")
            elif text:
                result.append((code, text))
        return result or list(DEFAULT_GROUPS)

    def bulletin(self, value: Any) -> dict[str, str]:
        """`bulletin: {title: …, addressees: …}`; the addressees as one line or a list."""
        if value is None:
            return {}
        b = self._mapping(value, "bulletin", {"title", "addressees"}, set())
        result = {}
        if title := self._text(b.get("title"), "bulletin.title", required=False):
            result["title"] = title
        addressees = b.get("addressees")
        if isinstance(addressees, list):
            names = [self._text(a, f"bulletin.addressees[{i}]") for i, a in enumerate(addressees)]
            addressees = "，".join(n for n in names if n)
        if text := self._text(addressees, "bulletin.addressees", required=False):
            result["addressees"] = text
        return result

    def _dates_outside(self, year: int, programmes: list[ProgrammeSpec]) -> list[str]:
        """Dates of steps and targets outside the plan's year: a 2021 typed for 2022 makes
        obligations overdue the day they are made. A step may run into the next January (a
        December report falls due then), so only later or other years are said."""
        said = []
        for pi, p in enumerate(programmes):
            places = [
                (f"programmes[{pi}].indicators[{j}].due", [i.due])
                for j, i in enumerate(p.indicators)
            ] + [
                (
                    f"programmes[{pi}].milestones[{j}].when",
                    [m.rule.start, m.rule.end, *m.rule.dates],
                )
                for j, m in enumerate(p.milestones)
            ]
            said.extend(
                f"{loc}: 日期 {day:%Y-%m-%d} 不在方案年度 {year} 年内，请核对"
                for loc, days in places
                for day in sorted({d for d in days if d is not None})
                if day.year != year and (day.year, day.month) != (year + 1, 1)
            )
        return said

    def _parent(self, value: Any, programmes: list[ProgrammeSpec]) -> str:
        """The parent plan's slug; an indicator may serve a parent indicator only under one
        (whether both exist is the database's to say: plans.cascade)."""
        parent = self._text(value, "plan.parent", required=False)
        if not parent:
            for pi, p in enumerate(programmes):
                for j, i in enumerate(p.indicators):
                    if i.serves:
                        self.fail(
                            f"programmes[{pi}].indicators[{j}].serves",
                            "只有写明上级方案（plan.parent）的方案，指标才能服务上级指标",
                        )
        return parent

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
                {"code", "name", "short_name", "kind", "parent", "aliases", "existing"},
                {"name", "short_name", "kind"},
            )
            code = self._text(u.get("code"), f"{loc}.code", required=False)
            if not code and "code" not in u:
                code = unit_code_from(self._text(u.get("short_name"), f"{loc}.short_name"), codes)
            if code and not UNIT_CODE.fullmatch(code):
                self.fail(
                    f"{loc}.code",
                    f"代码「{code}」只能用小写英文字母、数字和连字符（-），以字母或数字开头，"
                    "最多 40 个字符，如 ruzhou、pingmei-group",
                )
            existing = u.get("existing", False)
            if not isinstance(existing, bool):
                self.fail(f"{loc}.existing", "应为 true 或 false")
                existing = False
            unit = UnitSpec(
                code=code,
                name=self._text(u.get("name"), f"{loc}.name"),
                short_name=self._text(u.get("short_name"), f"{loc}.short_name"),
                kind=self._choice(u.get("kind"), f"{loc}.kind", UNIT_KINDS, "other"),
                parent=self._text(u.get("parent"), f"{loc}.parent", required=False) or None,
                aliases=[
                    self._text(a, f"{loc}.aliases")
                    for a in self._list(u.get("aliases"), f"{loc}.aliases")
                ],
                existing=existing,
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
        """Every unit's spellings. A spelling claimed by two units is said once and left out,
        so that only the rows naming it fail, not every row of every table."""
        owners: dict[str, list[str]] = {}
        for u in units:
            for spelling in u.spellings():
                names = owners.setdefault(normalise_name(spelling), [])
                if u.name not in names:
                    names.append(u.name)
        shared = {key for key, names in owners.items() if len(names) > 1}
        for u in units:
            for spelling in u.spellings():
                key = normalise_name(spelling)
                if key in shared:
                    first, second = owners[key][:2]
                    self.fail("units", f"名称「{spelling}」同时属于「{first}」和「{second}」")
                    shared.discard(key)
                    owners[key] = []  # said once
        ambiguous = {key for key, names in owners.items() if not names}
        try:
            return UnitDirectory(
                (u.name, [s for s in u.spellings() if normalise_name(s) not in ambiguous])
                for u in units
            )
        except DuplicateSpelling as exc:  # kept for safety: every shared spelling is out
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
            elif text in SCOPE_WORDS:
                scope.extend(k for k in SCOPE_WORDS[text] if k not in scope)
            elif text:
                result = self._directory.resolve(text)
                if result.ok:
                    scope.append(result.unit)
                else:
                    self.fail(
                        f"{loc}[{i}]",
                        f"{result.message}；范围可写单位名称，或单位类型：{SCOPE_HELP}，"
                        f"或 {'、'.join(w for w in SCOPE_WORDS if '（' in w or w == '县市区')}",
                    )
        return scope

    def _department(self, value: Any, loc: str) -> str | None:
        name = self._text(value, loc)
        if name and name not in self._department_canonical:
            self.fail(loc, f"部门「{name}」不在 departments 中")
            return None
        return self._department_canonical.get(name)

    def programmes(self, value: Any, groups: list[tuple[str, str]]) -> list[ProgrammeSpec]:
        result: list[ProgrammeSpec] = []
        group_codes = tuple(code for code, _name in groups)
        numbers: set[int] = set()
        self._indicator_codes: set[str] = set()
        table_codes: set[str] = set()
        extra = extensions.programme_sections()
        items = self._list(value, "programmes")
        for i, item in enumerate(items):
            loc = f"programmes[{i}]"
            p = self._mapping(
                item,
                loc,
                PROGRAMME_KEYS | set(extra),
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
                category=self._category(p.get("category"), f"{loc}.category", group_codes),
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
                self.rubric(r, f"{loc}.rubrics[{j}]", j, own_codes)
                for j, r in enumerate(self._list(p.get("rubrics"), f"{loc}.rubrics"))
            ]
            result.append(programme)
        self.parts(result)
        # Other apps' sections (the records app's forms) may refer to any programme's
        # indicator, so they are read once all are known.
        indicator_codes = {i.code for p in result for i in p.indicators}
        for key, reader_class in extra.items():
            section = reader_class(self.problems, indicator_codes)
            if hasattr(section, "bind"):  # a section over others (records' unit_rules)
                section.bind(programmes=result, reader=self)
            for i, (item, programme) in enumerate(zip(items, result, strict=True)):
                raw = item.get(key) if isinstance(item, dict) else None
                programme.sections[key] = section.read(raw, f"programmes[{i}].{key}")
        for i, programme in enumerate(result):
            own_forms = {f.code for f in programme.forms}
            for j, milestone in enumerate(programme.milestones):
                if milestone.form and milestone.form not in own_forms:
                    self.fail(
                        f"programmes[{i}].milestones[{j}].form",
                        f"本专案没有代码为「{milestone.form}」的统计表",
                    )
        return result

    def _category(self, value: Any, loc: str, codes: tuple[str, ...]) -> str:
        if value not in codes:
            self.fail(loc, f"「{value}」不是 groups 中的分组代码（可用：{'、'.join(codes)}）")
            return codes[0]
        return value

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
