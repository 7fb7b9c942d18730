"""A campaign taken through proposal, 公示, an answered objection and naming, for the URL × role
matrix and the page-width walk: 汝州市's nominee named on 25 May 2022 by 劳动和经济工作部 (which
runs 专案3, the campaign's programme, and is the matrix's "staff")."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from campaigns.models import Campaign, Designation, Nomination, Objection
from campaigns.services import naming as services
from orgs.models import Unit


def named_campaign(*, plan, staff, nominator) -> dict:
    """{"naming_campaign", "objection", "designation"}: the campaign named, its answered
    objection and 汝州市's designation."""
    campaign = Campaign.objects.create(
        plan=plan,
        programme=plan.programmes.get(number=3),
        code="model-workers-test",
        title="2022年劳动竞赛先进集体评选",
        named_as="劳动竞赛先进集体",
        quota=1,
        nominate_by=dt.date(2022, 4, 30),
        publicity_days=5,
        scoring_closed_at=timezone.now(),
    )
    nominee = Nomination.objects.create(
        campaign=campaign,
        unit=Unit.objects.get(code="ruzhou"),
        name="汝州市某公司职工技能竞赛组委会",
        status=Nomination.Status.APPROVED,
        created_by=nominator,
        created_at=timezone.now(),
    )
    with override_settings(UNIONPLAN_TODAY="2022-05-18"):
        services.campaign_propose(campaign=campaign, actor=staff, nominations=[nominee])
        campaign = services.campaign_publicity_open(
            campaign=campaign, actor=staff, starts_on=dt.date(2022, 5, 18)
        )
        objection = services.objection_raise(campaign=campaign, text="请核实", nomination=nominee)
        services.objection_answer(objection=objection, actor=staff, answer="已核实")
    with override_settings(UNIONPLAN_TODAY="2022-05-25"):
        [designation] = services.campaign_name(
            campaign=campaign,
            actor=staff,
            named_on=dt.date(2022, 5, 25),
            decision_number="平工文〔2022〕20号",
            decision_title="关于命名2022年劳动竞赛先进集体的决定",
        )
    return {
        "naming_campaign": Campaign.objects.get(pk=campaign.pk),
        "objection": Objection.objects.get(pk=objection.pk),
        "designation": Designation.objects.get(pk=designation.pk),
    }
