"""Adding, changing and deleting a programme's dated step (时间节点), with the plan file
reader's rules (plans/planfile/steps.py, dates.py); the units' obligations follow it.

The date rule comes in the plan file's shapes ({due}, {start, end}, {recurring, start, end},
{relative, days}, {dates}: docs/plan-file.md), which the page builds from its Chinese
choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import Department
from plans import extensions
from plans.editing.common import (
    EditResult,
    FieldRefused,
    changes,
    check_in_year,
    edit_finish,
    plan_open,
    programme_findings,
)
from plans.models import Milestone, Programme
from plans.planfile.dates import DateRuleError, parse_rule
from plans.selectors import milestone_rule

EVENT_MILESTONE_ADDED = "plans.milestone.added"
EVENT_MILESTONE_UPDATED = "plans.milestone.updated"
EVENT_MILESTONE_DELETED = "plans.milestone.deleted"

TITLE_NEEDED = "请填写事项。"
ACTOR_BAD = "请选择承办者。"
SCOPE_NEEDED = "由各单位承办时，请选择承办的单位（类型或名称）。"
DEPARTMENT_UNKNOWN = "「{name}」不是本工会的部门。"
DELIVER_TO_UNKNOWN = "报送对象「{name}」不是本工会或本工会的部门。"
LATE_POLICY_BAD = "请选择逾期处理方式。"
DELETE_REFUSED = "不能删除时间节点「{title}」：已有{uses}。可以修改它的时间，已有的填报会保留。"
NOTHING_CHANGED = "没有修改任何内容"
FEDERATION = "federation"


@dataclass(frozen=True)
class MilestoneInput:
    """A step as typed on the page; `when` in the plan file's shape."""

    title: str
    when: dict
    actor: str
    actor_departments: list[str] = field(default_factory=list)  # department names
    actor_scope: list[str] = field(default_factory=list)  # unit kinds or unit names
    deliverable: str = ""
    deliver_to: str = ""  # "", "federation", or a department name
    late_policy: str = Milestone.LatePolicy.FLAG


def milestone_snapshot(milestone: Milestone, departments: list[str] | None = None) -> dict:
    """A step as the audit log keeps it."""
    return {
        "title": milestone.title,
        "when": milestone.rule,
        "described": milestone_rule(milestone).describe(),
        "actor": milestone.actor,
        "actor_departments": sorted(
            departments
            if departments is not None
            else [d.name for d in milestone.actor_departments.all()]
        ),
        "actor_scope": list(milestone.actor_scope),
        "deliverable": milestone.deliverable,
        "deliver_to": milestone.deliver_to,
        "late_policy": milestone.late_policy,
    }


def _checked(plan, values: MilestoneInput) -> tuple[dict, list[Department]]:
    """The step checked as the plan file reader checks one: its fields as saved, and its
    acting departments."""
    title = values.title.strip()
    if not title:
        raise FieldRefused("title", TITLE_NEEDED)
    try:
        rule = parse_rule(values.when)
    except DateRuleError as exc:
        raise FieldRefused("when", f"{exc}。") from exc
    check_in_year(plan, "when", [rule.start, rule.end, *rule.dates])
    if values.actor not in Milestone.Actor.values:
        raise FieldRefused("actor", ACTOR_BAD)
    scope = list(values.actor_scope) if values.actor == Milestone.Actor.UNITS else []
    if values.actor == Milestone.Actor.UNITS and not scope:
        raise FieldRefused("actor_scope", SCOPE_NEEDED)
    own = {d.name: d for d in Department.objects.filter(federation_id=plan.issuer_id)}
    for name in values.actor_departments:
        if name not in own:
            raise FieldRefused("actor_departments", DEPARTMENT_UNKNOWN.format(name=name))
    deliver_to = values.deliver_to.strip()
    if deliver_to and deliver_to != FEDERATION and deliver_to not in own:
        raise FieldRefused("deliver_to", DELIVER_TO_UNKNOWN.format(name=deliver_to))
    if values.late_policy not in Milestone.LatePolicy.values:
        raise FieldRefused("late_policy", LATE_POLICY_BAD)
    fields = {
        "title": title,
        "kind": rule.kind,
        "start_date": rule.start,
        "end_date": rule.end,
        "dates": [d.isoformat() for d in rule.dates],
        "recurrence": rule.recurrence,
        "relative_event": rule.relative_event,
        "relative_days": rule.relative_days,
        "rule": _stored(values.when),
        "actor": values.actor,
        "actor_scope": scope,
        "deliverable": values.deliverable.strip(),
        "deliver_to": deliver_to,
        "late_policy": values.late_policy,
    }
    return fields, [own[name] for name in values.actor_departments]


