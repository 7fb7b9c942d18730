"""The demo's 本部门工作节点: most steps due before the demo date done, some left overdue."""

import datetime as dt

from demo.accounts import demo_accounts_create
from demo.steps import demo_steps_create
from supervision.selectors import federation_steps


def test_the_demo_marks_most_steps_due_before_its_date_done_and_leaves_some_overdue(
    plan_2022, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    today = dt.date(2022, 7, 20)
    demo_accounts_create(plan=plan_2022)
    assert demo_steps_create(plan=plan_2022, today=today) > 10
    states = [s.state for s in federation_steps(plan=plan_2022, as_of=today)]
    assert states.count("done") > states.count("overdue") > 0
    assert demo_steps_create(plan=plan_2022, today=today) == 0  # never twice
