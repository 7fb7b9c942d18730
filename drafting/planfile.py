"""A reviewed draft as a plan file (docs/plan-file.md), and the checks `loadplan --check` runs.

The file is built from what the reviewer kept (accepted or still pending; deleted items are
left out) and the federation's own units and departments as the database has them, so loading
it changes none of them: units keep their codes, names, parents and aliases. Checking goes
through the same reader and load checks as a file on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import yaml

from drafting.review import live
from orgs.models import Department, Unit
from plans.cascade import load_problems
from plans.planfile.spec import PlanFileInvalid, read_plan_bytes

INDICATOR_KEYS = ("code", "name", "measure", "target", "comparator", "per_unit", "part_of")


def plan_file(draft) -> dict:
    content = draft.content
    head = content["plan"]
    federation = draft.federation
    issued = head.get("issued_on")
    data: dict = {
        "plan": {
            "slug": head.get("slug") or "",
            "title": head.get("title") or "",
            "year": head.get("year"),
            "issuer": federation.name,
            "issued_on": dt.date.fromisoformat(issued) if issued else None,
        },
        "departments": _departments(federation),
        "units": _units(federation, content),
        "programmes": [],
    }
    if head.get("doc_number"):
        data["plan"]["doc_number"] = head["doc_number"]
    known_departments = {d["name"] for d in data["departments"]}
    for _kind, programme, _p in live(content, "programme"):
        data["programmes"].append(_programme(content, programme, known_departments))
    return data


def plan_file_text(draft) -> str:
    return yaml.safe_dump(plan_file(draft), allow_unicode=True, sort_keys=False, width=100)


# The plan's own keys as the review page names them.
HEAD_WORDS = {
    "plan.title": "方案名称",
    "plan.slug": "方案代码",
    "plan.year": "年度",
    "plan.issued_on": "印发日期",
    "plan.doc_number": "文号",
}


def _worded(problem: str) -> str:
    """The reader's place (programmes[0].tables[0].rows[2]) is for file writers; the review
    page says the printed place (（专案1 第1张表 第3行）) the reader appends, or the field."""
    place, sep, message = problem.partition(": ")
    if not sep:
        return problem
    if place in HEAD_WORDS:
        return f"{HEAD_WORDS[place]}：{message}"
    if message.endswith("）") and "（专案" in message:
        where = message[message.rindex("（专案") + 1 : -1]
        return f"{where}：{message[: message.rindex('（专案')]}"
    return problem


def checks(draft) -> tuple[list[str], list[str]]:
    """(problems, warnings) of the draft as a plan file: the reader's and the load's."""
    raw = plan_file_text(draft).encode("utf-8")
    try:
        spec = read_plan_bytes(raw)
    except PlanFileInvalid as exc:
        return [_worded(p) for p in exc.problems], []
    spec.sha256 = hashlib.sha256(raw).hexdigest()
    return [_worded(p) for p in load_problems(spec)], spec.warnings


def _departments(federation) -> list[dict]:
    rows = Department.objects.filter(federation=federation).order_by("pk")
    return [{"name": d.name, **({"aliases": list(d.aliases)} if d.aliases else {})} for d in rows]


def _units(federation, content: dict) -> list[dict]:
    owned = list(
        Unit.objects.filter(federation=federation)
        .select_related("parent")
        .prefetch_related("aliases")
        .order_by("pk")
    )
    names = {u.pk for u in owned}
    outside = {u.parent for u in owned if u.parent_id and u.parent_id not in names}
    # A parent of another federation (the province above a city) is named, never changed.
    entries = [{"code": p.code, "name": p.name, "existing": True} for p in outside]
    for unit in owned:
        entry = {"code": unit.code, "name": unit.name, "short_name": unit.short_name,
                 "kind": unit.kind}  # fmt: skip
        if unit.parent_id:
            entry["parent"] = unit.parent.name
        aliases = [a.alias for a in unit.aliases.all()]
        if aliases:
            entry["aliases"] = aliases
        entries.append(entry)
    for proposed in content.get("units", []):
        if proposed.get("existing") or not proposed.get("accepted", True):
            continue
        entries.append(
            {
                "name": proposed["name"],
                "short_name": proposed.get("short_name") or proposed["name"],
                "kind": proposed.get("kind") or "other",
                "parent": federation.name,
            }
        )
    return entries


def _programme(content: dict, programme: dict, known_departments: set[str]) -> dict:
    entry = {
        "number": programme["number"],
        "title": programme["title"],
        "category": programme["category"],
        "departments": [
            {"name": name, "source": programme.get("department_sources", {}).get(name, "text")}
            for name in programme["departments"]
            if name in known_departments
        ],
    }
    for text_key in ("goal", "measures", "requirements"):
        if programme.get(text_key):
            entry[text_key] = programme[text_key]
    indicators = [i for i in programme["indicators"] if i["state"] != "deleted"]
    kept_codes = {i["code"] for i in indicators}
    entry["indicators"] = [_indicator(i, kept_codes) for i in indicators]
    tables = [t for t in programme["tables"] if t["state"] != "deleted"]
    if tables:
        entry["tables"] = [_table(t, kept_codes) for t in tables]
    # An undated step (适时) cannot be loaded: the review asks for its date (services.blockers).
    steps = [s for s in programme["milestones"] if s["state"] != "deleted" and s.get("rule")]
    if steps:
        entry["milestones"] = [_milestone(s) for s in steps]
    return entry


def _indicator(indicator: dict, kept: set[str]) -> dict:
    entry = {}
    for key in INDICATOR_KEYS:
        value = indicator.get(key)
        if value is None or value == {} or (key == "part_of" and value not in kept):
            continue
        entry[key] = value
    if indicator.get("source"):
        entry["source_text"] = indicator["source"]
    return entry


def _table(table: dict, kept: set[str]) -> dict:
    columns = [
        (i, code, header)
        for i, (code, header) in enumerate(zip(table["columns"], table["headers"], strict=False))
        if code in kept
    ]
    rows = []
    for row in table["rows"]:
        values = [row["values"][i] if i < len(row["values"]) else None for i, _c, _h in columns]
        entry = {"label": row["label"], "values": values, "unit": row["unit"]}
        if row.get("group"):
            entry["group"] = row["group"]
        if row.get("note"):
            entry["note"] = row["note"]
        rows.append(entry)
    entry = {
        "code": table["code"],
        "title": table["title"] or table["code"],
        "columns": [{"indicator": code, "header": header} for _i, code, header in columns],
        "rows": rows,
    }
    if table.get("attachment"):
        entry["attachment"] = table["attachment"]
    if table.get("declared_total"):
        entry["total"] = [
            table["declared_total"][i] if i < len(table["declared_total"]) else None
            for i, _c, _h in columns
        ]
    return entry


def _milestone(step: dict) -> dict:
    entry = {"title": step["title"], "when": step["rule"], "actor": step["actor"]}
    if step["actor"] == "units" and step.get("actor_scope"):
        entry["actor_scope"] = step["actor_scope"]
    if step.get("deliverable"):
        entry["deliverable"] = step["deliverable"]
    if step.get("deliver_to"):
        entry["deliver_to"] = step["deliver_to"]
    if step.get("source"):
        entry["source_text"] = step["source"]
    return entry
