"""A campaign of 专案3 (劳动和经济工作部, the matrix's "staff") with 汝州市's nomination
recommended by its head and waiting for the eligibility check, its 推荐表, and the leader as a
scorer: the URL × role matrix's and the page-width walk's objects for the nomination pages."""

import datetime as dt

from campaigns.models import Campaign
from campaigns.services import nominations as services
from campaigns.services.scoring import scorer_assign
from reporting.tests.files import JPG, upload


def nominated_campaign(*, plan, staff, reporter, head, leader) -> dict:
    """{"campaign", "nomination", "nomination_file", "seat"}."""
    campaign = Campaign.objects.create(
        plan=plan,
        programme=plan.programmes.get(number=3),
        code="c-matrix-teams",
        title="2022年劳动竞赛优秀组织单位评选",
        named_as="劳动竞赛优秀组织单位",
        quota=5,
        per_unit=1,
        nominate_by=dt.date(2022, 6, 30),
        materials=[{"code": "application", "label": "推荐表"}],
    )
    nomination = services.nomination_create(
        campaign=campaign,
        actor=reporter,
        name="汝州市某公司工会",
        description="组织开展岗位练兵和技能比武12场。",
    )
    [file] = services.nomination_files_add(
        nomination=nomination,
        actor=reporter,
        material="application",
        files=[upload("推荐表.jpg", JPG)],
    )
    services.nomination_step(nomination=nomination, action="submit", actor=reporter)
    nomination = services.nomination_step(nomination=nomination, action="confirm", actor=head)
    seat = scorer_assign(campaign=campaign, actor=staff, user=leader)
    return {"campaign": campaign, "nomination": nomination, "nomination_file": file, "seat": seat}