@transaction.atomic
def milestone_add(*, actor, programme: Programme, values: MilestoneInput) -> EditResult:
    """A new step after the programme's others; the units in its scope owe it at once."""
    plan = plan_open(programme.plan)
    programme = Programme.objects.get(pk=programme.pk, plan=plan)
    fields, departments = _checked(plan, values)
    before = programme_findings(plan=plan, number=programme.number)
    last = programme.milestones.order_by("-order").values_list("order", flat=True).first()
    milestone = Milestone.objects.create(
        programme=programme, order=0 if last is None else last + 1, **fields
    )
    milestone.actor_departments.set(departments)
    result = edit_finish(
        plan=plan,
        number=programme.number,
        before=before,
        done=f"已在专案{programme.number}添加时间节点「{milestone.title}」",
        target=milestone,
    )
    audit_record(
        actor=actor,
        event=EVENT_MILESTONE_ADDED,
        target=milestone,
        after={
            **milestone_snapshot(milestone, [d.name for d in departments]),
            **result.audited,
        },
    )
    return result


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, values: MilestoneInput) -> EditResult:
    """The step as typed; obligations made for the old dates go unless a unit has reported on
    them (kept, and counted in the message). Audited with what changed."""
    plan = plan_open(milestone.programme.plan)
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=milestone.pk, programme__plan=plan)
    )
    fields, departments = _checked(plan, values)
    old = milestone_snapshot(milestone)
    changed = [f for f, v in fields.items() if getattr(milestone, f) != v]
    names = sorted(d.name for d in departments)
    if not changed and names == old["actor_departments"]:
        return EditResult(done=NOTHING_CHANGED, target=milestone)
    before = programme_findings(plan=plan, number=milestone.programme.number)
    for f in changed:
        setattr(milestone, f, fields[f])
    if changed:
        milestone.save(update_fields=changed)
    milestone.actor_departments.set(departments)
    was, now = changes(old, milestone_snapshot(milestone, names))
    result = edit_finish(
        plan=plan,
        number=milestone.programme.number,
        before=before,
        done=f"已修改时间节点「{milestone.title}」",
        target=milestone,
    )
    audit_record(
        actor=actor,
        event=EVENT_MILESTONE_UPDATED,
        target=milestone,
        before=was,
        after={**now, **result.audited},
    )
    return result


def milestone_delete_blockers(*, milestone: Milestone) -> list[str]:
    """What units have reported on the step's obligations, each in Chinese ([] if none)."""
    return [u.text for u in extensions.milestone_uses(milestone_ids={milestone.pk}).get(
        milestone.pk, []
    )]  # fmt: skip


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> EditResult:
    """The step and its unreported obligations gone; refused once a unit has reported on
    it. Audited with what it was."""
    plan = plan_open(milestone.programme.plan)
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=milestone.pk, programme__plan=plan)
    )
    uses = milestone_delete_blockers(milestone=milestone)
    if uses:
        raise ServiceError(DELETE_REFUSED.format(title=milestone.title, uses="、".join(uses)))
    number = milestone.programme.number
    before = programme_findings(plan=plan, number=number)
    audit_record(
        actor=actor,
        event=EVENT_MILESTONE_DELETED,
        target=milestone,
        before=milestone_snapshot(milestone),
    )
    title = milestone.title
    milestone.delete()
    return edit_finish(plan=plan, number=number, before=before, done=f"已删除时间节点「{title}」")


def _stored(value):
    """The rule as the plan file writes it, dates as text (Milestone.rule keeps it so)."""
    if isinstance(value, dict):
        return {str(k): _stored(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
