"""The demo's 评分自评: 汝州市's submitted, 郏县's approved with a final total."""

import datetime as dt

from demo.accounts import demo_accounts_create
from demo.evaluations import demo_evaluations_create
from evaluations import selectors
from evaluations.models import Evaluation


def test_the_demo_has_ruzhou_submitted_and_jiaxian_approved(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    demo_accounts_create(plan=plan_2022)
    assert demo_evaluations_create(plan=plan_2022, today=dt.date(2022, 7, 20)) == 2
    states = dict(Evaluation.objects.values_list("unit__code", "status"))
    assert states == {"ruzhou": "submitted", "jiaxian": "approved"}
    finals = selectors.final_totals(plan_2022, as_of=dt.date(2022, 7, 20))
    assert len(next(iter(finals.values()))) == 1
    assert demo_evaluations_create(plan=plan_2022, today=dt.date(2022, 7, 20)) == 0
