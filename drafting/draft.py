"""A draft plan from a notice, in `dumpplan`'s JSON shape, each item with its source text.

The draft is what a careful reader would write down on a first pass: programmes, targets,
per-unit rules, allocation tables with their printed totals, dated steps with who acts and to
whom things are delivered. It is a proposal for staff to review beside the notice, never a
plan by itself: nothing here is loaded without a person accepting it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from drafting import actors
from drafting.notice import Notice, Paragraph
from drafting.programmes import Segment, segment
from drafting.steps import dates_in
from drafting.tables import DraftTable, read_table
from drafting.targets import DraftTarget, targets_in
from orgs.resolver import UnitDirectory
from plans.planfile.dates import DateRuleError, parse_rule

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(\d{4})〕\d+号")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
SENTENCE = re.compile(r"[^。；;]+[。；;]?")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def draft_plan(
    notice: Notice,
    *,
    units: Iterable | None = None,
    departments: Iterable[tuple[str, Iterable[str]]] = (),
    year: int | None = None,
) -> dict:
    """`units`: the federation's known units (orgs.Unit with aliases prefetched) to resolve
    table rows against; `departments`: (name, aliases) of its departments."""
    segments = segment(notice)
    header = _plan_header(notice, segments, year)
    directory = UnitDirectory.from_units(units) if units is not None else None
    known_departments = _department_index(departments)
    drafted = {s.number: _indicators(s) for s in segments}
    _rehome_tables(segments, drafted)
    programmes = [
        _programme(s, drafted[s.number], header["year"], directory, known_departments)
        for s in segments
    ]
    return {
        "plan": header,
        "units": _units(programmes, directory, header["issuer"]),
        "programmes": programmes,
        "consistency": [],
    }


def _plan_header(notice: Notice, segments: list[Segment], year: int | None) -> dict:
    paragraphs = notice.paragraphs
    first = segments[0].heading.index if segments else len(notice.blocks)
    front = [p for p in paragraphs if p.index < first]
    doc = next((m for p in front for m in [DOC_NUMBER.search(p.text)] if m), None)
    dated = [m for p in front for m in [DATE_LINE.match(p.text)] if m]
    if year is None:
        year = int(doc[1]) if doc else int(dated[-1][1]) if dated else _common_year(notice)
    title_line = next(
        (
            p.text
            for p in reversed(front)
            if 8 <= len(p.text) <= 120
            and not re.search(r"[，。；：]", p.text)
            and not DATE_LINE.match(p.text)
            and not DOC_NUMBER.search(p.text)
        ),
        "",
    )
    issuer = next((p.text for p in front if re.search(r"(总工会|工会)$", p.text)), "")
    issued = dated[-1] if dated else None
    return {
        "slug": f"draft-{year}",
        "title": re.sub(r"^关于|的通知$", "", title_line),
        "year": year,
        "issuer": issuer,
        "doc_number": doc.group() if doc else "",
        "issued_on": (
            f"{int(issued[1]):04d}-{int(issued[2]):02d}-{int(issued[3]):02d}" if issued else None
        ),
        "source": {"doc_number": doc.group() if doc else "", "title": title_line},
    }


def _common_year(notice: Notice) -> int:
    years = re.findall(r"(20\d\d)年", notice.text)
    return max(set(years), key=years.count) if years else 2022


def _department_index(departments: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, aliases in departments:
        for spelling in (name, *aliases):
            index[spelling] = name
            index[re.sub(r"^市总", "", spelling)] = name
    return index


def _department(name: str, index: dict[str, str]) -> str:
    if not index:
        return name
    return index.get(name) or index.get(re.sub(r"^市总|^市", "", name)) or name


def _rehome_tables(segments: list[Segment], drafted: dict[int, list[dict]]) -> None:
    """A table the text does not name, printed after the last programme (annexes at the end),
    goes to the programme with a target equal to one of its printed totals."""
    if not segments:
        return
    last = segments[-1]
    for entry in list(last.tables):
        table, _label, title = entry
        if title and last.mentions(title):
            continue
        totals = read_table(table).declared_total or []
        wanted = {_number(t) for t in totals if t is not None}
        owners = [
            s for s in segments
            if any(i["target"] in wanted for i in drafted[s.number] if i["target"] is not None)
        ]  # fmt: skip
        if len(owners) == 1 and owners[0] is not last:
            last.tables.remove(entry)
            owners[0].tables.append(entry)


def _programme(
    seg: Segment,
    indicators: list[dict],
    year: int,
    directory: UnitDirectory | None,
    departments: dict,
) -> dict:
    tables = _tables(seg, indicators, directory)
    named = actors.departments_named(seg.text)
    return {
        "number": seg.number,
        "title": seg.title,
        "category": "action" if "行动" in seg.title else "practical_matter",
        "departments": list(dict.fromkeys(_department(n, departments) for n in named)),
        "department_sources": {_department(n, departments): "text" for n in named},
        "indicators": indicators,
        "tables": tables,
        "milestones": _milestones(seg, year, departments),
        "rubrics": [],
        "source": seg.heading.text,
    }


def _indicators(seg: Segment) -> list[dict]:
    seen: list[tuple[tuple, str]] = []
    result: list[dict] = []
    for passage in seg.passages:
        if passage.manner:
            continue
        for found in targets_in(passage.paragraph.text):
            # A goal is often repeated among the measures (不少于10支服务分队, twice): the same
            # figure of nearly the same thing is one target.
            key = (found.target, found.denominator, found.measure, found.comparator,
                   repr(found.per_unit))  # fmt: skip
            if any(k == key and _similar(name, found.name) for k, name in seen):
                continue
            seen.append((key, found.name))
            entry = _indicator(seg, len(result) + 1, found, passage.paragraph)
            whole = next(
                (x for x in reversed(result) if x["paragraph"] == passage.paragraph.index
                 and not x.get("part_of") and x["measure"] == entry["measure"]),
                None,
            )  # fmt: skip
            if found.source.startswith("其中") and whole is not None:
                entry["part_of"] = whole["code"]  # 资金1000万元，其中300万元用于…
            result.append(entry)
    return result


ALL_UNIT_KINDS = ["county_city", "county", "district", "zone", "industry_union", "organ_union",
                  "enterprise_union"]  # fmt: skip


def _indicator(seg: Segment, k: int, found: DraftTarget, paragraph: Paragraph) -> dict:
    if found.per_unit is not None and "scope" not in found.per_unit:
        # 每个单位: the units the sentence names as acting, else every unit of the plan
        sentence = next(
            (s for s in re.split(r"[。；]", paragraph.text) if found.source in s), paragraph.text
        )
        found.per_unit["scope"] = actors.unit_scope(sentence) or ALL_UNIT_KINDS
    if found.target is not None and found.denominator != 1:
        target: int | float | str | None = f"{_number(found.target)}/{found.denominator}"
    else:
        target = _number(found.target)
    return {
        "code": f"P{seg.number:02d}-{k}",
        "name": found.name,
        "measure": found.measure,
        "target": target,
        "comparator": None if found.per_unit else found.comparator,
        "due": None,
        "period": None,
        "per_unit": found.per_unit,
        "table": None,
        "declared_total": None,
        "allocations": {},
        "unassigned": {},
        "source": found.source,
        "printed": found.printed,
        "paragraph": paragraph.index,
    }


def _tables(seg: Segment, indicators: list[dict], directory: UnitDirectory | None) -> list[dict]:
    result = []
    for table, label, title in seg.tables:
        drafted = read_table(table)
        if drafted.kind != "allocation":
            continue
        code = f"T{seg.number:02d}{chr(ord('a') + len(result))}"
        columns = _columns(seg, drafted, indicators)
        rows = []
        for row in drafted.rows:
            resolution = directory.resolve(row.label) if directory else None
            unit = resolution.unit.name if resolution and resolution.ok else None
            rows.append(
                {
                    "label": row.label,
                    "unit": unit,
                    "values": [_number(v) for v in row.values],
                    "group": row.group,
                    "note": row.note,
                    "resolution": _resolution(row.label, resolution),
                    "source": row.source,
                }
            )
            for i, value in enumerate(row.values):
                if value is None:
                    continue
                indicator = columns[i]
                bucket = indicator["allocations"] if unit else indicator["unassigned"]
                bucket[unit or row.label] = _number(value)
        for i, indicator in enumerate(columns):
            indicator["table"] = code
            if drafted.declared_total is not None and i < len(drafted.declared_total):
                indicator["declared_total"] = _number(drafted.declared_total[i])
        result.append(
            {
                "code": code,
                "block": table.index,
                "attachment": label,
                "title": title,
                "headers": drafted.headers,
                "measures": drafted.measures,
                "columns": [c["code"] for c in columns],
                "rows": rows,
                "declared_total": (
                    [_number(v) for v in drafted.declared_total]
                    if drafted.declared_total is not None
                    else None
                ),
                "source": drafted.source,
            }
        )
    return result


NOT_UNITS = ("其它", "其他", "其余", "机关事业单位")


def _resolution(label: str, resolution) -> dict:
    if label.strip() in NOT_UNITS and not (resolution and resolution.ok):
        return {"status": "not_unit", "candidates": []}
    if resolution is None:
        return {"status": "new", "candidates": []}
    if resolution.ok:
        return {"status": "resolved", "via": resolution.via, "candidates": []}
    status = "ambiguous" if resolution.ambiguous else "unknown"
    return {"status": status, "candidates": [c.name for c in resolution.candidates]}


def _columns(seg: Segment, drafted: DraftTable, indicators: list[dict]) -> list[dict]:
    """The indicator each column allocates: the one whose target is the column's printed
    total, else the one with the column's measure and a shared word, else a new one."""
    chosen: list[dict] = []
    for i, header in enumerate(drafted.headers):
        measure = drafted.measures[i]
        total = drafted.declared_total[i] if drafted.declared_total else None
        free = [x for x in indicators if x not in chosen and x["table"] is None]
        match = next(
            (
                # the printed total is the target: the same figure, whatever the header's
                # measure (a table counts 个 where the text says 家)
                x for x in free
                if total is not None and x["target"] == _number(total)
            ),
            None,
        ) or next(
            (
                x for x in free
                if (not measure or x["measure"] == measure) and _shared(header, x["name"]) >= 2
            ),
            None,
        )  # fmt: skip
        if match is None:
            name = re.sub(r"[（(][^）)]*[）)]$", "", header) or header
            match = {
                "code": f"P{seg.number:02d}-{len(indicators) + 1}",
                "name": name,
                "measure": measure,
                "target": None,
                "comparator": None,
                "due": None,
                "period": None,
                "per_unit": None,
                "table": None,
                "declared_total": None,
                "allocations": {},
                "unassigned": {},
                "source": header,
                "printed": "",
                "paragraph": None,
            }
            indicators.append(match)
        elif not match["measure"] and measure:
            match["measure"] = measure
        chosen.append(match)
    return chosen


