"""The one review workflow: which action moves a reviewed thing from which state to which, who
may take it, what the audit log calls it and whom it tells.

Progress reports (`reporting.Report`) and rows of forms (`records.Record`) both go through it.
Another reviewed kind (a supervision notice, a nomination…) joins in a few lines: a `status`
field with `Status.choices` plus the stamp fields below, and a `Reviewed` that says where its
unit, departments and deadline are, its audit prefix and its link. Its services then call
`refusal` and `apply` inside their transaction; its views and templates ask `actions_for` and
`can_edit`. Nothing else decides which action is allowed in which state.

A plain table rather than django-fsm(-2): the states and steps are data a test can walk
(every state × action × role), several objects move at once (a batch of rows), and the same
table serves kinds with different models, which a per-model decorator would repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from django.db import models

from orgs.access import can_confirm_report, can_edit_report, can_review_programme
from orgs.models import User
from plans.levels import Level, plan_level


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待单位负责人确认"
    CONFIRMED = "confirmed", "待部门审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# A unit's people may change what they entered (figures, files, rows) only in these states.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Still with the unit: not yet sent to the federation, so a passed deadline makes it overdue.
WITH_UNIT = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})
# Bootstrap badge colour of each state; "" is a thing never saved (未填报).
BADGES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.CONFIRMED: "text-bg-info",
    Status.RETURNED: "text-bg-danger",
    Status.APPROVED: "text-bg-success",
}
NEVER_SAVED = "未填报"


class Party(Enum):
    """Who may take a step: a role and a relation to the thing's unit or departments, decided
    by the predicates of orgs/access.py."""

    UNIT_MEMBER = "unit_member"  # a reporter or the head of the thing's own unit
    UNIT_HEAD = "unit_head"  # the head of the thing's own unit
    REVIEWER = "reviewer"  # staff of a department responsible for the thing's programme

    @property
    def roles(self) -> tuple[str, ...]:
        return {
            Party.UNIT_MEMBER: (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD),
            Party.UNIT_HEAD: (User.Role.UNIT_HEAD,),
            Party.REVIEWER: (User.Role.DEPARTMENT_STAFF,),
        }[self]

    def includes(self, user: User, *, unit_id: int | None, department_ids: set[int]) -> bool:
        if self is Party.REVIEWER:
            return can_review_programme(user, department_ids)
        if unit_id is None:
            return False
        if self is Party.UNIT_HEAD:
            return can_confirm_report(user, unit_id)
        return can_edit_report(user, unit_id)


class Audience(Enum):
    """Whom a step's in-app notification goes to (the actor never)."""

    UNIT_HEADS = "unit_heads"
    UNIT_REPORTERS = "unit_reporters"
    UNIT_USERS = "unit_users"
    REVIEWERS = "reviewers"


