"""Reading a plan file's `assessment` (年终考核): part of the plan file's reader (spec).

`assessment: {components: [{kind: completion, weight: 50}, {kind: timeliness, weight: 20},
{kind: rubric, rubric: 平顶山市乡村振兴劳模出彩行动评分标准, weight: 20},
{kind: supervision, weight: 10}], groups: ranking}`: the composite score of each unit as the
weighted sum of its components, each a share of 1 (assessment.selectors). Weights are positive
and add up to 100; a `rubric` component names one of the plan's rubrics by its title. `groups`:
`ranking` ranks within the plan's ranking groups (the default), `all` in one list. Kept as
`Plan.assessment`: {"components": [{"kind", "weight", "rubric"?}], "groups"}; {} for none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plans.planfile.data import ProgrammeSpec

# kind → what it measures, said back in errors and documented in docs/plan-file.md.
ASSESSMENT_KINDS = {
    "completion": "任务完成率",
    "timeliness": "按时报送率",
    "rubric": "评分结果",
    "supervision": "督办按时办结率",
}
ASSESSMENT_GROUPS = ("ranking", "all")
TOTAL_WEIGHT = Decimal(100)


class AssessmentReading:
    """Mixed into the plan file's reader, whose `fail`, `_mapping`, `_list`, `_text`,
    `_number` and `_choice` it uses."""

    def assessment(self, value: Any, programmes: list[ProgrammeSpec]) -> dict:
        if value is None or value == {}:
            return {}
        given = self._mapping(value, "assessment", {"components", "groups"}, {"components"})
        if not given:
            return {}
        rubrics = [r.title for p in programmes for r in p.rubrics]
        components: list[dict] = []
        seen: dict[tuple[str, str], str] = {}
        total = Decimal(0)
        weights_known = True
        items = self._list(given.get("components"), "assessment.components", required=True)
        if "components" in given and not items:
            self.fail("assessment.components", "应至少有一项考核内容")
        for i, item in enumerate(items):
            loc = f"assessment.components[{i}]"
            c = self._mapping(item, loc, {"kind", "weight", "rubric"}, {"kind", "weight"})
            if not c:
                weights_known = False
                continue
            kind = c.get("kind")
            if kind not in ASSESSMENT_KINDS:
                known = "、".join(f"{k}（{v}）" for k, v in ASSESSMENT_KINDS.items())
                self.fail(f"{loc}.kind", f"「{kind}」不是考核内容的类型；可写 {known}")
                kind = None
            weight = self._weight(c.get("weight"), f"{loc}.weight")
            if weight is None:
                weights_known = False
            else:
                total += weight
            rubric = self._assessed_rubric(c, loc, kind, rubrics)
            if kind is None:
                continue
            key = (kind, rubric)
            if key in seen:
                self.fail(loc, f"考核内容与 {seen[key]} 重复")
                continue
            seen[key] = loc
            component: dict = {"kind": kind, "weight": int(weight) if weight else 0}
            if weight is not None and weight != weight.to_integral_value():
                component["weight"] = float(weight)
            if kind == "rubric":
                component["rubric"] = rubric
            components.append(component)
        if weights_known and items and total != TOTAL_WEIGHT:
            self.fail(
                "assessment.components",
                f"各项权重之和应为 {TOTAL_WEIGHT}，现为 {total.normalize():f}",
            )
        groups = self._choice(
            given.get("groups"), "assessment.groups", ASSESSMENT_GROUPS, "ranking"
        )
        return {"components": components, "groups": groups}

    def _weight(self, value: Any, loc: str) -> Decimal | None:
        if value is None:
            self.fail(loc, "不能为空")
            return None
        number = self._number(value, loc)
        if number is None:
            return None
        if number <= 0 or number > TOTAL_WEIGHT:
            self.fail(loc, f"权重应为大于 0、不超过 {TOTAL_WEIGHT} 的数：{value}")
            return None
        return number

    def _assessed_rubric(self, c: dict, loc: str, kind: str | None, rubrics: list[str]) -> str:
        """The title of the rubric a `rubric` component names ("" for other kinds)."""
        if kind != "rubric":
            if "rubric" in c and kind is not None:
                self.fail(f"{loc}.rubric", "只有 kind: rubric 的考核内容可以写 rubric")
            return ""
        title = self._text(c.get("rubric"), f"{loc}.rubric")
        if not title:
            return ""
        found = rubrics.count(title)
        if found == 0:
            listed = "、".join(f"「{t}」" for t in rubrics) or "（本方案没有评分标准）"
            self.fail(f"{loc}.rubric", f"没有名为「{title}」的评分标准；可用：{listed}")
        elif found > 1:
            self.fail(f"{loc}.rubric", f"名为「{title}」的评分标准不止一个，无法确定")
        return title
