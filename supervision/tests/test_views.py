import datetime as dt
import textwrap

import pytest
from django.urls import reverse

from orgs.models import Department, User
from orgs.tests.factories import UserFactory, reporter_of
from orgs.tests.personas import force_login_verified
from plans.models import Milestone
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.services.test_federations import SECOND_CITY
from reporting.tests.files import JPG, upload
from supervision.models import StepCompletion
from supervision.services import step_complete
from supervision.tests.conftest import SLUG

APRIL_END = dt.date(2022, 4, 30)


def page_of(client, user, url, **data):
    force_login_verified(client, user)
    return client.get(url, data)


def complete_url(step, slug=SLUG):
    return reverse("supervision:step_complete", args=[slug, step.pk])


def test_the_responsible_department_marks_a_step_done_with_a_file_from_its_page(
    client, today, april_step, labour_staff
):
    page = page_of(client, labour_staff, reverse("supervision:step", args=[SLUG, april_step.pk]))
    assert page.status_code == 200 and 'id="complete-form"' in page.content.decode()
    response = client.post(
        complete_url(april_step),
        {
            "due_date": "2022-04-30",
            "done_on": "2022-04-25",
            "note": "联合印发竞赛通知",
            "file": upload("通知.jpg", JPG),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已完成（4月25日）" in page and "通知.jpg" in page
    completion = StepCompletion.objects.get(milestone=april_step)
    file = client.get(reverse("supervision:completion_file", args=[completion.pk]))
    assert file.status_code == 200 and b"".join(file.streaming_content) == JPG


def test_a_refused_completion_comes_back_with_everything_typed_and_the_reason_beside_it(
    client, today, april_step, labour_staff
):
    force_login_verified(client, labour_staff)
    response = client.post(
        complete_url(april_step),
        {"due_date": "2022-04-30", "done_on": "2022-04-25", "note": "已印发竞赛通知", "record": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已印发竞赛通知</textarea>" in page and 'value="2022-04-25"' in page
    assert 'id="file-error"' in page and "至少一项" in page
    response = client.post(
        complete_url(april_step),
        {
            "due_date": "2022-04-30",
            "done_on": "2022-07-21",
            "note": "已印发",
            "file": upload("a.jpg", JPG),
        },
    )
    page = response.content.decode()
    assert "完成日期不能晚于今天" in page and "文件「a.jpg」未上传" in page
    assert not StepCompletion.objects.exists()


def test_another_department_reads_the_step_but_may_not_mark_it_done(
    client, today, april_step, organisation_staff
):
    page = page_of(
        client, organisation_staff, reverse("supervision:step", args=[SLUG, april_step.pk])
    ).content.decode()
    assert 'id="complete-form"' not in page and "劳动和经济工作部" in page
    response = client.post(
        complete_url(april_step),
        {"due_date": "2022-04-30", "done_on": "2022-04-25", "note": "印发", "names": "通知"},
    )
    assert response.status_code == 403
    assert not StepCompletion.objects.exists()


@pytest.mark.parametrize("role", ["leader", "reporter", "system_admin", "audit_admin"])
def test_leaders_read_the_steps_and_units_and_administrators_are_refused(
    client, today, april_step, role
):
    user = (
        reporter_of("ruzhou", username="r-test")
        if role == "reporter"
        else UserFactory(username=f"{role}-t", role=role)
    )
    page = page_of(client, user, reverse("supervision:steps", args=[SLUG]))
    assert page.status_code == (200 if role == "leader" else 403)
    posted = client.post(complete_url(april_step), {"note": "x"})
    assert posted.status_code == 403


@pytest.fixture
def second_city(plan_2022, tmp_path):
    path = tmp_path / "second.yaml"
    path.write_text(
        textwrap.dedent(SECOND_CITY.replace("XC_PINGMEI", "xc-pingmei")), encoding="utf-8"
    )
    plan = plan_load(spec=read_plan_file(path)).plan
    step = Milestone.objects.create(
        programme=plan.programmes.get(number=1),
        order=0,
        title="许昌的安排部署",
        kind=Milestone.Kind.DEADLINE,
        end_date=dt.date(2022, 4, 30),
        rule={"due": "2022-04-30"},
        actor=Milestone.Actor.FEDERATION,
    )
    return plan, step


def test_another_federations_step_is_not_found(
    client, today, second_city, april_step, labour_staff
):
    plan, step = second_city
    force_login_verified(client, labour_staff)
    for url in (
        reverse("supervision:step", args=[plan.slug, step.pk]),
        reverse("supervision:step", args=[SLUG, step.pk]),
        reverse("supervision:steps", args=[plan.slug]),
    ):
        assert client.get(url).status_code == 404, url
    posted = {"due_date": "2022-04-30", "done_on": "2022-04-25", "note": "x", "names": "x"}
    assert client.post(complete_url(step), posted).status_code == 404
    completion = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发",
        names="通知",
    )
    stranger = UserFactory(
        username="x-staff",
        role=User.Role.DEPARTMENT_STAFF,
        department=Department.objects.get(federation=plan.issuer, name="劳动和经济工作部"),
    )
    force_login_verified(client, stranger)
    undo = reverse("supervision:completion_undo", args=[completion.pk])
    assert client.post(undo, {"reason": "x"}).status_code == 404
    assert (
        client.get(reverse("supervision:completion_file", args=[completion.pk])).status_code == 404
    )


def test_staff_open_their_own_departments_steps_and_filter_them_by_state(
    client, today, april_step, labour_staff
):
    step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发",
        names="通知",
    )
    url = reverse("supervision:steps", args=[SLUG])
    page = page_of(client, labour_staff, url).content.decode()
    assert "本部门工作节点" in page and "安排部署" in page and "已完成（4月25日）" in page
    assert "印发新就业形态劳动者集中入会行动方案" not in page  # 组织部's
    overdue = client.get(url, {"state": "overdue"}).content.decode()
    assert "安排部署" not in overdue and "评估总结，选树先进" not in overdue
    assert "组织各级工会开展“安全生产月”活动" in overdue
    every = client.get(url, {"department": "", "state": "overdue"}).content.decode()
    assert "印发新就业形态劳动者集中入会行动方案" in every
    # As at 20 April the step was not done yet, and not due either.
    earlier = client.get(url, {"as_of": "2022-04-20"}).content.decode()
    assert "已完成（4月25日）" not in earlier


def test_a_typed_filter_that_makes_no_sense_is_said_in_chinese(client, today, labour_staff):
    page = page_of(
        client,
        labour_staff,
        reverse("supervision:steps", args=[SLUG]),
        state="x",
        department="99999",
        as_of="2022-02-30",
    )
    text = page.content.decode()
    assert page.status_code == 200 and "日期格式应为 YYYY-MM-DD" in text
    assert 'value="2022-02-30"' in text


def test_undoing_needs_a_reason_typed_on_the_steps_page(client, today, april_step, labour_staff):
    completion = step_complete(
        milestone=april_step,
        actor=labour_staff,
        due_date=APRIL_END,
        done_on=dt.date(2022, 4, 25),
        note="印发",
        names="通知",
    )
    force_login_verified(client, labour_staff)
    undo = reverse("supervision:completion_undo", args=[completion.pk])
    refused = client.post(undo, {"reason": " "})
    assert refused.status_code == 200 and "请填写撤销原因" in refused.content.decode()
    done = client.post(undo, {"reason": "误标"})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "逾期未完成" in page and "撤销，原因：误标" in page


def test_a_timely_step_is_given_its_date_on_its_page(client, today, timely_step, labour_staff):
    force_login_verified(client, labour_staff)
    url = reverse("supervision:step", args=[SLUG, timely_step.pk])
    page = client.get(url).content.decode()
    assert "适时" in page and 'id="schedule-form"' in page
    schedule = reverse("supervision:step_schedule", args=[SLUG, timely_step.pk])
    refused = client.post(schedule, {"due_date": "2023-01-10"})
    assert "日期应在 2022 年内" in refused.content.decode()
    assert 'value="2023-01-10"' in refused.content.decode()
    assert client.post(schedule, {"due_date": "2022-09-15"}).status_code == 302
    assert "已定于 2022-09-15" in client.get(url).content.decode()