@dataclass(frozen=True)
class Transition:
    action: str  # the GLOSSARY's verb, also the URL's and the button's name
    label: str  # the button
    sources: frozenset[str]
    target: str
    party: Party
    event: str  # the audit event after the kind's prefix: reporting.report.<event>
    notify: Audience
    notice: str  # the notification, with {what} and {reason}
    refused: str  # why not, in a wrong state, with {noun}
    done: str  # the success message for {n} things
    button: str  # Bootstrap button class
    # The warning when every thing chosen was already where the step leads (a batch moved
    # none), with {noun}; "" for a step whose target is never skipped (RETURNED).
    repeated: str = ""
    needs_reason: bool = False  # the reason is kept as the return reason and in the log
    reason_hint: str = "退回原因"  # the reason input's placeholder
    stamp: str = ""  # sets <stamp>_at (and <stamp>_by where the model has it)
    # The step that reports the thing to the federation: the first time only, it stamps and
    # judges late or not by its day (see `apply`); a later one after a return keeps both.
    judges_lateness: bool = False
    needs_open: bool = False  # refused before the thing's period has begun

    def worded(self, level: Level | None) -> Transition:
        """The step as the plan's units read it: the table speaks as a city's plan does
        (确认并报送市总); a province's units read 省总 (plans.levels)."""
        if level is None:
            return self
        return replace(
            self,
            label=level.words(self.label),
            notice=level.words(self.notice),
            done=level.words(self.done),
            repeated=level.words(self.repeated),
        )


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            action="submit",
            label="提交单位负责人确认",
            sources=frozenset({Status.DRAFT, Status.RETURNED}),
            target=Status.SUBMITTED,
            party=Party.UNIT_MEMBER,
            event="submitted",
            notify=Audience.UNIT_HEADS,
            notice="{what}已提交，请确认并报送市总。",
            refused="只有草稿或已退回的{noun}可以提交。",
            done="已提交{n}，等待单位负责人确认。",
            repeated="所选{noun}都已提交、正在等待单位负责人确认，没有可提交的{noun}。",
            button="btn-primary",
            stamp="submitted",
            needs_open=True,
        ),
        Transition(
            action="confirm",
            label="确认并报送市总",
            sources=frozenset({Status.SUBMITTED}),
            target=Status.CONFIRMED,
            party=Party.UNIT_HEAD,
            event="confirmed",
            notify=Audience.REVIEWERS,
            notice="{what}已由单位负责人确认报送，请审核。",
            refused="只有待单位负责人确认的{noun}可以确认。",
            done="已确认{n}并报送市总工会。",
            repeated="所选{noun}都已确认报送市总，没有可确认的{noun}。",
            button="btn-success",
            stamp="confirmed",
            judges_lateness=True,
        ),
        Transition(
            action="send_back",
            label="退回填报员",
            sources=frozenset({Status.SUBMITTED}),
            target=Status.RETURNED,
            party=Party.UNIT_HEAD,
            event="sent_back",
            notify=Audience.UNIT_REPORTERS,
            notice="{what}被单位负责人退回，原因：{reason}",
            refused="只有待单位负责人确认的{noun}可以退回。",
            done="已退回填报员{n}。",
            button="btn-outline-danger",
            needs_reason=True,
        ),
        Transition(
            action="approve",
            label="审核通过",
            sources=frozenset({Status.CONFIRMED}),
            target=Status.APPROVED,
            party=Party.REVIEWER,
            event="approved",
            notify=Audience.UNIT_USERS,
            notice="{what}已审核通过。",
            refused="只有待部门审核的{noun}可以审核。",
            done="已审核通过{n}。",
            repeated="所选{noun}都已审核通过，没有可审核的{noun}。",
            button="btn-success",
            stamp="reviewed",
        ),
        Transition(
            action="return",
            label="退回修改",
            sources=frozenset({Status.CONFIRMED}),
            target=Status.RETURNED,
            party=Party.REVIEWER,
            event="returned",
            notify=Audience.UNIT_USERS,
            notice="{what}被退回修改，原因：{reason}",
            refused="只有待部门审核的{noun}可以审核。",
            done="已退回单位修改{n}。",
            button="btn-outline-danger",
            needs_reason=True,
            stamp="reviewed",
        ),
        Transition(
            action="reopen",
            label="撤销通过",
            sources=frozenset({Status.APPROVED}),
            target=Status.RETURNED,
            party=Party.REVIEWER,
            event="reopened",
            notify=Audience.UNIT_USERS,
            notice="{what}已撤销通过并退回修改，原因：{reason}",
            refused="只有已通过的{noun}可以撤销通过。",
            done="已撤销通过{n}，退回单位修改。",
            button="btn-outline-warning",
            needs_reason=True,
            reason_hint="撤销通过的原因",
        ),
    )
}
ACTIONS = tuple(TRANSITIONS)


