"""The review pages as department staff use them: the notice in, each item decided beside its
source, the plan out; typed input kept on every refusal."""

from pathlib import Path

import pytest
from django.urls import reverse

from drafting import review
from drafting.models import PlanDraft
from drafting.notice import read_text
from drafting.services import draft_create
from orgs.tests.personas import force_login_verified
from plans.models import Plan

NOTICES = Path(__file__).parent / "notices"
SHORT = (NOTICES / "pingdingshan-2023-short.txt").read_text()


@pytest.fixture
def staff_client(client, labour_staff):
    force_login_verified(client, labour_staff)
    return client


@pytest.fixture
def draft(plan_2022, labour_staff):
    return draft_create(actor=labour_staff, notice=read_text(SHORT), name="通知.txt")


def test_pasting_a_notice_drafts_it_and_opens_the_review(staff_client, plan_2022):
    response = staff_client.post(reverse("drafting:list"), {"text": SHORT})
    draft = PlanDraft.objects.latest("pk")
    assert response.url == reverse("drafting:review", kwargs={"pk": draft.pk})
    page = staff_client.get(response.url).content.decode()
    assert "送温暖专案" in page
    assert 'id="src-P01-1"' in page  # the target's sentence is marked in the notice
    assert "待确认" in page


def test_a_notice_with_no_programme_is_refused_and_the_pasted_text_stays(staff_client, plan_2022):
    response = staff_client.post(reverse("drafting:list"), {"text": "会议纪要：请大家准时参会。"})
    page = response.content.decode()
    assert "没有从该通知中识别出任何专案" in page
    assert "会议纪要：请大家准时参会。" in page


def test_a_word_file_that_is_not_one_is_refused_in_chinese(staff_client, plan_2022):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("通知.docx", b"PK\x03\x04 not really", content_type="application/zip")
    page = staff_client.post(reverse("drafting:list"), {"file": bad}).content.decode()
    assert "通知.docx" in page
    assert PlanDraft.objects.count() == 0