def _similar(a: str, b: str) -> bool:
    shorter = min(len(set(a)), len(set(b))) or 1
    return len(set(a) & set(b)) / shorter >= 0.85


def _shared(a: str, b: str) -> int:
    """Characters two phrases share, ignoring the commonest filler."""
    filler = set("的和与及等个人名家项份次场")
    return len((set(a) & set(b)) - filler)


def _milestones(seg: Segment, year: int, departments: dict) -> list[dict]:
    steps: list[dict] = []
    seen: set = set()
    # Every sentence of the programme in order, so a date line (时间安排：2022年4月, 动员部署
    # 阶段（3月中旬-4月下旬）。) can read who acts from the sentence that follows it.
    sentences = [
        (passage, match.group().strip())
        for passage in seg.passages
        for match in SENTENCE.finditer(passage.paragraph.text)
    ]
    for n, (passage, sentence) in enumerate(sentences):
        heading = passage.section.split(" ")[-1] if passage.section else ""
        found = dates_in(sentence, year)
        if not found:
            continue
        following = " ".join(s for _p, s in sentences[n + 1 : n + 3])
        for i, step in enumerate(found):
            end = found[i + 1].start if i + 1 < len(found) else len(sentence)
            title = _step_title(sentence, step.start, step.end, end, heading)
            key = (repr(step.when), title)
            if key in seen or not title:
                continue
            seen.add(key)
            context = sentence
            if _bare(sentence, step) and following:
                context = f"{sentence}{following}"
            steps.append(_milestone(step.when, step.printed, title, context, departments))
            steps[-1]["source"] = sentence
    return steps


