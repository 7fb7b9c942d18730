"""`when: timely` (适时): a step of the federation's the notice gives no date, loaded without one
for its department to date (supervision, 本部门工作节点)."""

import pytest

from plans.models import Milestone
from plans.planfile.dates import parse_rule
from plans.planfile.spec import PlanFileInvalid, read_plan_file
from plans.selectors import milestone_rule
from plans.services import plan_load
from plans.tests.planfile.test_spec import GOOD_HEAD, write

STEPS = """
programmes:
  - number: 1
    title: 专案一
    category: action
    departments: [{name: 组织部, source: text}]
    milestones:
      - {title: 适时召开现场观摩推进会, when: timely, actor: federation}
"""


def test_a_timely_rule_has_no_date_and_reads_as_the_notice_says():
    rule = parse_rule("timely")
    assert rule.is_timely and rule.occurrences() == [] and rule.describe() == "适时"
    assert not parse_rule({"due": "2022-04"}).is_timely


@pytest.mark.django_db
def test_a_timely_step_of_the_federation_loads_without_a_date(tmp_path):
    plan = plan_load(spec=read_plan_file(write(tmp_path, GOOD_HEAD + STEPS))).plan
    step = Milestone.objects.get(programme__plan=plan)
    assert (step.kind, step.end_date, step.rule) == ("deadline", None, "timely")
    assert milestone_rule(step).describe() == "适时"


def test_a_step_the_units_owe_needs_a_date(tmp_path):
    units = STEPS.replace("actor: federation}", "actor: units, actor_scope: [county]}")
    with pytest.raises(PlanFileInvalid) as caught:
        read_plan_file(write(tmp_path, GOOD_HEAD + units))
    [problem] = caught.value.problems
    assert problem.startswith("programmes[0].milestones[0].when: 各单位承办的步骤须写明日期")
