import datetime as dt
from decimal import Decimal

from orgs.models import Unit
from plans.models import Milestone
from plans.selectors import unit_checklist


def test_a_county_owes_its_table_shares_and_the_per_unit_rules(plan_2022):
    checklist = unit_checklist(plan=plan_2022, unit=Unit.objects.get(code="ruzhou"))
    shares = {(d.programme.number, d.indicator.name): d.allocation for d in checklist.targets}
    assert shares[(9, "户外劳动者爱心驿站")] == Decimal(3)
    assert sum(1 for (n, _), v in shares.items() if n == 3 and v is not None) == 5
    rules = {d.indicator.name: d.per_unit for d in checklist.targets if d.per_unit}
    assert rules["工会主办的线下招聘活动"] == "每单位不少于 1 场次"


def test_a_county_sees_its_dated_steps_in_date_order(plan_2022):
    checklist = unit_checklist(plan=plan_2022, unit=Unit.objects.get(code="ruzhou"))
    dues = [d.due for d in checklist.steps if d.due]
    assert dues == sorted(dues)
    plan_step = next(
        d for d in checklist.steps if d.programme.number == 2 and "方案" in d.milestone.deliverable
    )
    assert plan_step.due == dt.date(2022, 4, 30)
    assert plan_step.milestone.deliver_to == "劳动和经济工作部"


def test_an_enterprise_union_is_not_given_steps_meant_for_counties(plan_2022):
    enterprise = unit_checklist(plan=plan_2022, unit=Unit.objects.get(code="jianghe"))
    county_only = Milestone.objects.filter(
        programme__plan=plan_2022, actor_scope=["county_city", "county", "district"]
    )
    assert county_only.exists()
    assert not {d.milestone.pk for d in enterprise.steps} & set(
        county_only.values_list("pk", flat=True)
    )


def test_every_programme_with_dated_steps_has_them_loaded(plan_2022):
    per_programme = {p.number: p.milestones.count() for p in plan_2022.programmes.all()}
    assert sum(per_programme.values()) == 89
    assert all(n > 0 for number, n in per_programme.items() if number != 3)