def _bare(sentence: str, step) -> bool:
    """A date line that names nobody: a stage's name and its dates, or 时间安排：…"""
    rest = sentence[: step.start] + sentence[step.end :]
    return len(rest.strip("（）()。：:，, ")) <= 25 and actors.actor(sentence) == ("federation", [])


def _step_title(sentence: str, start: int, end: int, stop: int, heading: str) -> str:
    after = sentence[end:stop]
    after = re.sub(r"^[）)，,、：:。；\s前]+", "", after)
    after = re.split(r"[。；;]", after)[0].strip("，, （(")
    if len(after) < 4:
        before = re.sub(r"^(?:\d+[.．、]|[（(]\d+[）)])\s*", "", sentence[:start])
        before = re.sub(r"^(?:时间安排|时间节点|工作安排)[:：]?", "", before).strip("（(，,：: ")
        after = before or heading
    after = re.sub(r"^(?:时间安排|时间节点)[:：]?", "", after)
    return after if len(after) <= 60 else after[:59] + "…"


def described(when: dict | None) -> tuple[str, str | None, str | None, str]:
    """(kind, start, end, the rule in words) of a plan-file date rule; 适时 without one."""
    if when is None:
        return "undated", None, None, "适时"
    try:
        rule = parse_rule(when)
    except DateRuleError:
        return "undated", None, None, "适时"
    start = rule.start.isoformat() if rule.start else None
    end = rule.end.isoformat() if rule.end else None
    return rule.kind, start, end, rule.describe()


