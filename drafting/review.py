"""The items of a draft under review: their keys, states and what a reviewer may change.

Every reviewable item carries a `key` (stable across edits) and a `state`. Programmes,
targets, tables and steps are reviewed; a table's rows are part of its table, and a table can
be accepted only when each of its rows names a unit or is marked as not a unit.
"""

from __future__ import annotations

from collections.abc import Iterator

PENDING, ACCEPTED, DELETED = "pending", "accepted", "deleted"
STATES = {PENDING: "待确认", ACCEPTED: "已确认", DELETED: "已删除"}
KINDS = ("programme", "indicator", "table", "milestone")
# The comparators in the notice's words, as the review page offers them.
COMPARATOR_CHOICES = (
    ("gte", "以上 / 不少于 / 至少"),
    ("gt", "超过"),
    ("about", "左右 / 约"),
    ("near", "近"),
    ("eq", "（无限定词）"),
)
RESOLVED_ROW = ("resolved", "chosen", "not_unit", "new")


def prepare(content: dict) -> dict:
    """Give every item its key and the pending state (once, when the draft is made)."""
    for programme in content["programmes"]:
        programme["key"] = f"p{programme['number']}"
        programme["state"] = PENDING
        for indicator in programme["indicators"]:
            indicator["key"] = indicator["code"]
            indicator["state"] = PENDING
        for table in programme["tables"]:
            table["key"] = table["code"]
            table["state"] = PENDING
        for k, step in enumerate(programme["milestones"], start=1):
            step["key"] = f"S{programme['number']:02d}-{k}"
            step["state"] = PENDING
    return content


def items(content: dict) -> Iterator[tuple[str, dict, dict]]:
    """(kind, item, its programme) for every reviewable item."""
    for programme in content["programmes"]:
        yield "programme", programme, programme
        for indicator in programme["indicators"]:
            yield "indicator", indicator, programme
        for table in programme["tables"]:
            yield "table", table, programme
        for step in programme["milestones"]:
            yield "milestone", step, programme


def find(content: dict, key: str) -> tuple[str, dict, dict] | None:
    return next(((k, i, p) for k, i, p in items(content) if i.get("key") == key), None)


def live(content: dict, kind: str | None = None) -> Iterator[tuple[str, dict, dict]]:
    """Items not deleted (inside programmes not deleted)."""
    for k, item, programme in items(content):
        if programme["state"] == DELETED or item["state"] == DELETED:
            continue
        if kind is None or k == kind:
            yield k, item, programme


def pending(content: dict) -> list[tuple[str, dict, dict]]:
    return [(k, i, p) for k, i, p in live(content) if i["state"] == PENDING]


def unresolved_rows(table: dict) -> list[dict]:
    return [r for r in table["rows"] if r["resolution"]["status"] not in RESOLVED_ROW]


def next_code(content: dict, programme: dict, prefix: str) -> str:
    """An unused code for an item added to `programme` (P03-7, S03-12)."""
    taken = {i.get("key") for _k, i, _p in items(content)} | {
        i.get("code") for i in programme["indicators"]
    }
    n = 1
    while f"{prefix}{programme['number']:02d}-{n}" in taken:
        n += 1
    return f"{prefix}{programme['number']:02d}-{n}"
