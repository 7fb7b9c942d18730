"""The demo's 公示: 市级基层工会规范化建设示范点's list public on 20 July with an objection to
answer."""

import datetime as dt

from campaigns.models import Campaign
from campaigns.selectors.naming import publicity_get
from demo.accounts import demo_accounts_create
from demo.naming import demo_naming_create


def test_the_demo_has_a_list_in_publicity_with_an_objection_to_answer(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    demo_accounts_create(plan=plan_2022)
    assert demo_naming_create(plan=plan_2022, today=dt.date(2022, 7, 20)) == 3
    shown = publicity_get(slug=plan_2022.slug, code="p04-model-sites")
    assert shown.state == "open"
    assert [n.unit.code for n in shown.proposed] == ["ruzhou", "jiaxian", "baofeng"]
    campaign = Campaign.objects.get(plan=plan_2022, code="p04-model-sites")
    [objection] = campaign.objections.all()
    assert objection.answered_at is None and objection.nomination.unit.code == "ruzhou"
    assert demo_naming_create(plan=plan_2022, today=dt.date(2022, 7, 20)) == 0
