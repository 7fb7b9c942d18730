"""What importing a unit list would do to each unit: create it, change it (aliases only
added), add it to the plan, leave it, or refuse (another federation's unit, a code in use, a
spelling of another unit, a parent that is not there or a parent that is its own)."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgs.models import Unit
from plans.importing import directory_of, fingerprint, key, unit_spellings
from plans.models import Plan
from plans.planfile.spec import unit_code_from
from plans.unit_import.sheet import KIND_LABELS, UnitLine, UnitSheet


@dataclass
class UnitPreview:
    line: int
    name: str
    # new: a unit to create; update: one of the federation's, changed; add: unchanged, joins
    # the plan; same: in the plan, nothing to change; other: another federation's, in the plan
    # and left as it is; error: see `problems`.
    action: str
    unit: Unit | None = None
    via: str = ""  # name / core: how the resolver found `unit`
    code: str = ""
    code_generated: bool = False
    short_name: str = ""
    kind: str = ""
    parent: Unit | None = None
    parent_row: int | None = None  # the index of a new unit of this file that is the parent
    parent_name: str = ""
    parent_default: bool = False
    aliases: list[str] = field(default_factory=list)  # the ones to add
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


@dataclass
class UnitsPreview:
    plan: Plan
    sheet: UnitSheet
    rows: list[UnitPreview]
    fingerprint: str
    blockers: list[str]

    @property
    def counts(self) -> dict[str, int]:
        """Rows by action (new, update, add, same, other, error)."""
        found = dict.fromkeys(("new", "update", "add", "same", "other", "error"), 0)
        for row in self.rows:
            found[row.action] += 1
        return found

    @property
    def errors(self) -> int:
        return sum(bool(r.problems) for r in self.rows)

    @property
    def ready(self) -> bool:
        return not self.sheet.problems and not self.errors and not self.blockers

    @property
    def writes(self) -> int:
        return sum(r.action in ("new", "update", "add") for r in self.rows)


def _pool(plan: Plan) -> list[Unit]:
    """The federation's own units and the plan's (another federation's used as they are)."""
    units = Unit.objects.select_related("parent", "federation").prefetch_related("aliases")
    own = list(units.filter(federation_id=plan.issuer_id))
    seen = {u.pk for u in own}
    return own + [u for u in units.filter(plans=plan) if u.pk not in seen]


def plan_units_preview(*, plan: Plan, sheet: UnitSheet) -> UnitsPreview:
    """What importing `sheet` into `plan`'s unit list would do to each unit."""
    pool = _pool(plan)
    in_plan = set(plan.units.values_list("pk", flat=True))
    directory = directory_of(pool)
    spelled: dict[str, Unit] = {}
    for unit in pool:
        for spelling in unit_spellings(unit):
            spelled.setdefault(key(spelling), unit)
    # Every code in use, everywhere: a unit's code is unique across federations.
    codes = {
        code: (name, federation_id, federation)
        for code, name, federation_id, federation in Unit.objects.values_list(
            "code", "name", "federation_id", "federation__name"
        )
    }
    rows = [_row(r, directory, plan, in_plan) for r in sheet.rows]
    new_spelled = _spellings_of_new(sheet.rows, rows, spelled)
    taken = set(codes) | {r.code for r in sheet.rows if r.code}
    # The issuer is in the pool (its own, or in its plan): no query for it.
    issuer = next((u for u in pool if u.pk == plan.issuer_id), None) or plan.issuer
    for line, row in zip(sheet.rows, rows, strict=True):
        if row.action == "new":
            _new_code(line, row, codes, plan, taken)
        _parent(line, row, directory, new_spelled, issuer)
    _cycles(rows, {u.pk: u.parent_id for u in pool})
    for row in rows:
        if row.problems:
            row.action = "error"
    blockers = [plan.closed_refusal] if plan.is_closed else []
    state = sorted(
        (u.pk, u.code, u.name, u.short_name, u.kind, u.parent_id, sorted(unit_spellings(u)))
        for u in pool
    )
    planned = [
        (
            r.action,
            r.unit.pk if r.unit else None,
            r.code,
            r.short_name,
            r.kind,
            r.parent.pk if r.parent else None,
            r.parent_row,
            r.aliases,
        )
        for r in rows
    ]
    return UnitsPreview(
        plan=plan,
        sheet=sheet,
        rows=rows,
        blockers=blockers,
        fingerprint=fingerprint(plan.pk, planned, state, sorted(in_plan)),
    )


def _row(r: UnitLine, directory, plan: Plan, in_plan: set[int]) -> UnitPreview:
    found = directory.resolve(r.name)
    row = UnitPreview(line=r.line, name=r.name, action="new", short_name=r.short_name, kind=r.kind)
    if found.ambiguous:
        names = "、".join(u.name for u in found.candidates)
        row.problems.append(f"「{r.name}」有歧义，可能是：{names}；请写单位全称")
        row.action = "error"  # neither a new unit nor one found
        return row
    if not found.ok:
        if not r.short_name:
            row.problems.append("新单位须填写简称")
        if not r.kind:
            row.problems.append("新单位须填写类型")
        row.aliases = list(dict.fromkeys(r.aliases))
        return row
    unit = found.unit
    row.unit, row.via, row.code = unit, found.via, unit.code
    row.short_name, row.kind = unit.short_name, unit.kind
    have = {key(s) for s in unit_spellings(unit)}
    row.aliases = [a for a in dict.fromkeys(r.aliases) if key(a) not in have]
    if r.code and r.code != unit.code:
        row.problems.append(
            f"代码「{r.code}」与已有单位「{unit.name}」的代码「{unit.code}」不同"
            "（已有单位的代码不能修改，可留空）"
        )
    if r.short_name and r.short_name != unit.short_name:
        row.changes.append(f"简称 {unit.short_name} → {r.short_name}")
        row.short_name = r.short_name
    if r.kind and r.kind != unit.kind:
        row.changes.append(f"类型 {unit.get_kind_display()} → {KIND_LABELS[r.kind]}")
        row.kind = r.kind
    if row.aliases:
        row.changes.append(f"新增别名 {'、'.join(row.aliases)}")
    if unit.federation_id != plan.issuer_id:
        row.action = "other"
        if row.changes or (r.parent and key(r.parent) not in _parent_keys(unit)):
            owner = unit.federation.name if unit.federation else "其他工会"
            asked = "；".join(row.changes) or "上级"
            row.problems.append(f"「{unit.name}」是{owner}的单位，本工会不能修改（{asked}）")
        return row
    row.action = "update" if row.changes else ("same" if unit.pk in in_plan else "add")
    return row


def _parent_keys(unit: Unit) -> set[str]:
    parent = unit.parent
    return {key(parent.name), key(parent.short_name)} if parent else set()


def _spellings_of_new(lines, rows, spelled: dict[str, Unit]) -> dict[str, int]:
    """Every spelling of the file's new units → its row's index (a parent may be one of
    them). Each spelling a row adds is checked against those of every unit already there and
    of the file's other rows: one spelling, one unit."""
    mine: dict[str, int] = {}
    for i, (line, row) in enumerate(zip(lines, rows, strict=True)):
        if row.action == "error":
            continue
        words = [line.short_name, *row.aliases]
        if row.unit is None:
            words.insert(0, line.name)
        for word in words:
            k = key(word)
            other = spelled.get(k)
            if not k or (row.unit is not None and other == row.unit):
                continue
            if other is not None:
                row.problems.append(f"「{word}」已是单位「{other.name}」的名称或别名")
            elif k in mine and mine[k] != i:
                row.problems.append(f"「{word}」与第 {rows[mine[k]].line} 行的单位重名")
            else:
                mine.setdefault(k, i)
    return {k: i for k, i in mine.items() if rows[i].unit is None}


def _new_code(line: UnitLine, row: UnitPreview, codes, plan: Plan, taken: set[str]) -> None:
    """The new unit's code: as written, unless a unit has it already; else made from its
    short name in pinyin, as loadplan makes it (-2, -3… after a code in use)."""
    if not line.code:
        row.code = unit_code_from(line.short_name or line.name, taken)
        row.code_generated = True
        taken.add(row.code)
        return
    row.code = line.code
    if line.code not in codes:
        return
    name, federation_id, federation = codes[line.code]
    if federation_id == plan.issuer_id:
        row.problems.append(
            f"代码「{line.code}」已被本工会的单位「{name}」使用；如指该单位，请把名称写成「{name}」"
        )
    else:
        row.problems.append(
            f"代码「{line.code}」已被{federation or '其他工会'}的单位「{name}」使用，"
            "请换一个代码（或留空自动生成）；其他工会的单位只能在方案文件中以 existing: true 引用"
        )


def _parent(line: UnitLine, row: UnitPreview, directory, new_spelled, issuer: Unit) -> None:
    if not line.parent:
        if row.action == "new":
            row.parent, row.parent_default = issuer, True
        else:
            row.parent = row.unit.parent if row.unit else None
        return
    row.parent_name = line.parent
    found = directory.resolve(line.parent)
    if found.ok:
        row.parent = found.unit
    elif key(line.parent) in new_spelled:
        row.parent_row = new_spelled[key(line.parent)]
    else:
        row.problems.append(found.message.replace("单位", "上级单位", 1))
        return
    if row.unit is None or row.action not in ("update", "same", "add"):
        return
    if row.parent_row is not None or row.parent != row.unit.parent:
        new = row.parent or line.parent
        row.changes.append(f"上级 {row.unit.parent or '（无）'} → {new}")
        row.action = "update"


def _cycles(rows: list[UnitPreview], db_parent: dict[int, int | None]) -> None:
    """A unit may not end up its own ancestor (its parent changed to one of its own)."""
    parent_of: dict[object, object] = {}
    for i, row in enumerate(rows):
        me = row.unit.pk if row.unit else ("new", i)
        if row.parent_row is not None:
            parent_of[me] = ("new", row.parent_row)
        else:
            parent_of[me] = row.parent.pk if row.parent else None
    for i, row in enumerate(rows):
        me = row.unit.pk if row.unit else ("new", i)
        seen, at = {me}, parent_of.get(me)
        while at is not None:
            if at in seen:
                if at == me:
                    row.problems.append(
                        "上级关系成环：单位不能是自己的上级，也不能在自己的下级之下"
                    )
                break
            seen.add(at)
            at = parent_of[at] if at in parent_of else db_parent.get(at)
