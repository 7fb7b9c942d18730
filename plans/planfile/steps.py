"""Reading a programme's milestones (its steps and their dates) and its rubrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from plans.planfile.data import (
    ACTORS,
    AUTO_BASES,
    LATE_POLICIES,
    CriterionSpec,
    MilestoneSpec,
    RubricSpec,
)
from plans.planfile.dates import TIMELY, DateRule, DateRuleError, parse_rule


class StepReading:
    """Part of the plan file's reader (`plans.planfile.spec`): milestones and rubrics."""

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
        if actor == "units" and d.get("when") == TIMELY:
            # Units owe what has a date; 适时 is the federation's to date (本部门工作节点).
            self.fail(f"{loc}.when", "各单位承办的步骤须写明日期：timely（适时）只用于市总自办步骤")
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

    def rubric(
        self, value: Any, loc: str, order: int, indicator_codes: set[str] | None = None
    ) -> RubricSpec:
        d = self._mapping(
            value, loc, {"title", "attachment", "criteria", "evaluated"}, {"title", "criteria"}
        )
        codes = indicator_codes or set()
        criteria: list[CriterionSpec] = []
        for i, item in enumerate(self._list(d.get("criteria"), f"{loc}.criteria", required=True)):
            s = self._mapping(
                item, f"{loc}.criteria[{i}]", {"title", "points", "items"}, {"title", "points"}
            )
            criteria.append(self.criterion(s, f"{loc}.criteria[{i}]", f"{i + 1}"))
            for j, sub in enumerate(self._list(s.get("items"), f"{loc}.criteria[{i}].items")):
                where = f"{loc}.criteria[{i}].items[{j}]"
                t = self._mapping(sub, where, {"title", "points", "auto"}, {"title", "points"})
                criterion = self.criterion(t, where, f"{i + 1}.{j + 1}")
                if t.get("auto") is not None:
                    criterion.auto = self.criterion_auto(t["auto"], f"{where}.auto", codes)
                criteria.append(criterion)
        return RubricSpec(
            order=order,
            title=self._text(d.get("title"), f"{loc}.title"),
            attachment=self._text(d.get("attachment"), f"{loc}.attachment", required=False),
            criteria=criteria,
            evaluated=self._scope(d.get("evaluated"), f"{loc}.evaluated"),
        )

    def criterion(self, d: dict, loc: str, code: str) -> CriterionSpec:
        points = self._number(d.get("points"), f"{loc}.points")
        return CriterionSpec(
            code=code,
            title=self._text(d.get("title"), f"{loc}.title"),
            points=points if points is not None else Decimal(0),
        )

    def criterion_auto(self, value: Any, loc: str, codes: set[str]) -> dict | None:
        """An item scored from figures: `{indicator: P02-bases, basis: completion}`, points =
        the item's points × min(1, the unit's official figure ÷ its allocation)."""
        d = self._mapping(value, loc, {"indicator", "basis"}, {"indicator"})
        code = self._text(d.get("indicator"), f"{loc}.indicator")
        if code and code not in codes:
            self.fail(f"{loc}.indicator", f"指标「{code}」不是本专案的指标")
            return None
        basis = self._choice(d.get("basis"), f"{loc}.basis", AUTO_BASES, "completion")
        return {"indicator": code, "basis": basis} if code else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