def _milestone(
    when: dict | None, printed: str, title: str, sentence: str, departments: dict
) -> dict:
    who, scope = actors.actor(sentence)
    deliverable, to = actors.delivery(sentence)
    kind, start, end, describe = described(when)
    return {
        "title": title,
        "kind": kind,
        "start": start,
        "end": end,
        "dates": [],
        "rule": when,
        "when": describe,
        "actor": who,
        "actor_departments": [],
        "actor_scope": scope,
        "deliverable": deliverable,
        "deliver_to": "federation"
        if to == "federation"
        else _department(to, departments)
        if to
        else "",
        "late_policy": "flag",
        "source": sentence,
        "printed": printed,
    }


KIND_BY_NAME = (
    (re.compile(r"(示范区|高新区|开发区|产业集聚区)"), "zone"),
    (re.compile(r"县(总工会)?$"), "county"),
    (re.compile(r"区(总工会)?$"), "district"),
    (re.compile(r"市直|机关"), "organ_union"),
    (
        re.compile(r"(工交|轻纺|建设|财贸|文教卫|科教文卫体|教科文卫|农林|产业)工会"),
        "industry_union",
    ),
    (re.compile(r"(集团|公司|矿|厂|电厂)"), "enterprise_union"),
    (re.compile(r"市(总工会)?$"), "county_city"),
)


def guess_kind(name: str, issuer: str) -> str:
    for pattern, kind in KIND_BY_NAME:
        if pattern.search(name):
            if kind == "county_city" and "省" in issuer:
                return "city"
            return kind
    return "other"


def _units(programmes: list[dict], directory: UnitDirectory | None, issuer: str) -> list[dict]:
    """Units the tables name: the known ones they resolve to, and the new ones proposed."""
    seen: dict[str, dict] = {}
    for programme in programmes:
        for table in programme["tables"]:
            for row in table["rows"]:
                status = row["resolution"]["status"]
                if row["unit"]:
                    seen.setdefault(row["unit"], {"name": row["unit"], "existing": True})
                elif status == "new":
                    seen.setdefault(
                        row["label"],
                        {
                            "name": row["label"],
                            "short_name": re.sub(r"(总工会|工会联合会|工会)$", "", row["label"])
                            or row["label"],
                            "kind": guess_kind(row["label"], issuer),
                            "parent": issuer,
                            "existing": False,
                        },
                    )
    return list(seen.values())
