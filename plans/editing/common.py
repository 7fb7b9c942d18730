"""What every edit of a plan in the browser shares: the plan locked and still open, dates
inside its year, the units' obligations following the change, and the consistency check's
findings the change brought."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from common.errors import ServiceError
from plans import extensions
from plans.consistency import Finding, consistency_check
from plans.models import Plan

OBLIGATIONS_SAME = "各单位的报送任务没有变化。"
OBLIGATIONS_FOLLOWED = "各单位的报送任务已随之更新：新增 {added} 项，删除 {removed} 项"
OBLIGATIONS_UPDATED = "，调整 {updated} 项"
OBLIGATIONS_KEPT = "；{kept} 项已有单位填报，不再应报也保留"
OBLIGATIONS_MOVED = "，{moved} 项的截止日期随之调整（已填报的保留原填报）"
DRAFT_NOTHING_OWED = "方案尚未发布，发布时再生成各单位的报送任务。"
DATE_OUTSIDE = "日期 {day:%Y-%m-%d} 不在方案年度 {year} 年内（最晚可到 {next} 年 1 月），请核对"


class FieldRefused(ServiceError):
    """A refusal about one input (`field`: the name of the input it is about), so that the
    page shows it beside that input."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass
class EditResult:
    """What an edit did, in words for the page."""

    done: str
    target: Any = None
    obligations: dict[str, int] | None = None
    findings: list[Finding] = field(default_factory=list)
    draft: bool = False

    @property
    def obligations_text(self) -> str:
        o = self.obligations
        if self.draft:
            return DRAFT_NOTHING_OWED
        if o is None:
            return ""
        if not (o["added"] or o["removed"] or o["updated"] or o["kept"] or o.get("moved")):
            return OBLIGATIONS_SAME
        text = OBLIGATIONS_FOLLOWED.format(**o)
        if o["updated"]:
            text += OBLIGATIONS_UPDATED.format(**o)
        if o.get("moved"):
            text += OBLIGATIONS_MOVED.format(**o)
        if o["kept"]:
            text += OBLIGATIONS_KEPT.format(**o)
        return text + "。"

    @property
    def audited(self) -> dict:
        """What the audit entry adds: the obligations' counts, when they followed."""
        return {"obligations": self.obligations} if self.obligations else {}

    @property
    def message(self) -> str:
        return f"{self.done}。{self.obligations_text}".rstrip()


def plan_open(plan: Plan) -> Plan:
    """The plan locked against other edits (one edit of a plan at a time, with its
    obligations), refused once closed. Inside the edit's transaction."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("issuer").get(pk=plan.pk)
    if plan.is_closed:
        raise ServiceError(plan.closed_refusal)
    return plan


def programme_findings(*, plan: Plan, number: int) -> list[Finding]:
    """The consistency check's findings about programme `number`."""
    return [f for f in consistency_check(plan=plan) if f.programme == number]


def edit_finish(
    *, plan: Plan, number: int, before: list[Finding], done: str, target: Any = None
) -> EditResult:
    """After the change, in its transaction: a running plan's obligations made again (those
    with reports kept), and the findings about the programme that were not there before."""
    obligations = (
        extensions.obligations_follow(plan=plan) if plan.status == Plan.Status.PUBLISHED else None
    )
    had = {f.message for f in before}
    findings = [f for f in programme_findings(plan=plan, number=number) if f.message not in had]
    return EditResult(
        done=done,
        target=target,
        obligations=obligations,
        findings=findings,
        draft=plan.status == Plan.Status.DRAFT,
    )


def check_in_year(plan: Plan, field_name: str, days: list[dt.date | None]) -> None:
    """A date of another year is a typing slip (2021 for 2022) that makes obligations overdue
    the day they are made; a step may run into the next January, as the plan file allows."""
    for day in days:
        if (
            day is not None
            and day.year != plan.year
            and (day.year, day.month)
            != (
                plan.year + 1,
                1,
            )
        ):
            raise FieldRefused(
                field_name, DATE_OUTSIDE.format(day=day, year=plan.year, next=plan.year + 1)
            )


def text_of(value) -> str | None:
    """A value as the audit log keeps it."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only what changed, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
