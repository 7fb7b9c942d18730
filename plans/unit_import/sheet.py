"""Reading a unit list's sheet: its columns by header, each unit's kind from its words, every
problem the sheet alone shows (with its row and column)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from orgs.models import Unit
from plans.importing import column_letter, header_index, key, text
from plans.models import Plan
from plans.planfile.data import SCOPE_WORDS
from plans.planfile.spec import UNIT_CODE

SALT = "plans.unit_import"
# Field → the headers it is found under (compared without spaces, half-width).
HEADERS = {
    "name": ("名称", "全称", "单位名称", "单位全称", "单位"),
    "short_name": ("简称", "单位简称"),
    "kind": ("类型", "单位类型"),
    "parent": ("上级", "上级单位"),
    "code": ("代码", "单位代码"),
    "aliases": ("别名", "其他名称"),
}
IGNORED_HEADERS = ("序号", "备注", "说明")
MAX_UNIT_ROWS = 3000
ALIAS_SEPARATORS = re.compile(r"[、，,；;\n]+")
KIND_LABELS = dict(Unit.Kind.choices)
# A kind as written: its Chinese name (plans.levels' words), a scope word naming one kind
# (plans.planfile.data), the code, and a few short forms people type.
KIND_WORDS = (
    {key(label): code for code, label in Unit.Kind.choices}
    | {key(w): codes[0] for w, codes in SCOPE_WORDS.items() if len(codes) == 1}
    | {code: code for code in Unit.Kind.values}
    | {"县级市": "county_city", "县": "county", "区": "district", "其它": "other"}
)
KIND_GROUPS = {key(w): codes for w, codes in SCOPE_WORDS.items() if len(codes) > 1}
NO_NAME_COLUMN = (
    "没有找到「名称」列：表头中应有「名称」（单位全称）一列，其余可有简称、类型、上级、代码、别名"
)


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str
    reason: str


@dataclass
class UnitLine:
    line: int
    name: str
    short_name: str = ""
    kind: str = ""  # a Unit.Kind value, "" when not given
    parent: str = ""
    code: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class UnitSheet:
    file: str
    rows: list[UnitLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def payload(self, *, plan: Plan, actor) -> dict:
        return {
            "plan": plan.pk,
            "actor": actor.pk,
            "file": self.file,
            "ignored": self.ignored,
            # Carried, so that a confirmation of a sheet with problems stays refused.
            "problems": [[p.line, p.column, p.reason] for p in self.problems],
            "rows": [
                [r.line, r.name, r.short_name, r.kind, r.parent, r.code, r.aliases]
                for r in self.rows
            ],
        }

    @classmethod
    def from_payload(cls, data: dict) -> UnitSheet:
        return cls(
            file=data["file"],
            ignored=list(data.get("ignored", [])),
            problems=[Problem(*p) for p in data.get("problems", [])],
            rows=[UnitLine(*row) for row in data["rows"]],
        )


def unit_sheet_read(*, sheet, file: str) -> UnitSheet:
    """The units `sheet` lists, with every problem the sheet alone shows."""
    result = UnitSheet(file=file)
    problem = result.problems.append
    fields = {k: f for f, words in HEADERS.items() for k in words}
    h = header_index(sheet.rows, lambda k: k in HEADERS["name"])
    if h is None:
        problem(Problem(None, "", NO_NAME_COLUMN))
        return result
    line = sheet.numbers[h]
    at: dict[str, int] = {}
    for i, cell in enumerate(sheet.rows[h]):
        k = key(cell)
        if k in fields and fields[k] not in at:
            at[fields[k]] = i
        elif k in IGNORED_HEADERS:
            result.ignored.append(text(cell))
        elif k:
            problem(
                Problem(
                    line,
                    f"{column_letter(i)}列",
                    f"「{text(cell)}」不是可导入的列（可用：名称、简称、类型、上级、代码、别名）",
                )
            )
    if result.problems:
        return result
    names: dict[str, int] = {}
    codes: dict[str, int] = {}
    for pos in range(h + 1, len(sheet.rows)):
        row, line = sheet.rows[pos], sheet.numbers[pos]

        def cell(name, row=row):
            i = at.get(name)
            return text(row[i]) if i is not None and i < len(row) else ""

        unit = UnitLine(
            line=line,
            name=cell("name"),
            short_name=cell("short_name"),
            parent=cell("parent"),
            code=cell("code"),
            aliases=[a.strip() for a in ALIAS_SEPARATORS.split(cell("aliases")) if a.strip()],
        )
        if not any([unit.name, unit.short_name, unit.parent, unit.code, unit.aliases]):
            continue
        if not unit.name:
            problem(Problem(line, "名称", "名称不能为空"))
            continue
        _check_lengths(unit, problem)
        unit.kind = _kind(cell("kind"), line, problem)
        if unit.code and not UNIT_CODE.fullmatch(unit.code):
            problem(
                Problem(
                    line,
                    "代码",
                    f"代码「{unit.code}」只能用小写英文字母、数字和连字符"
                    "（-），以字母或数字开头，最多 40 个字符；也可留空自动生成",
                )
            )
        if key(unit.name) in names:
            problem(Problem(line, "名称", f"「{unit.name}」与第 {names[key(unit.name)]} 行重复"))
        names.setdefault(key(unit.name), line)
        if unit.code and unit.code in codes:
            problem(Problem(line, "代码", f"代码「{unit.code}」与第 {codes[unit.code]} 行重复"))
        codes.setdefault(unit.code, line)
        result.rows.append(unit)
    if len(result.rows) > MAX_UNIT_ROWS:
        problem(Problem(None, "", f"超过 {MAX_UNIT_ROWS} 个单位，请分成几个文件导入"))
    elif not result.rows and not result.problems:
        problem(Problem(None, "", "表头下面没有任何单位"))
    return result


def _check_lengths(unit: UnitLine, problem) -> None:
    for name, value, most in (
        ("名称", unit.name, 100),
        ("简称", unit.short_name, 50),
        ("上级", unit.parent, 100),
    ):
        if len(value) > most:
            problem(Problem(unit.line, name, f"最多 {most} 个字"))
    for alias in unit.aliases:
        if len(alias) > 100:
            problem(Problem(unit.line, "别名", f"别名「{alias[:20]}…」超过 100 个字"))


def _kind(written: str, line: int, problem) -> str:
    if not written:
        return ""
    k = key(written)
    if k in KIND_WORDS:
        return KIND_WORDS[k]
    if k in KIND_GROUPS:
        options = "、".join(KIND_LABELS[c] for c in KIND_GROUPS[k])
        problem(Problem(line, "类型", f"「{written}」包含几种类型，请写其中一种：{options}"))
    else:
        problem(
            Problem(
                line,
                "类型",
                f"无法识别类型「{written}」（可写：{'、'.join(KIND_LABELS.values())}）",
            )
        )
    return ""
