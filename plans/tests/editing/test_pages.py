"""The edit pages: links on the programme page for the issuing federation's staff, forms in
the notice's words that keep what was typed on every refusal, and a message after each change
saying how the units' obligations followed and what the consistency check now finds."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory, head_of, reporter_of
from orgs.tests.personas import force_login_verified
from plans.lifecycle import plan_status_set
from plans.models import Indicator
from plans.selectors import table_get, table_layout
from plans.tests.editing.helpers import SLUG, indicator, step

PROGRAMME = reverse("plans:programme", args=[SLUG, 3])


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def staff(client, labour_staff):
    force_login_verified(client, labour_staff)
    return labour_staff


def indicator_post(**changes) -> dict:
    return {
        "name": "职业技能培训",
        "target": "8000人以上",
        "measure": "人",
        "comparator": "",
        "period": "monthly",
        **changes,
    }


def step_post(**changes) -> dict:
    m = step(2, 0)
    return {
        "title": m.title,
        "when_kind": "deadline",
        "end": "2022-04-30",
        "actor": "units",
        "scope_kinds": list(m.actor_scope),
        "deliverable": m.deliverable,
        "deliver_to": m.deliver_to,
        "late_policy": "flag",
        **changes,
    }


def test_the_issuing_federations_staff_find_edit_links_on_the_programme_page(client, staff):
    html = client.get(PROGRAMME).content.decode()
    assert reverse("plans:programme_edit", args=[SLUG, 3]) in html
    assert reverse("plans:indicator_edit", args=[SLUG, "P03-training"]) in html
    assert reverse("plans:table_edit", args=[SLUG, "T02"]) in html
    assert "＋ 添加指标" in html and "＋ 添加时间节点" in html
    steps = client.get(reverse("plans:programme", args=[SLUG, 2])).content.decode()
    assert reverse("plans:milestone_edit", args=[SLUG, 2, 0]) in steps


def test_leaders_and_a_closed_plans_readers_find_no_edit_links(client, plan_2022, staff, leader):
    plan_status_set(plan=plan_2022, status="closed", actor=staff)
    assert "＋ 添加指标" not in client.get(PROGRAMME).content.decode()
    force_login_verified(client, leader)
    plan_status_set(plan=plan_2022, status="published", actor=staff, reason="测试")
    assert "＋ 添加指标" not in client.get(PROGRAMME).content.decode()


def test_a_refused_target_comes_back_with_what_was_typed_and_the_reason_beside_it(client, staff):
    url = reverse("plans:indicator_edit", args=[SLUG, "P03-training"])
    response = client.post(
        url, indicator_post(name="职业技能培训（改）", target="9000人以上", comparator="about")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="职业技能培训（改）"' in html and 'value="9000人以上"' in html
    assert re.search(r'<option value="about" selected>', html)
    assert "与目标「9000人以上」中的限定词不一致（左右 ≠ 以上）" in html
    assert 'id="id_comparator"' in html and "form-select up-tap is-invalid" in html
    assert indicator("P03-training").name == "职业技能培训"


def test_a_saved_target_goes_back_to_the_programme_page_with_what_followed(client, staff):
    url = reverse("plans:indicator_edit", args=[SLUG, "P03-training"])
    response = client.post(url, indicator_post(target="9,000人以上"))
    assert response.status_code == 302
    assert response["Location"] == f"{PROGRAMME}#indicator-P03-training"
    page = text_of(client.get(PROGRAMME))
    assert "已修改指标「职业技能培训」。各单位的报送任务" in page
    assert "9,000 人以上" in page


def test_the_consistency_checks_new_findings_for_the_programme_are_shown(client, staff):
    url = reverse("plans:indicator_edit", args=[SLUG, "P03-craftsmen"])
    response = client.post(
        url,
        indicator_post(
            name="各级工会选树各类工匠人才", target="130", measure="名", comparator="eq"
        ),
        follow=True,
    )
    page = text_of(response)
    assert "一致性检查：" in page
    assert "130" in page.split("一致性检查：", 1)[1][:200]


def test_a_steps_new_date_is_chosen_in_chinese_and_the_obligations_follow(client, staff):
    url = reverse("plans:milestone_edit", args=[SLUG, 2, 0])
    form = client.get(url).content.decode()
    assert "截止（……前）" in form and "活动结束后N日内" in form and "县级市总工会" in form
    response = client.post(url, step_post(end="2022-05-31"))
    assert response["Location"].endswith("#step-0")
    assert step(2, 0).end_date == dt.date(2022, 5, 31)
    page = text_of(client.get(reverse("plans:programme", args=[SLUG, 2])))
    assert "各单位的报送任务已随之更新：新增" in page


def test_a_quarterly_step_is_added_from_the_chinese_choices(client, staff):
    url = reverse("plans:milestone_add", args=[SLUG, 3])
    response = client.post(
        url,
        step_post(
            title="报送选树情况", when_kind="quarterly", start="2022-04-01", end="2022-12-31"
        ),
    )
    assert response.status_code == 302
    made = step(3, 0)
    assert made.rule == {"recurring": "quarterly", "start": "2022-04-01", "end": "2022-12-31"}


def test_a_step_whose_dates_are_missing_keeps_what_was_typed(client, staff):
    url = reverse("plans:milestone_edit", args=[SLUG, 2, 0])
    response = client.post(url, step_post(title="改过的事项", when_kind="window", end=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="改过的事项"' in html and "请填写开始和结束日期。" in html


def test_the_delete_page_says_why_an_indicator_cannot_go(client, staff):
    html = client.get(reverse("plans:indicator_delete", args=[SLUG, "P03-craftsmen"]))
    text = text_of(html)
    assert "不能删除，因为：" in text and "任务分解表" in text
    assert 'id="delete-confirm"' not in html.content.decode()
    refused = client.post(reverse("plans:indicator_delete", args=[SLUG, "P03-craftsmen"]))
    assert refused.status_code == 200 and "不能删除指标" in text_of(refused)


def test_an_indicator_added_then_deleted_on_its_pages(client, staff):
    response = client.post(
        reverse("plans:indicator_add", args=[SLUG, 3]),
        indicator_post(name="新增技能比武", target="", comparator=""),
    )
    assert response.status_code == 302
    code = Indicator.objects.get(plan__slug=SLUG, name="新增技能比武").code
    response = client.post(reverse("plans:indicator_delete", args=[SLUG, code]))
    assert response.status_code == 302
    assert not Indicator.objects.filter(plan__slug=SLUG, code=code).exists()


def test_the_grid_keeps_typed_values_previews_then_saves(client, staff, plan_2022):
    url = reverse("plans:table_edit", args=[SLUG, "T02"])
    page = client.get(url).content.decode()
    assert 'name="cell-0-0" id="cell-0-0" value="10"' in page
    assert 'name="total-0" id="total-0" value="125"' in page
    inputs = r'name="((?:cell|total)-\d+(?:-\d+)?)" id="[^"]+" value="([^"]*)"'
    data = dict(re.findall(inputs, page))
    refused = client.post(url, {**data, "cell-0-0": "十二"}).content.decode()
    assert 'value="十二"' in refused and "有 1 个格子的数值无法识别" in refused
    preview = client.post(url, {**data, "cell-0-0": "12"}).content.decode()
    assert "预览：有 1 个数值有变化" in text_of_html(preview)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview)[1]
    saved = client.post(
        url, {**data, "cell-0-0": "12", "fingerprint": fingerprint, "confirm": "on"}
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#table-T02")
    assert table_layout(table_get(plan=plan_2022, code="T02")).rows[0][1][0] == 12


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("who", ["reporter", "head", "leader", "system_admin"])
def test_unit_users_leaders_and_administrators_may_not_change_a_plan(client, plan_2022, who):
    user = {
        "reporter": lambda: reporter_of("ruzhou", username="e-reporter"),
        "head": lambda: head_of("ruzhou", username="e-head"),
        "leader": lambda: UserFactory(username="e-leader", role=User.Role.LEADER),
        "system_admin": lambda: UserFactory(username="e-sys", role=User.Role.SYSTEM_ADMIN),
    }[who]()
    force_login_verified(client, user)
    url = reverse("plans:indicator_edit", args=[SLUG, "P03-training"])
    assert client.post(url, indicator_post(target="1")).status_code == 403
    assert indicator("P03-training").target == 8000


def test_another_federations_staff_find_no_such_plan(client, plan_2022):
    other = Unit.objects.create(
        code="xc-fed", name="许昌市总工会", short_name="许昌市总", kind="city"
    )
    other.federation = other
    other.save(update_fields=["federation"])
    department = Department.objects.create(federation=other, name="劳动和经济工作部")
    stranger = UserFactory(
        username="x-staff", role=User.Role.DEPARTMENT_STAFF, department=department
    )
    force_login_verified(client, stranger)
    url = reverse("plans:indicator_edit", args=[SLUG, "P03-training"])
    assert client.get(url).status_code == 404
    assert client.post(url, indicator_post(target="1")).status_code == 404
    assert indicator("P03-training").target == 8000