def test_accepting_an_item_marks_it_accepted(staff_client, draft):
    url = reverse("drafting:decide", kwargs={"pk": draft.pk, "key": "P01-1"})
    response = staff_client.post(url, {"action": "accept"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert review.find(draft.content, "P01-1")[1]["state"] == review.ACCEPTED


def test_correcting_a_target_in_the_notices_words_stores_it_in_yuan(staff_client, draft):
    url = reverse("drafting:edit", kwargs={"pk": draft.pk, "key": "P01-1"})
    response = staff_client.post(url, {
        "name": "送温暖资金", "target": "650万元", "measure": "", "comparator": "gte",
    })  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    item = review.find(draft.content, "P01-1")[1]
    assert (item["target"], item["measure"], item["comparator"]) == (6_500_000, "元", "gte")
    assert item["state"] == review.ACCEPTED


def test_a_wrong_figure_is_refused_beside_the_field_and_what_was_typed_stays(staff_client, draft):
    url = reverse("drafting:edit", kwargs={"pk": draft.pk, "key": "P01-1"})
    page = staff_client.post(url, {
        "name": "送温暖资金（改）", "target": "六百万", "measure": "元", "comparator": "gte",
    }).content.decode()  # fmt: skip
    assert "不是数字" in page
    assert "送温暖资金（改）" in page
    assert "六百万" in page


def test_an_undated_step_is_given_a_date_in_the_form(staff_client, draft):
    step = next(s for s in draft.content["programmes"][0]["milestones"] if s["rule"] is None)
    url = reverse("drafting:edit", kwargs={"pk": draft.pk, "key": step["key"]})
    response = staff_client.post(url, {
        "title": "召开推进会", "kind": "window", "start": "2023-06-01", "end": "2023-06-30",
        "actor": "federation",
    })  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    corrected = review.find(draft.content, step["key"])[1]
    assert corrected["rule"] == {"start": "2023-06-01", "end": "2023-06-30"}
    assert corrected["when"] == "2023年6月1日至2023年6月30日"


def test_a_row_naming_no_unit_is_resolved_to_a_unit_of_the_federation(staff_client, draft):
    table = draft.content["programmes"][0]["tables"][0]
    row = next(i for i, r in enumerate(table["rows"]) if r["label"] == "某某县")
    url = reverse("drafting:row", kwargs={"pk": draft.pk, "key": table["key"], "row": row})
    assert "某某县" in staff_client.get(url).content.decode()
    staff_client.post(url, {"choice": "unit:宝丰县总工会"})
    draft.refresh_from_db()
    entry = review.find(draft.content, table["key"])[1]["rows"][row]
    assert (entry["unit"], entry["resolution"]["status"]) == ("宝丰县总工会", "chosen")


def test_a_missed_target_is_added_to_its_programme(staff_client, draft):
    url = reverse("drafting:add", kwargs={"pk": draft.pk, "key": "p1", "kind": "indicator"})
    staff_client.post(url, {"name": "慰问困难职工", "target": "500户以上", "comparator": "eq"})
    draft.refresh_from_db()
    added = draft.content["programmes"][0]["indicators"][-1]
    assert (added["target"], added["measure"], added["comparator"]) == (500, "户", "gte")
    assert added["state"] == review.ACCEPTED


def test_generate_stays_disabled_while_items_are_pending(staff_client, draft):
    page = staff_client.get(reverse("drafting:review", kwargs={"pk": draft.pk})).content.decode()
    assert 'id="generate" disabled' in page
    response = staff_client.post(reverse("drafting:generate", kwargs={"pk": draft.pk}))
    assert "还不能生成方案" in response.content.decode()
    assert not Plan.objects.filter(slug="pds-2023").exists()


def test_the_plan_file_downloads_as_yaml(staff_client, draft):
    response = staff_client.get(reverse("drafting:plan_file", kwargs={"pk": draft.pk}))
    assert response["Content-Type"].startswith("application/x-yaml")
    assert "送温暖专案" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_generated_draft_plan_is_published_from_its_overview_and_units_then_owe_its_steps(
    staff_client, draft, labour_staff, ruzhou_reporter
):
    from drafting.services import draft_generate, draft_header_set, draft_item_decide
    from reporting.models import Notification, Obligation

    draft = draft_header_set(actor=labour_staff, draft=draft, values={"title": "2023年送温暖专案"})
    for kind, item, _p in list(review.items(draft.content)):
        action = "delete" if kind == "milestone" and item["rule"] is None else "accept"
        if kind == "table":
            draft = _not_units(draft, item, labour_staff)
        draft = draft_item_decide(actor=labour_staff, draft=draft, key=item["key"], action=action)
    plan = draft_generate(actor=labour_staff, draft=draft)
    page = staff_client.get(reverse("plans:overview", kwargs={"slug": plan.slug})).content.decode()
    assert "草稿：各单位尚看不到" in page
    url = reverse("reporting:plan_publish", kwargs={"slug": plan.slug})
    assert "确认发布并生成报送任务" in staff_client.get(url).content.decode()
    response = staff_client.post(url)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED
    assert Obligation.objects.filter(plan=plan, unit__code="ruzhou").exists()
    told = Notification.objects.filter(user__unit__code="ruzhou", url__contains=plan.slug)
    assert told.exists() and "报送任务" in told.first().message
    assert "方案已发布" in staff_client.get(response.url).content.decode()


def _not_units(draft, table, actor):
    from drafting.services import draft_row_resolve

    for i, row in enumerate(table["rows"]):
        if row["resolution"]["status"] not in review.RESOLVED_ROW:
            draft = draft_row_resolve(
                actor=actor, draft=draft, table_key=table["key"], row=i, unit=None,
                status="not_unit",
            )  # fmt: skip
    return draft


def test_a_refused_decision_is_said_beside_the_item_as_well_as_at_the_top(staff_client, draft):
    table = draft.content["programmes"][0]["tables"][0]
    url = reverse("drafting:decide", kwargs={"pk": draft.pk, "key": table["key"]})
    page = staff_client.post(url, {"action": "accept"}).content.decode()
    assert f'data-item-error="{table["key"]}"' in page
    assert "某某县" in page


def test_the_rest_of_a_programme_is_accepted_at_once_and_what_cannot_be_is_said(
    staff_client, draft
):
    url = reverse("drafting:accept_rest", kwargs={"pk": draft.pk, "key": "p1"})
    page = staff_client.post(url).content.decode()
    draft.refresh_from_db()
    states = {i["key"]: i["state"] for _k, i, _p in review.items(draft.content)}
    assert states["P01-1"] == review.ACCEPTED
    assert states["T01a"] == review.PENDING  # 某某县 names no unit yet
    assert "另有 2 项须先处理" in page  # the table, and the 适时 step


def test_a_share_over_zero_is_refused_beside_the_field(staff_client, draft):
    url = reverse("drafting:edit", kwargs={"pk": draft.pk, "key": "P01-1"})
    page = staff_client.post(url, {"name": "比例", "target": "1/0", "comparator": "eq"})
    assert page.status_code == 200
    assert "分母不能为 0" in page.content.decode()
