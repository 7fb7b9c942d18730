"""The draft of the 2022 notice, after the corrections a reviewer makes on the review page,
says what the hand-written 2022 plan says: the same programmes, targets and per-unit rules,
allocation tables (every row's unit and figures, the printed totals) and dated steps (date
rule, who acts). Names and titles are the reviewer's words and are not compared."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from drafting import review
from drafting.notice import read_text
from drafting.services import (
    blockers,
    draft_create,
    draft_item_add,
    draft_item_decide,
    draft_row_resolve,
    draft_table_columns,
)
from plans.dump import plan_dump

NOTICES = Path(__file__).parent / "notices"
CORRECTIONS = yaml.safe_load((NOTICES / "pingdingshan-2022-corrections.yaml").read_text())


def _programme(draft, number):
    return next(p for p in draft.content["programmes"] if p["number"] == number)


def _indicator(draft, number, source):
    return next(i for i in _programme(draft, number)["indicators"] if i["source"] == source)


def _step(draft, number, source, rule, actor):
    return next(
        s
        for s in _programme(draft, number)["milestones"]
        if s["source"] == source
        and s["rule"] == rule
        and s["actor"] == actor
        and s["state"] == review.PENDING
    )


def _apply(draft, actor, op):  # noqa: PLR0911 - one branch per kind of correction
    number = op["programme"]
    if "indicator" in op:
        key = _indicator(draft, number, op["indicator"])["key"]
        if op.get("delete"):
            return draft_item_decide(actor=actor, draft=draft, key=key, action="delete")
        return draft_item_decide(actor=actor, draft=draft, key=key, action="correct",
                                 changes=op["set"])  # fmt: skip
    if "add_indicator" in op:
        return draft_item_add(actor=actor, draft=draft, programme_key=f"p{number}",
                              kind="indicator", values=op["add_indicator"])  # fmt: skip
    if "columns" in op:
        table = next(t for t in _programme(draft, number)["tables"] if t["title"] == op["columns"])
        columns = [
            table["columns"][n] if choice is None
            else "new" if choice == "new"
            else _indicator(draft, number, choice)["code"]
            for n, choice in enumerate(op["set"])
        ]  # fmt: skip
        return draft_table_columns(actor=actor, draft=draft, table_key=table["key"],
                                   columns=columns)  # fmt: skip
    if "row" in op:
        table = next(t for t in _programme(draft, number)["tables"] if t["title"] == op["row"])
        row = next(n for n, r in enumerate(table["rows"]) if r["label"] == op["label"])
        return draft_row_resolve(actor=actor, draft=draft, table_key=table["key"], row=row,
                                 unit=op["unit"], status="chosen")  # fmt: skip
    if "add_step" in op:
        return draft_item_add(actor=actor, draft=draft, programme_key=f"p{number}",
                              kind="milestone", values=op["add_step"])  # fmt: skip
    key = _step(draft, number, op["step"], op["rule"], op["actor"])["key"]
    if op.get("delete"):
        return draft_item_decide(actor=actor, draft=draft, key=key, action="delete")
    return draft_item_decide(actor=actor, draft=draft, key=key, action="correct",
                             changes=op["set"])  # fmt: skip


def _rule(rule):
    return repr({k: [str(x) for x in v] if isinstance(v, list) else str(v)
                 for k, v in sorted(rule.items())})  # fmt: skip


def _projection(programmes, live=lambda item: True):
    def number(v):
        return None if v is None else str(v)

    result = {}
    for p in programmes:
        if not live(p):
            continue
        indicators = Counter(
            (number(i["target"]), i["measure"], i["comparator"] or "eq",
             repr(sorted((k, v) for k, v in (i["per_unit"] or {}).items() if v is not None)))
            for i in p["indicators"] if live(i)
        )  # fmt: skip
        tables = {
            "".join(t["title"].split()): (
                Counter((r["unit"] or "".join(r["label"].split()), tuple(r["values"]))
                        for r in t["rows"]),
                t["declared_total"],
            )
            for t in p["tables"] if live(t)
        }  # fmt: skip
        steps = Counter(
            (_rule(s["rule"]), s["actor"], tuple(s["actor_scope"]) if s["actor"] == "units" else ())
            for s in p["milestones"] if live(s)
        )  # fmt: skip
        result[p["number"]] = (p["title"], p["category"], indicators, tables, steps)
    return result


@pytest.mark.django_db
def test_the_corrected_draft_of_the_2022_notice_is_the_hand_written_plan(plan_2022, labour_staff):
    notice = read_text((NOTICES / "pingdingshan-2022.txt").read_text())
    draft = draft_create(actor=labour_staff, notice=notice, name="2022.txt")
    for op in CORRECTIONS:
        draft = _apply(draft, labour_staff, op)
    for _kind, item, _p in review.pending(draft.content):
        draft = draft_item_decide(actor=labour_staff, draft=draft, key=item["key"], action="accept")

    def live(item):
        return item.get("state") != review.DELETED

    drafted = _projection(draft.content["programmes"], live)
    hand = _projection(plan_dump(plan=plan_2022)["programmes"])
    for number in hand:
        assert drafted[number] == hand[number], f"专案{number}"
    assert set(drafted) == set(hand)
    assert blockers(draft) == []  # and it would load: the same checks as loadplan --check
