"""The flow on the web: checked rows submitted, confirmed, approved, returned and reopened, all
or none; the department's review queue; who may take which step."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from orgs.tests.factories import head_of, staff_of
from records.models import Record, RecordApproval
from records.tests.web import childcare_row, competition_row, queries, url

Status = Record.Status


@pytest.fixture
def women_staff(plan_2022):
    return staff_of("女职工部", username="women-staff")  # reviews 专案11 (托管, 母婴室)


@pytest.fixture
def jiaxian_head(plan_2022):
    return head_of("jiaxian", username="jiaxian-head-test")


def act(client, action, records, *, reason="", next_url="/records/review/"):
    data = {"rows": [f"{r.pk}.{r.version}" for r in records], "next": next_url}
    if reason:
        data["reason"] = reason
    return client.post(reverse("records:act", kwargs={"action": action}), data)


def refreshed(*records):
    for r in records:
        r.refresh_from_db()
    return [r.status for r in records]


def test_rows_go_from_submission_through_confirmation_to_approval(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff
):
    rows = [childcare_row(plan_2022, ruzhou_reporter, name=f"托管班{i}") for i in range(2)]
    rows_page = url("rows", code="childcare")
    client.force_login(ruzhou_reporter)
    response = act(client, "submit", rows, next_url=rows_page)
    assert response["Location"] == rows_page
    assert refreshed(*rows) == [Status.SUBMITTED] * 2

    client.force_login(ruzhou_head)
    html = client.get(rows_page).content.decode()
    assert "确认并报送市总" in html and "退回填报员" in html
    response = act(client, "confirm", rows, next_url=rows_page)
    assert "已确认 2 条并报送市总工会" in client.get(response["Location"]).content.decode()
    assert refreshed(*rows) == [Status.CONFIRMED] * 2

    client.force_login(women_staff)
    html = client.get("/records/review/").content.decode()
    assert "暑期爱心托管班登记表" in html and "汝州市 · 2 条" in html
    response = act(client, "approve", rows)
    assert response["Location"] == "/records/review/"
    assert "已审核通过 2 条" in client.get("/records/review/").content.decode()
    assert refreshed(*rows) == [Status.APPROVED] * 2
    assert RecordApproval.objects.filter(record__in=rows).count() == 2
    events = list(
        AuditEntry.objects.filter(object_type="records.record", object_id=str(rows[0].pk))
        .order_by("at", "id")
        .values_list("event", flat=True)
    )
    assert events == [
        "records.record.created",
        "records.record.submitted",
        "records.record.confirmed",
        "records.record.approved",
    ]


def test_a_returned_row_carries_its_reason_back_to_the_unit(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    act(client, "submit", [row])
    client.force_login(ruzhou_head)
    act(client, "confirm", [row.__class__.objects.get(pk=row.pk)])
    client.force_login(women_staff)
    row.refresh_from_db()
    response = act(client, "return", [row])  # no reason
    assert "请填写退回原因" in client.get(response["Location"]).content.decode()
    assert refreshed(row) == [Status.CONFIRMED]
    act(client, "return", [row], reason="请补充保单扫描件")
    assert refreshed(row) == [Status.RETURNED]
    client.force_login(ruzhou_reporter)
    html = client.get(url("row", pk=row.pk)).content.decode()
    assert "请补充保单扫描件" in html[html.index('id="return-reason"') :]
    history = html[html.index('id="history"') :]
    assert "部门退回" in history and "待部门审核 → 已退回" in history
    assert "原因：请补充保单扫描件" in history
    # The unit corrects and sends it again.
    assert 'id="record-form"' in html
    assert act(client, "submit", [row]).status_code == 302
    assert refreshed(row) == [Status.SUBMITTED]


def test_the_unit_head_sends_a_row_back_to_the_reporter(
    client, plan_2022, ruzhou_reporter, ruzhou_head
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    act(client, "submit", [row])
    row.refresh_from_db()
    client.force_login(ruzhou_head)
    act(client, "send_back", [row], reason="名称写错了")
    row.refresh_from_db()
    assert (row.status, row.return_reason) == (Status.RETURNED, "名称写错了")


def test_an_approved_row_is_reopened_with_a_reason(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    for user, action in ((ruzhou_reporter, "submit"), (ruzhou_head, "confirm")):
        client.force_login(user)
        row.refresh_from_db()
        act(client, action, [row])
    client.force_login(women_staff)
    row.refresh_from_db()
    act(client, "approve", [row])
    row.refresh_from_db()
    html = client.get(url("row", pk=row.pk)).content.decode()
    assert "撤销通过" in html[html.index('id="row-actions"') :]
    act(client, "reopen", [row], reason="人数与签到表不符")
    row.refresh_from_db()
    assert row.status == Status.RETURNED
    assert RecordApproval.objects.get(record=row).withdrawn_at is not None
    entry = AuditEntry.objects.get(event="records.record.reopened", object_id=str(row.pk))
    assert entry.reason == "人数与签到表不符"


def test_one_row_in_the_wrong_state_refuses_the_whole_batch(
    client, plan_2022, ruzhou_reporter, ruzhou_head
):
    ready = childcare_row(plan_2022, ruzhou_reporter, name="已提交")
    draft = childcare_row(plan_2022, ruzhou_reporter, name="草稿")
    client.force_login(ruzhou_reporter)
    act(client, "submit", [ready])
    ready.refresh_from_db()
    client.force_login(ruzhou_head)
    response = act(client, "confirm", [ready, draft])
    assert "不在待确认状态" in client.get(response["Location"]).content.decode()
    assert refreshed(ready, draft) == [Status.SUBMITTED, Status.DRAFT]


def test_a_row_changed_since_the_page_was_drawn_is_refused(client, plan_2022, ruzhou_reporter):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    data = {"rows": [f"{row.pk}.7"], "next": "/records/review/"}
    response = client.post(reverse("records:act", kwargs={"action": "submit"}), data)
    assert "已被他人修改" in client.get(response["Location"]).content.decode()
    assert refreshed(row) == [Status.DRAFT]


def test_a_double_click_acts_once(client, plan_2022, ruzhou_reporter):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    act(client, "submit", [row])
    act(client, "submit", [row])  # the same page, posted twice
    assert AuditEntry.objects.filter(event="records.record.submitted").count() == 1


def moved_through(client, row, *steps):
    """Each (user, action) taken on `row` in turn from the review buttons."""
    for user, action in steps:
        client.force_login(user)
        act(client, action, [row])
        row.refresh_from_db()


def test_submitting_rows_already_awaiting_confirmation_warns_that_nothing_moved(
    client, plan_2022, ruzhou_reporter, ruzhou_head
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    moved_through(client, row, (ruzhou_reporter, "submit"))
    client.force_login(ruzhou_head)
    rows_page = url("rows", code="childcare")
    response = act(client, "submit", [row], next_url=rows_page)
    html = client.get(response["Location"]).content.decode()
    assert '<div class="alert alert-warning">所选记录都已提交、正在等待单位负责人确认' in html
    assert "已提交 0 条" not in html
    assert AuditEntry.objects.filter(event="records.record.submitted").count() == 1


def test_confirming_or_approving_rows_already_done_warns_that_nothing_moved(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    moved_through(client, row, (ruzhou_reporter, "submit"), (ruzhou_head, "confirm"))
    html = client.get(act(client, "confirm", [row])["Location"]).content.decode()
    assert "所选记录都已确认报送市总，没有可确认的记录。" in html and "已确认 0 条" not in html

    moved_through(client, row, (women_staff, "approve"))
    html = client.get(act(client, "approve", [row])["Location"]).content.decode()
    assert "所选记录都已审核通过，没有可审核的记录。" in html and "已审核通过 0 条" not in html
    assert RecordApproval.objects.filter(record=row).count() == 1


def test_a_batch_with_some_rows_already_submitted_says_how_many_were_left(
    client, plan_2022, ruzhou_reporter
):
    done, fresh = (childcare_row(plan_2022, ruzhou_reporter, name=n) for n in ("早", "晚"))
    client.force_login(ruzhou_reporter)
    act(client, "submit", [done])
    done.refresh_from_db()
    html = client.get(act(client, "submit", [done, fresh])["Location"]).content.decode()
    assert (
        "已提交 1 条，等待单位负责人确认。另 1 条本已是「待单位负责人确认」，未重复操作。" in html
    )
    assert refreshed(done, fresh) == [Status.SUBMITTED] * 2


def test_each_step_belongs_to_its_role(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff, labour_staff, leader
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    assert act(client, "confirm", [row]).status_code == 403
    assert act(client, "approve", [row]).status_code == 403
    client.force_login(leader)
    for action in ("submit", "approve", "reopen"):
        assert act(client, action, [row], reason="x").status_code == 403
    client.force_login(women_staff)
    assert act(client, "submit", [row]).status_code == 403
    # Department staff of another programme do not see the row at all.
    client.force_login(labour_staff)
    assert act(client, "approve", [row]).status_code == 404
    # An unknown step is refused, not a server error.
    assert client.post(reverse("records:act", kwargs={"action": "delete"})).status_code == 403
    assert refreshed(row) == [Status.DRAFT]


def test_another_units_row_in_a_batch_answers_404_and_nothing_moves(
    client, plan_2022, ruzhou_reporter, jiaxian_reporter
):
    mine = childcare_row(plan_2022, ruzhou_reporter)
    theirs = childcare_row(plan_2022, jiaxian_reporter)
    client.force_login(ruzhou_reporter)
    assert act(client, "submit", [mine, theirs]).status_code == 404
    assert refreshed(mine, theirs) == [Status.DRAFT, Status.DRAFT]


def test_a_head_confirms_only_rows_of_their_own_unit(
    client, plan_2022, ruzhou_reporter, jiaxian_head
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    act(client, "submit", [row])
    row.refresh_from_db()
    client.force_login(jiaxian_head)
    assert act(client, "confirm", [row]).status_code == 404


def test_an_outside_next_address_is_not_followed(client, plan_2022, ruzhou_reporter):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    response = act(client, "submit", [row], next_url="https://evil.example/")
    assert response["Location"] == "/"


def test_leaders_read_the_review_queue_without_buttons(
    client, plan_2022, ruzhou_reporter, ruzhou_head, leader
):
    row = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    act(client, "submit", [row])
    row.refresh_from_db()
    client.force_login(ruzhou_head)
    act(client, "confirm", [row])
    client.force_login(leader)
    html = client.get("/records/review/").content.decode()
    assert "暑期爱心托管班登记表" in html and "领导只读" in html
    assert 'name="rows"' not in html and "审核通过</button>" not in html


def test_the_review_queue_shows_only_the_departments_own_forms(
    client, plan_2022, ruzhou_reporter, ruzhou_head, labour_staff, women_staff
):
    care = childcare_row(plan_2022, ruzhou_reporter)
    contest = competition_row(plan_2022, ruzhou_reporter, "焊工比武")
    client.force_login(ruzhou_reporter)
    act(client, "submit", [care, contest])
    client.force_login(ruzhou_head)
    for r in (care, contest):
        r.refresh_from_db()
    act(client, "confirm", [care, contest])
    client.force_login(labour_staff)
    html = client.get("/records/review/").content.decode()
    assert "技能竞赛项目登记表" in html and "暑期爱心托管班登记表" not in html
    client.force_login(women_staff)
    html = client.get("/records/review/").content.decode()
    assert "暑期爱心托管班登记表" in html and "技能竞赛项目登记表" not in html


def test_the_review_queue_runs_the_same_queries_for_few_and_many_rows(
    client, plan_2022, ruzhou_reporter, ruzhou_head, women_staff
):
    counts = []
    for n in (1, 8):
        rows = [
            childcare_row(plan_2022, ruzhou_reporter, name=f"第{n}批托管班{i}") for i in range(n)
        ]
        client.force_login(ruzhou_reporter)
        act(client, "submit", rows)
        client.force_login(ruzhou_head)
        for r in rows:
            r.refresh_from_db()
        act(client, "confirm", rows)
        client.force_login(women_staff)
        counts.append(queries(lambda: client.get("/records/review/")))
    assert counts[0] == counts[1] <= 10
