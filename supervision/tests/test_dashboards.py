"""The federation's steps where the plan's progress is read: the 时间节点 timeline, the
overview's block and the bulletin, all as at their date."""

import datetime as dt
from io import BytesIO

import docx
from django.urls import reverse

from dashboards.bulletin import bulletin_docx
from dashboards.selectors import milestone_states
from orgs.tests.personas import force_login_verified
from supervision.selectors import federation_steps
from supervision.services import step_complete
from supervision.tests.conftest import SLUG


def done(step, staff, due, on):
    return step_complete(
        milestone=step, actor=staff, due_date=due, done_on=on, note="已办", names="通知"
    )


def test_the_timeline_shows_a_federation_step_done_with_its_date_or_overdue(
    client, today, plan_2022, april_step, may_step, labour_staff
):
    done(april_step, labour_staff, dt.date(2022, 4, 30), dt.date(2022, 4, 25))
    states = {s.milestone.pk: s for s in milestone_states(plan=plan_2022, as_of=today)}
    assert states[april_step.pk].state_label == "已完成（4月25日）"
    assert states[may_step.pk].state_label == "逾期未完成"
    # No step of the federation is merely 已到期 any more: each is done or overdue.
    federation = [s for s in states.values() if s.milestone.actor == "federation"]
    assert "due" not in {s.state for s in federation}
    force_login_verified(client, labour_staff)
    page = client.get(reverse("dashboards:milestones", args=[SLUG])).content.decode()
    assert "已完成（4月25日）" in page


def test_the_overview_counts_the_departments_overdue_steps_and_a_leaders_all(
    client, today, plan_2022, leader, labour_staff
):
    overdue = [s for s in federation_steps(plan=plan_2022, as_of=today) if s.state == "overdue"]
    mine = [s for s in overdue if labour_staff.department_id in s.department_ids]
    assert 0 < len(mine) < len(overdue)
    force_login_verified(client, leader)
    page = client.get(reverse("dashboards:overview", args=[SLUG])).content.decode()
    assert f"市总工作节点：</strong>{len(overdue)} 项逾期未完成" in page
    force_login_verified(client, labour_staff)
    page = client.get(reverse("dashboards:overview", args=[SLUG])).content.decode()
    assert f"本部门工作节点：</strong>{len(mine)} 项逾期未完成（市总共 {len(overdue)} 项）" in page


def test_the_bulletin_lists_the_steps_overdue_at_its_date_and_not_those_done(
    today, plan_2022, april_step, may_step, labour_staff
):
    done(april_step, labour_staff, dt.date(2022, 4, 30), dt.date(2022, 4, 25))
    # Done on 20 June: overdue as at 10 June.
    done(may_step, labour_staff, dt.date(2022, 5, 31), dt.date(2022, 6, 20))
    document = docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=dt.date(2022, 6, 10))))
    text = "\n".join(p.text for p in document.paragraphs)
    section = text.split("四、市总工作节点")[1].split("五、督办情况")[0]
    assert "截至2022年6月10日，市总工会本级承办的工作节点中有" in section
    assert (
        "“制定下发2022年劳模、艰苦岗位一线职工疗休养活动计划”（应于2022年5月31日前完成" in section
    )
    assert f"“{april_step.title}”" not in section
    later = docx.Document(BytesIO(bulletin_docx(plan=plan_2022, as_of=dt.date(2022, 6, 20))))
    assert "制定下发2022年劳模" not in "\n".join(p.text for p in later.paragraphs)