@dataclass(frozen=True)
class Reviewed:
    """What the workflow needs to know about one kind of reviewed thing."""

    noun: str  # 填报, 记录: in refusals
    events: str  # the audit prefix: reporting.report
    unit_id: Callable[[Any], int]
    department_ids: Callable[[Any], set[int]]  # departments that review it
    due_date: Callable[[Any], dt.date | None]
    # Names it in a notification, which follows with the step ("…已提交"): the unit, a colon,
    # then the thing as the unit knows it ("汝州市：活动实施方案"), never wrapped in 「」, as
    # its own title may already hold some ("专案2「…」2022年7月进度").
    title: Callable[[Any], str]
    url: Callable[[Any], str]  # where a notification leads
    # Why it cannot be edited or submitted yet ("" when it can), e.g. a period not begun.
    not_open: Callable[[Any, dt.date], str] = lambda obj, today: ""
    # Why nothing of it can change any more, by anyone ("" while it can): its plan has ended
    # (plans.models.Plan.closed_refusal). Checked for every step and every edit.
    frozen: Callable[[Any], str] = lambda obj: ""
    # Told once, in the step's transaction, when the thing is first sent to the federation
    # (its `confirmed_at` and `is_late` just set): a report copies them to its obligation.
    first_reported: Callable[[Any], None] = lambda obj: None
    # A kind's own wording of a wrong-state refusal, by action (else the table's).
    refusals: Mapping[str, str] = field(default_factory=dict)
    # The plan it belongs to, whose issuer the steps name (确认并报送市总; None: the table's).
    plan: Callable[[Any], Any] = lambda obj: None
    # Its own table of steps, for a kind whose states are not a report's (a supervision
    # notice: 签收, 办理, 办结); the same parties, audiences and rules.
    transitions: Mapping[str, Transition] = field(default_factory=lambda: TRANSITIONS)

    def level(self, obj: Any) -> Level | None:
        plan = self.plan(obj)
        return plan_level(plan) if plan is not None else None

    def includes(self, party: Party, user: User, obj: Any) -> bool:
        return party.includes(
            user, unit_id=self.unit_id(obj), department_ids=self.department_ids(obj)
        )


def transition(action: str, *, level: Level | None = None) -> Transition:
    """The step `action`, in the words of the plan whose `level` is given."""
    return TRANSITIONS[action].worded(level)


def _today() -> dt.date:
    from common import clock

    return clock.today()


def can_edit(user: User, obj: Any, kind: Reviewed, *, today: dt.date | None = None) -> bool:
    """Whether `user` may change what `obj` holds (figures, files, fields) now."""
    return (
        obj.status in EDITABLE
        and kind.includes(Party.UNIT_MEMBER, user, obj)
        and not kind.frozen(obj)
        and not kind.not_open(obj, today or _today())
    )


def overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    """Past its deadline and still with the unit ("" is a report never saved)."""
    return bool(due and due < today and (not status or status in WITH_UNIT))


def reported(obj: Any) -> bool:
    """Whether `obj` was ever sent to the federation (confirmed by its unit head), even if it
    was returned since: then `confirmed_at` says when, and `is_late` is settled."""
    return obj.confirmed_at is not None


def late_if_sent_now(obj: Any, kind: Reviewed, today: dt.date) -> bool:
    """Whether sending `obj` to the federation `today` would make it late: past its deadline
    and never reported. One reported on time and returned after the deadline is not."""
    due = kind.due_date(obj)
    return bool(due and due < today and not reported(obj))


def state_refusal(kind: Reviewed, obj: Any, action: str, *, today: dt.date) -> str:
    """Why `action` cannot be taken on `obj` in its state, whoever asks ("" when it can)."""
    step = kind.transitions[action]
    if frozen := kind.frozen(obj):
        return frozen
    if obj.status not in step.sources:
        return kind.refusals.get(action) or step.refused.format(noun=kind.noun)
    if step.needs_open:
        return kind.not_open(obj, today)
    return ""


def refusal(kind: Reviewed, obj: Any, action: str, actor: User, *, today: dt.date) -> str:
    """Why `actor` cannot take `action` on `obj` now ("" when they can)."""
    step = kind.transitions[action]
    if not kind.includes(step.party, actor, obj):
        return f"您不能对该{kind.noun}执行「{step.worded(kind.level(obj)).label}」。"
    return state_refusal(kind, obj, action, today=today)


def actions_for(
    user: User, obj: Any, kind: Reviewed, *, today: dt.date | None = None
) -> list[Transition]:
    """The steps `user` may take on `obj` now, in the table's order: the buttons to show."""
    today = today or _today()
    allowed = [
        a for a in kind.transitions.values() if not refusal(kind, obj, a.action, user, today=today)
    ]
    level = kind.level(obj) if allowed else None
    return [a.worded(level) for a in allowed]


def batch_actions(
    user: User, *, unit_id: int | None, department_ids: set[int], level: Level | None = None
) -> list[Transition]:
    """The steps `user` may take on some things of a unit (or of all units, `unit_id` None)
    and departments, whatever their state: the buttons over a list of checked rows, in the
    words of the plan whose `level` is given."""
    return [
        a.worded(level)
        for a in TRANSITIONS.values()
        if a.party.includes(user, unit_id=unit_id, department_ids=department_ids)
    ]


