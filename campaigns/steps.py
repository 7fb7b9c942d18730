"""A nomination (推荐) in the one workflow: its steps, who takes them, what the audit log calls
them and whom they tell; when the nomination window is open and when scoring is.

The unit's reporter drafts a nomination and submits it to the unit's head; the head recommends
it (推荐, `confirm`) or sends it back. A recommendation after `nominate_by` is accepted and
marked late (逾期推荐), until the window closes: once scoring has closed (or `score_by` has
passed) nothing can be recommended any more. The running department then checks eligibility:
admits it to scoring (资格审查通过), refuses it (不符合条件, with a reason; final) or returns it
to the unit to be corrected (退回修改, with a reason).

Scoring is open from the day after `nominate_by` until the department closes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.urls import reverse

from campaigns.models import Campaign, Nomination
from common.clock import chinese_date
from reporting import workflow
from reporting.workflow import Audience, Party, Transition

Status = Nomination.Status
EVENT_SUBMITTED = "campaigns.nomination.submitted"
EVENT_CONFIRMED = "campaigns.nomination.confirmed"
EVENT_ADMITTED = "campaigns.nomination.admitted"
EVENT_REFUSED = "campaigns.nomination.refused"


def _suffix(event: str) -> str:
    return event.rsplit(".", 1)[1]


EVENTS = EVENT_SUBMITTED.rsplit(".", 1)[0]  # the audit prefix: campaigns.nomination


WINDOW_CLOSED = "「{title}」的推荐已截止（评选已结束），不能再推荐。"
SCORING_NOT_OPEN = "推荐截止（{day}）后才能开始评分。"
SCORING_CLOSED = "「{title}」的评分已结束。"
CLOSE_TOO_EARLY = "推荐截止（{day}）后才能结束评分。"
TIGHT_NAMING = (
    "命名截止（{name_by}）距评选截止（{score_by}）不足公示期（{days} 个自然日），"
    "请与相关单位协调时间安排。"
)
PAST_NAMING = "已超过命名截止（{name_by}），尚未命名。"

STEPS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            action="submit",
            label="提交单位负责人推荐",
            sources=frozenset({Status.DRAFT, Status.RETURNED}),
            target=Status.SUBMITTED,
            party=Party.UNIT_MEMBER,
            event=_suffix(EVENT_SUBMITTED),
            notify=Audience.UNIT_HEADS,
            notice="{what}已提交，请确认推荐。",
            refused="只有草稿或已退回的{noun}可以提交。",
            done="已提交{n}，等待单位负责人确认推荐。",
            repeated="所选{noun}都已提交，没有可提交的{noun}。",
            button="btn-primary",
            stamp="submitted",
            needs_open=True,
        ),
        Transition(
            action="confirm",
            label="推荐",
            sources=frozenset({Status.SUBMITTED}),
            target=Status.CONFIRMED,
            party=Party.UNIT_HEAD,
            event=_suffix(EVENT_CONFIRMED),
            notify=Audience.REVIEWERS,
            notice="{what}已由单位负责人推荐，请进行资格审查。",
            refused="只有待单位负责人确认的{noun}可以推荐。",
            done="已推荐{n}，等待资格审查。",
            repeated="所选{noun}都已推荐，没有可推荐的{noun}。",
            button="btn-success",
            stamp="confirmed",
            judges_lateness=True,
            needs_open=True,
        ),
        workflow.TRANSITIONS["send_back"],  # as a report's: back to the reporter
        Transition(
            action="admit",
            label="资格审查通过",
            sources=frozenset({Status.CONFIRMED}),
            target=Status.APPROVED,
            party=Party.REVIEWER,
            event=_suffix(EVENT_ADMITTED),
            notify=Audience.UNIT_USERS,
            notice="{what}已通过资格审查，进入评分。",
            refused="只有待资格审查的{noun}可以审查。",
            done="已通过资格审查{n}。",
            repeated="所选{noun}都已入围，没有可审查的{noun}。",
            button="btn-success",
            stamp="reviewed",
        ),
        Transition(
            action="refuse",
            label="不符合条件",
            sources=frozenset({Status.CONFIRMED}),
            target=Status.REFUSED,
            party=Party.REVIEWER,
            event=_suffix(EVENT_REFUSED),
            notify=Audience.UNIT_USERS,
            notice="{what}不符合评选条件，原因：{reason}",
            refused="只有待资格审查的{noun}可以审查。",
            done="已认定{n}不符合条件。",
            button="btn-outline-danger",
            needs_reason=True,
            reason_hint="不符合条件的原因",
            stamp="reviewed",
        ),
        replace(
            workflow.TRANSITIONS["return"],
            refused="只有待资格审查的{noun}可以退回。",
            button="btn-outline-warning",
        ),
    )
}
ACTIONS = tuple(STEPS)


def window_closed(campaign: Campaign, today: dt.date) -> str:
    """Why nothing can be nominated or recommended any more ("" while it can)."""
    if campaign.scoring_closed_at is not None or (
        campaign.score_by is not None and today > campaign.score_by
    ):
        return WINDOW_CLOSED.format(title=campaign.title)
    return ""


def scoring_refusal(campaign: Campaign, today: dt.date) -> str:
    """Why no score can be entered now ("" while scoring is open)."""
    if campaign.scoring_closed_at is not None:
        return SCORING_CLOSED.format(title=campaign.title)
    if today <= campaign.nominate_by:
        return SCORING_NOT_OPEN.format(day=chinese_date(campaign.nominate_by))
    return ""


def close_refusal(campaign: Campaign, today: dt.date) -> str:
    """Why scoring cannot be closed now: not before the nomination window has closed."""
    if today <= campaign.nominate_by:
        return CLOSE_TOO_EARLY.format(day=chinese_date(campaign.nominate_by))
    return ""


def timeline_warnings(campaign: Campaign, today: dt.date) -> list[str]:
    """What the department should know about the campaign's dates: a naming deadline that
    leaves no room for the publicity after scoring, one passed without naming."""
    warnings = []
    name_by, score_by = campaign.name_by, campaign.score_by
    if name_by and score_by and name_by < score_by + dt.timedelta(days=campaign.publicity_days):
        warnings.append(
            TIGHT_NAMING.format(
                name_by=name_by.isoformat(),
                score_by=score_by.isoformat(),
                days=campaign.publicity_days,
            )
        )
    if campaign.name_by is not None and campaign.named_on is None and today > campaign.name_by:
        warnings.append(PAST_NAMING.format(name_by=campaign.name_by.isoformat()))
    return warnings


def departments_of(campaign: Campaign) -> set[int]:
    """The departments running the campaign: its programme's (prefetched or one query)."""
    return {d.pk for d in campaign.programme.departments.all()}


NOMINATION = workflow.Reviewed(
    noun="推荐对象",
    events=EVENTS,
    unit_id=lambda n: n.unit_id,
    department_ids=lambda n: departments_of(n.campaign),
    due_date=lambda n: n.campaign.nominate_by,
    title=lambda n: f"{n.unit.short_name}：{n.name}（{n.campaign.title}）",
    url=lambda n: reverse("campaigns:nomination", kwargs={"pk": n.pk}),
    not_open=lambda n, today: window_closed(n.campaign, today),
    frozen=lambda n: n.campaign.plan.closed_refusal,
    plan=lambda n: n.campaign.plan,
    transitions=STEPS,
)
