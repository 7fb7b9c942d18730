"""How much of a plan a draft recovered: the figures `docs/plan-file.md` reports.

Compared item by item within each programme: a target counts when its value, measure and
comparator are the plan's; a per-unit rule when its minimum, maximum and measure are; an
allocation cell when the row resolves to the plan's unit and the value is the plan's; a step
when its date rule is the plan's. Every miss is listed, so the figures can be checked.
"""

from __future__ import annotations

from collections import Counter

from plans.dump import plan_dump
from plans.models import Plan


def _target_key(item: dict) -> tuple:
    return (str(item["target"]), item["measure"], item["comparator"] or "eq")


def _rule_key(item: dict) -> tuple:
    rule = item["per_unit"] or {}
    return (rule.get("min"), rule.get("max"), item["measure"])


def _ratio(hit: int, total: int) -> float:
    return round(hit / total, 3) if total else 1.0


def compare(draft: dict, slug: str) -> dict:
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise LookupError(f"没有代码为「{slug}」的方案")
    return compare_dumps(draft, plan_dump(plan=plan))


def compare_dumps(draft: dict, plan: dict) -> dict:
    drafted = {p["number"]: p for p in draft["programmes"]}
    report = {"programmes": [0, 0], "targets": [0, 0], "per_unit": [0, 0], "cells": [0, 0],
              "steps": [0, 0]}  # fmt: skip
    missed: dict[str, list] = {key: [] for key in report}
    for programme in plan["programmes"]:
        number = programme["number"]
        mine = drafted.get(number, {"indicators": [], "tables": [], "milestones": [], "title": ""})
        _count(report, missed, "programmes", mine["title"] == programme["title"],
               f"专案{number}「{programme['title']}」")  # fmt: skip
        targets = Counter(_target_key(i) for i in mine["indicators"] if i["target"] is not None)
        rules = Counter(_rule_key(i) for i in mine["indicators"] if i["per_unit"])
        for indicator in programme["indicators"]:
            if indicator["target"] is not None:
                key = _target_key(indicator)
                label = f"专案{number} {indicator['name']}（{key[0]}{key[1]}）"
                _count(report, missed, "targets", targets[key] > 0, label)
                targets[key] -= 1
            elif indicator["per_unit"] and (indicator["per_unit"].get("min") is not None):
                key = _rule_key(indicator)
                label = f"专案{number} {indicator['name']}（每单位 {key[0]}–{key[1]} {key[2]}）"
                _count(report, missed, "per_unit", rules[key] > 0, label)
                rules[key] -= 1
        cells = Counter()
        for table in mine["tables"]:
            for row in table["rows"]:
                for i, value in enumerate(row["values"]):
                    if value is not None:
                        who = row["unit"] or _squash(row["label"])
                        cells[(len(table["headers"]), who, i, value)] += 1
        for table in programme["tables"]:
            for row in table["rows"]:
                for i, value in enumerate(row["values"]):
                    if value is None:
                        continue
                    who = row["unit"] or _squash(row["label"])
                    key = (len(table["headers"]), who, i, value)
                    _count(report, missed, "cells", cells[key] > 0,
                           f"{table['title']}「{row['label']}」第{i + 1}列 {value}")  # fmt: skip
                    cells[key] -= 1
        steps = Counter(repr(_plain_rule(m["rule"])) for m in mine["milestones"])
        for step in programme["milestones"]:
            key = repr(_plain_rule(step["rule"]))
            _count(report, missed, "steps", steps[key] > 0,
                   f"专案{number} {step['title']}（{step['when']}）")  # fmt: skip
            steps[key] -= 1
    return {
        "recovered": {
            key: {"hit": hit, "total": total, "ratio": _ratio(hit, total)}
            for key, (hit, total) in report.items()
        },  # fmt: skip
        "missed": missed,
    }


def _squash(text: str) -> str:
    return "".join(text.split())


def _plain_rule(rule: dict | None) -> dict | None:
    if rule is None:
        return None
    return {
        k: (str(v) if not isinstance(v, list) else [str(x) for x in v]) for k, v in rule.items()
    }


def _count(report: dict, missed: dict, key: str, hit: bool, label: str) -> None:
    report[key][1] += 1
    if hit:
        report[key][0] += 1
    else:
        missed[key].append(label)