def apply(
    kind: Reviewed,
    obj: Any,
    action: str,
    *,
    actor: User,
    now: dt.datetime,
    reason: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Move a locked `obj` one step and write the step's audit entry. The caller checked
    `refusal` first and saves nothing else of `obj` after this.

    Lateness (逾期报送) is decided once, when the thing is first reported: the unit head's
    first confirmation (确认并报送市总) sends it to the federation, so that is "reported" (a
    reporter's submission stays inside the unit). It is late if that day is after its due
    date. `confirmed_at` keeps that first confirmation: a report returned by the department
    (退回修改, even after the deadline) and confirmed again keeps its standing and its
    `confirmed_at`, so it is neither made late by the department's return nor counted as
    missing, as at a day in between, by the dashboards' timeliness (received = confirmed by
    the day, on time = and not late; docs/dashboards.md). Each confirmation stays in the
    audit log. A thing first reported after its deadline stays late however often it is
    returned. `before` and `after` add what the step changed besides the state (a reply's
    text) to its audit entry."""
    from audit.services import audit_record

    step = kind.transitions[action]
    first_report = step.judges_lateness and not reported(obj)
    extra_after = dict(after or {})
    before = {"status": obj.status, **(before or {})}
    obj.status = step.target
    obj.version += 1
    if step.stamp and (first_report or not step.judges_lateness):
        setattr(obj, f"{step.stamp}_at", now)
        if hasattr(obj, f"{step.stamp}_by_id"):
            setattr(obj, f"{step.stamp}_by", actor)
    if step.needs_reason:
        obj.return_reason = reason
    elif step.target == Status.SUBMITTED:
        obj.return_reason = ""
    after: dict[str, Any] = {"status": step.target}
    if first_report:
        due = kind.due_date(obj)
        obj.is_late = bool(due and _today() > due)
    if step.judges_lateness:
        after["is_late"] = obj.is_late
    after.update(extra_after)
    obj.save()
    if first_report:
        kind.first_reported(obj)
    audit_record(
        actor=actor,
        event=f"{kind.events}.{step.event}",
        target=obj,
        before=before,
        after=after,
        reason=reason,
    )


def notify(
    kind: Reviewed, objs: Iterable[Any], action: str, *, actor: User, reason: str = ""
) -> int:
    """The step's notification, in-app and by e-mail: one per recipient for all the things
    moved together that concern the same people. Written in the step's transaction and mailed
    once it commits, so a refused step tells no one. Returns how many were written."""
    from reporting.models import Notification
    from reporting.services.notifications import notifications_send

    step = kind.transitions[action]
    groups: dict[tuple[int, frozenset[int]], list[Any]] = {}
    for obj in objs:
        key = (kind.unit_id(obj), frozenset(kind.department_ids(obj)))
        groups.setdefault(key, []).append(obj)
    notes = []
    for (unit_id, department_ids), members in groups.items():
        first = members[0]
        what = kind.title(first)
        if len(members) > 1:
            what = f"{what}等 {len(members)} 条{kind.noun}"
        notice = step.worded(kind.level(first)).notice
        message = notice.format(what=what, reason=reason)[:300]
        url = kind.url(first)
        notes += [
            Notification(user_id=pk, message=message, url=url)
            for pk in _recipients(step.notify, unit_id, set(department_ids))
            if pk != actor.pk
        ]
    notifications_send(
        notes, reason=reason if step.needs_reason else "", reason_label=step.reason_hint
    )
    return len(notes)


def _recipients(audience: Audience, unit_id: int, department_ids: set[int]) -> list[int]:
    people = User.objects.filter(is_active=True)
    if audience is Audience.REVIEWERS:
        people = people.filter(role=User.Role.DEPARTMENT_STAFF, department_id__in=department_ids)
    else:
        roles = {
            Audience.UNIT_HEADS: [User.Role.UNIT_HEAD],
            Audience.UNIT_REPORTERS: [User.Role.UNIT_REPORTER],
            Audience.UNIT_USERS: [User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD],
        }[audience]
        people = people.filter(role__in=roles, unit_id=unit_id)
    return list(people.values_list("pk", flat=True))
