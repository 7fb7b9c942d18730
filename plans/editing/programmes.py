"""Editing a programme's own words: its title, group, goal, measures and requirements."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from audit.services import audit_record
from plans.editing.common import (
    EditResult,
    FieldRefused,
    changes,
    edit_finish,
    plan_open,
    programme_findings,
)
from plans.groups import group_pairs
from plans.models import Programme

EVENT_PROGRAMME_UPDATED = "plans.programme.updated"
TITLE_NEEDED = "请填写专案名称。"
NOT_A_GROUP = "「{value}」不是本方案的分组（可选：{names}）。"
NOTHING_CHANGED = "没有修改任何内容"


@dataclass(frozen=True)
class ProgrammeInput:
    title: str
    category: str  # the code of one of the plan's groups
    goal: str = ""
    measures: str = ""
    requirements: str = ""


def programme_snapshot(programme: Programme) -> dict:
    return {
        "title": programme.title,
        "category": programme.category,
        "goal": programme.goal,
        "measures": programme.measures,
        "requirements": programme.requirements,
    }


@transaction.atomic
def programme_update(*, actor, programme: Programme, values: ProgrammeInput) -> EditResult:
    """The programme's words as typed; audited with what changed, before and after."""
    plan = plan_open(programme.plan)
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk, plan=plan)
    title = values.title.strip()
    if not title:
        raise FieldRefused("title", TITLE_NEEDED)
    groups = group_pairs(plan)
    if values.category not in {code for code, _ in groups}:
        names = "、".join(name for _, name in groups)
        raise FieldRefused("category", NOT_A_GROUP.format(value=values.category, names=names))
    before = programme_findings(plan=plan, number=programme.number)
    old = programme_snapshot(programme)
    new = {
        "title": title,
        "category": values.category,
        "goal": values.goal.strip(),
        "measures": values.measures.strip(),
        "requirements": values.requirements.strip(),
    }
    was, now = changes(old, new)
    if not now:
        return EditResult(done=NOTHING_CHANGED, target=programme)
    for name, value in now.items():
        setattr(programme, name, value)
    programme.save(update_fields=list(now))
    result = edit_finish(
        plan=plan,
        number=programme.number,
        before=before,
        done=f"已修改专案{programme.number}「{programme.title}」",
        target=programme,
    )
    audit_record(
        actor=actor,
        event=EVENT_PROGRAMME_UPDATED,
        target=programme,
        before=was,
        after={**now, **result.audited},
    )
    return result
