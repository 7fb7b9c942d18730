"""The demo's 公示: 市级基层工会规范化建设示范点 (专案4, run by 组织部) went through its year as
the plan file dates it: three counties nominated in May, 组织部 admitted them in June and closed
the review (the plan file gives this campaign no rubric, so nobody scores: the campaign page
says so instead of listing scorers and unscored results), proposed the list on 18 July and
opened the 公示 for five calendar days; on 19 July someone raised an objection, still to be
answered on the demo's day (20 July), past the file's 命名截止 (30 June), which the campaign
page warns about. Through the services, each on its day (demo.days.on_day)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from campaigns.models import Campaign, Nomination
from campaigns.services import naming
from campaigns.services import nominations as services
from campaigns.services.scoring import scoring_close
from demo.days import on_day
from orgs.models import User
from plans.models import Plan
from reporting.services.notifications import deliveries_held

CODE = "p04-model-sites"
UNITS = ("ruzhou", "jiaxian", "baofeng")
NOMINATED, ADMITTED, CLOSED = dt.date(2022, 5, 20), dt.date(2022, 6, 6), dt.date(2022, 6, 28)
PROPOSED, OBJECTED = dt.date(2022, 7, 18), dt.date(2022, 7, 19)


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_naming_create(*, plan: Plan, today: dt.date) -> int:
    """Returns how many were proposed (0 when done already, before 19 July, or when the plan
    has no such campaign)."""
    campaign = Campaign.objects.filter(plan=plan, code=CODE).first()
    if campaign is None or today < OBJECTED or campaign.proposed_at is not None:
        return 0
    if Nomination.objects.filter(campaign=campaign).exists():
        return 0
    staff = User.objects.filter(role=User.Role.DEPARTMENT_STAFF, department__name="组织部").first()
    if staff is None:
        return 0
    nominees = []
    for code in UNITS:
        reporter = User.objects.filter(unit__code=code, role=User.Role.UNIT_REPORTER).first()
        head = User.objects.filter(unit__code=code, role=User.Role.UNIT_HEAD).first()
        if reporter is None or head is None:
            continue
        with on_day(NOMINATED):
            nomination = services.nomination_create(
                campaign=campaign,
                actor=reporter,
                name=f"{reporter.unit.short_name}城关镇总工会",
                description="组织健全、制度完善、经费保障有力，会员评家活动开展规范。",
            )
            services.nomination_step(nomination=nomination, action="submit", actor=reporter)
            services.nomination_step(nomination=nomination, action="confirm", actor=head)
        with on_day(ADMITTED):
            services.nomination_step(nomination=nomination, action="admit", actor=staff)
        nominees.append(nomination)
    if not nominees:
        return 0
    with on_day(CLOSED):
        scoring_close(campaign=campaign, actor=staff)
    with on_day(PROPOSED):
        naming.campaign_propose(campaign=campaign, actor=staff, nominations=nominees)
        naming.campaign_publicity_open(campaign=campaign, actor=staff, starts_on=PROPOSED)
    with on_day(OBJECTED):
        naming.objection_raise(
            campaign=campaign,
            nomination=nominees[0],
            text="该镇总工会经费收缴情况需要核实。",
            contact="13800001234",
        )
    return len(nominees)
