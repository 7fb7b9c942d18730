"""The federation's own steps (市总工作节点) on the dashboards, as at the page's date: the
overview's block and the bulletin's section. The states are supervision's (`PlanFigures.
federation_steps`): a step is overdue once a due date has passed without its department
marking it done by then.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.clock import chinese_date
from dashboards.selectors import PlanFigures
from plans.levels import plan_level
from supervision.selectors import OVERDUE, StepStatus

NAMED = 10  # steps the overview names at most


@dataclass
class StepsBlock:
    overdue: list[StepStatus]  # the department's (every department's for a leader)
    all_overdue: int  # every department's
    department_only: bool

    @property
    def named(self) -> list[StepStatus]:
        return self.overdue[:NAMED]


def overview_steps(figures: PlanFigures, *, department_id: int | None) -> StepsBlock:
    """The overdue federation steps: a department's own on its home, all for a leader."""
    overdue = [s for s in figures.federation_steps if s.state == OVERDUE]
    mine = [s for s in overdue if department_id is None or department_id in s.department_ids]
    return StepsBlock(mine, len(overdue), department_id is not None)


def _departments(step: StepStatus) -> str:
    return "、".join(d.name for d in step.departments) or "未指定部门"


def bulletin_steps_text(f: PlanFigures) -> list[str]:
    """The bulletin's section: the federation's steps overdue as at its date, each with its
    due dates and departments; or one sentence that none is."""
    level = plan_level(f.plan)
    overdue = [s for s in f.federation_steps if s.state == OVERDUE]
    if not overdue:
        return [
            f"截至{chinese_date(f.as_of)}，{level.federation_full}本级承办的工作节点均已按时完成"
            "或尚未到期。"
        ]
    lines = [
        f"截至{chinese_date(f.as_of)}，{level.federation_full}本级承办的工作节点中有"
        f"{len(overdue)}项逾期未完成："
    ]
    for i, step in enumerate(overdue, 1):
        dues = "、".join(chinese_date(o.due) for o in step.overdue)
        lines.append(
            f"{i}. 专案{step.milestone.programme.number}“{step.milestone.title}”"
            f"（应于{dues}前完成，责任部门：{_departments(step)}）。"
        )
    return lines
