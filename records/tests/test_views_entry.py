"""Entering rows on the web: the hub, a form's rows, adding, editing and deleting one row."""

import pytest

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory, reporter_of
from orgs.tests.personas import force_login_verified
from records.models import Record
from records.services import record_create, records_submit
from records.tests.web import (
    CHILDCARE,
    SLUG,
    block,
    childcare_row,
    competition_row,
    form,
    queries,
    url,
)


@pytest.fixture
def today(settings):
    settings.UNIONPLAN_TODAY = "2022-10-10"
    return settings.UNIONPLAN_TODAY


def products_row(plan, reporter, product):
    return record_create(
        form=form(plan, "products"),
        unit=reporter.unit,
        actor=reporter,
        raw={"product": product, "recommender": "张三", "phone": "13800000000"},
    )


def legal_rows(plan, reporter, teams: dict[str, int]):
    for team, activities in teams.items():
        record_create(
            form=form(plan, "legal-teams"),
            unit=reporter.unit,
            actor=reporter,
            raw={"name": team, "formed_on": "2022-03-01", "lawyers": "3", "cadre": "李四"},
        )
        for i in range(activities):
            record_create(
                form=form(plan, "legal-activities"),
                unit=reporter.unit,
                actor=reporter,
                raw={
                    "team": f" {team} ",  # spaces typed around the name still count
                    "held_on": f"2022-05-{i + 1:02d}",
                    "place_kind": "工地",
                    "place": "新城工地",
                    "services": "法律咨询、调解",
                },
            )


# -- the hub ---------------------------------------------------------------------------------


def test_a_unit_sees_every_form_with_deadline_counts_and_its_share(
    client, plan_2022, ruzhou_reporter, today
):
    childcare_row(plan_2022, ruzhou_reporter, children="12", attendance="200")
    products_row(plan_2022, ruzhou_reporter, "宝丰县香菇")
    client.force_login(ruzhou_reporter)
    html = client.get(url("hub")).content.decode()
    assert html.count('id="form-') == 17
    products = block(html, "form-products")
    assert "附件1 优质农副产品推荐统计表" in products
    assert "4月15日前报送" in products
    assert "已填报 1 样，应填报 2—3 样" in products
    # Due 15 April, still a draft in October: overdue.
    assert 'data-label="逾期"><span class="text-danger fw-semibold">1<' in products
    childcare = block(html, "form-childcare")
    assert 'data-label="未达标"><span class="text-danger fw-semibold">1<' in childcare
    assert 'data-label="草稿">1<' in childcare
    assert "6月15日、11月25日前报送" in block(html, "form-consumption")
    assert "逾期不予统计" in block(html, "form-consumption")


def test_the_hub_checks_four_activities_for_each_legal_team(
    client, plan_2022, ruzhou_reporter, today
):
    legal_rows(plan_2022, ruzhou_reporter, {"汝州第一服务分队": 4, "汝州第二服务分队": 1})
    client.force_login(ruzhou_reporter)
    html = client.get(url("hub")).content.decode()
    check = html[html.index('id="unit-rules"') :]
    assert "每支服务分队不少于 4 次集中公益法律服务活动：1 / 2 个达到 4 次" in check
    assert "（汝州第二服务分队 1 次）" in check
    assert "汝州第一服务分队" not in check


def test_federation_users_see_all_units_or_pick_one(
    client, plan_2022, ruzhou_reporter, jiaxian_reporter, leader, today
):
    products_row(plan_2022, ruzhou_reporter, "香菇")
    products_row(plan_2022, jiaxian_reporter, "红薯粉条")
    products_row(plan_2022, jiaxian_reporter, "山茱萸")
    client.force_login(leader)
    html = client.get(url("hub")).content.decode()
    assert 'id="unit-filter"' in html
    assert "每单位应填报 2—3 样；" in block(html, "form-products")
    html = client.get(url("hub") + "?unit=jiaxian").content.decode()
    assert "已填报 2 样，应填报 2—3 样" in block(html, "form-products")
    assert 'class="text-success requirement"' in block(html, "form-products")
    # An unknown unit is ignored rather than an error.
    assert client.get(url("hub") + "?unit=nowhere").status_code == 200


def test_department_staff_see_only_their_departments_forms(client, plan_2022, labour_staff):
    client.force_login(labour_staff)  # 劳动和经济工作部: 专案1 and 专案8
    html = client.get(url("hub")).content.decode()
    assert 'id="form-competitions"' in html and 'id="form-rest-batches"' in html
    assert 'id="form-childcare"' not in html
    assert client.get(url("rows", code="childcare")).status_code == 404


def test_the_administrators_do_not_handle_rows(client, plan_2022):
    force_login_verified(client, UserFactory(role="system_admin"))
    assert client.get(url("hub")).status_code == 403
    assert client.get(url("rows", code="childcare")).status_code == 403


# -- a form's rows -------------------------------------------------------------------------------


def test_the_rows_list_shows_the_schema_columns_status_compliance_and_lateness(
    client, plan_2022, ruzhou_reporter, today
):
    row = childcare_row(plan_2022, ruzhou_reporter, children="12", attendance="200")
    late = products_row(plan_2022, ruzhou_reporter, "香菇")
    client.force_login(ruzhou_reporter)
    html = client.get(url("rows", code="childcare")).content.decode()
    assert "托管人数（人）</th>" in html and "托管工作日数（天）</th>" in html
    cells = html[html.index(f'id="row-{row.pk}"') :]
    assert "2022-09-01 至 2022-09-30" in cells
    assert 'data-label="托管工作日数（天）">21<' in cells
    assert "草稿" in cells and "未达标" in cells and "托管规模不足20人" in cells
    assert f'value="{row.pk}.{row.version}"' in cells
    assert "提交单位负责人确认" in html and "审核通过" not in html
    html = client.get(url("rows", code="products")).content.decode()
    cells = html[html.index(f'id="row-{late.pk}"') :]
    assert "2022-04-15" in cells and "逾期</span>" in cells


def test_federation_users_filter_the_rows_by_unit_and_status(
    client, plan_2022, ruzhou_reporter, jiaxian_reporter, leader, today
):
    mine = childcare_row(plan_2022, ruzhou_reporter)
    theirs = childcare_row(plan_2022, jiaxian_reporter, name="郏县托管班")
    client.force_login(leader)
    html = client.get(url("rows", code="childcare")).content.decode()
    assert f'id="row-{mine.pk}"' in html and f'id="row-{theirs.pk}"' in html
    assert 'data-label="单位">郏县<' in html
    html = client.get(url("rows", code="childcare") + "?unit=jiaxian").content.decode()
    assert f'id="row-{mine.pk}"' not in html and f'id="row-{theirs.pk}"' in html
    html = client.get(url("rows", code="childcare") + "?status=approved").content.decode()
    assert '<tr id="row-' not in html
    # A leader reads; no checkboxes, no buttons.
    assert 'name="rows"' not in html


def test_a_unit_user_never_sees_another_units_rows(
    client, plan_2022, ruzhou_reporter, jiaxian_reporter
):
    theirs = childcare_row(plan_2022, jiaxian_reporter)
    client.force_login(ruzhou_reporter)
    html = client.get(url("rows", code="childcare") + "?unit=jiaxian").content.decode()
    assert f'id="row-{theirs.pk}"' not in html


# -- one row ---------------------------------------------------------------------------------------


def test_a_reporter_adds_a_childcare_row_and_sees_working_days_across_a_holiday(
    client, plan_2022, ruzhou_reporter, today
):
    client.force_login(ruzhou_reporter)
    response = client.post(url("row_new", code="childcare"), CHILDCARE, follow=True)
    html = response.content.decode()
    record = Record.objects.get(form__code="childcare")
    assert response.redirect_chain[-1][0] == url("row", pk=record.pk)
    # September 2022 has 22 weekdays; 中秋节 (12 September) is a holiday: 21 working days.
    assert "21 天" in block(html, "computed-working_days")
    assert "80 %" in block(html, "computed-attendance_rate")  # 420 / (25 × 21)
    assert "已保存。" in html and "未达标" not in html
    assert record.is_compliant and record.data["working_days"] == 21


def test_a_row_missing_a_standard_is_saved_with_a_warning(client, plan_2022, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    data = dict(CHILDCARE, children="15", attendance="300", has_insurance="否")
    html = client.post(url("row_new", code="childcare"), data, follow=True).content.decode()
    assert "已保存，但未达标：托管规模不足20人；未为托管对象购买人身意外伤害保险" in html
    assert 'id="issues"' in html
    record = Record.objects.get(form__code="childcare")
    assert not record.is_compliant


def test_a_row_rule_is_refused_above_the_form(client, plan_2022, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    data = dict(CHILDCARE, attendance="10000")  # more than 25 children × 30 days
    response = client.post(url("row_new", code="childcare"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "累计出勤人次不能多于托管人数 × 托管天数" in html[html.index('id="form-errors"') :]
    assert not Record.objects.exists()


def test_a_duplicate_row_is_refused(client, plan_2022, ruzhou_reporter):
    childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    html = client.post(url("row_new", code="childcare"), CHILDCARE).content.decode()
    assert "本单位已有一条托管班名称相同的记录" in html


def test_an_edit_from_a_stale_page_is_refused(client, plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    first = dict(CHILDCARE, children="30", version=record.version)
    assert client.post(url("row", pk=record.pk), first).status_code == 302
    second = dict(CHILDCARE, children="40", version=record.version)
    html = client.post(url("row", pk=record.pk), second).content.decode()
    assert "该记录已被他人修改，请刷新页面后重试" in html
    record.refresh_from_db()
    assert record.data["children"] == 30


def test_the_row_page_shows_its_history_before_and_after(client, plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    client.post(url("row", pk=record.pk), dict(CHILDCARE, children="30", version=1))
    html = client.get(url("row", pk=record.pk)).content.decode()
    history = html[html.index('id="history"') :]
    assert "新增记录" in history and "修改记录" in history
    assert "托管人数：25 → 30" in history
    assert "出勤率：80 → 66.7" in history


def test_a_submitted_row_is_read_only_for_its_unit(client, plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter)
    records_submit(items=[(record, None)], actor=ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    html = client.get(url("row", pk=record.pk)).content.decode()
    assert 'id="record-form"' not in html and 'id="record-values"' in html
    response = client.post(url("row", pk=record.pk), dict(CHILDCARE, children="30", version=2))
    assert "该记录已提交，不能修改" in response.content.decode()


def test_a_draft_is_deleted_but_a_submitted_row_is_kept(client, plan_2022, ruzhou_reporter):
    draft = childcare_row(plan_2022, ruzhou_reporter)
    sent = childcare_row(plan_2022, ruzhou_reporter, name="第二期托管班")
    records_submit(items=[(sent, None)], actor=ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    response = client.post(url("row_delete", pk=draft.pk), {"version": 1})
    assert response["Location"] == url("rows", code="childcare")
    assert not Record.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(event="records.record.deleted").count() == 1
    response = client.post(url("row_delete", pk=sent.pk), {"version": 2}, follow=True)
    assert "只有未提交过的草稿可以删除" in response.content.decode()
    assert client.post(url("row_delete", pk=sent.pk), {"version": "x"}).status_code == 302
    assert Record.objects.filter(pk=sent.pk).exists()


def test_another_units_row_answers_404(client, plan_2022, ruzhou_reporter, jiaxian_reporter):
    theirs = childcare_row(plan_2022, jiaxian_reporter)
    client.force_login(ruzhou_reporter)
    assert client.get(url("row", pk=theirs.pk)).status_code == 404
    data = dict(CHILDCARE, children="99", version=1)
    assert client.post(url("row", pk=theirs.pk), data).status_code == 404
    assert client.post(url("row_delete", pk=theirs.pk), {"version": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.data["children"] == 25


def test_a_row_is_only_found_under_its_own_plan(client, plan_2022, ruzhou_reporter):
    record = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    assert client.get(url("row", pk=record.pk, slug="another-plan")).status_code == 404


def test_leaders_and_staff_read_rows_but_do_not_enter_them(
    client, plan_2022, ruzhou_reporter, leader, labour_staff
):
    record = childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(leader)
    html = client.get(url("row", pk=record.pk)).content.decode()
    assert 'id="record-values"' in html and "鹰城暑期托管班" in html
    assert client.post(url("row", pk=record.pk), dict(CHILDCARE, version=1)).status_code == 403
    assert client.get(url("row_new", code="childcare")).status_code == 403
    client.force_login(labour_staff)  # 托管 belongs to 女职工部
    assert client.get(url("row", pk=record.pk)).status_code == 404


def test_the_todo_page_lists_forms_with_rows_to_send_or_correct(
    client, plan_2022, ruzhou_reporter, today
):
    childcare_row(plan_2022, ruzhou_reporter)
    client.force_login(ruzhou_reporter)
    html = client.get("/reporting/todo/").content.decode()
    card = html[html.index('id="records-todo"') :]
    assert "暑期爱心托管班登记表" in card and "未提交 1 条" in card
    assert url("hub") in card


def test_the_navigation_links_to_the_forms(client, plan_2022, ruzhou_reporter, leader):
    client.force_login(ruzhou_reporter)
    html = client.get(f"/plans/{SLUG}/").content.decode()
    assert f'href="{url("hub")}">统计表<' in html
    client.force_login(leader)
    html = client.get(f"/plans/{SLUG}/").content.decode()
    assert 'href="/records/review/">记录审核<' in html


# -- bounded queries -------------------------------------------------------------------------------


def _rows_for(plan, reporters, per_unit):
    for reporter in reporters:
        for i in range(per_unit):
            childcare_row(plan, reporter, name=f"托管班{i}")
            competition_row(plan, reporter, f"竞赛{i}")


def test_the_hub_and_the_rows_list_run_the_same_queries_for_few_and_many_rows(
    client, plan_2022, ruzhou_reporter, leader, today
):
    counts = {}
    for size, units in (("small", ["ruzhou"]), ("large", ["wugang", "baofeng", "lushan"])):
        reporters = [
            ruzhou_reporter if code == "ruzhou" else reporter_of(code, username=f"q-{code}")
            for code in units
        ]
        _rows_for(plan_2022, reporters, 1 if size == "small" else 6)
        legal_rows(plan_2022, reporters[0], {f"{size}分队": 2})
        pages = {}
        client.force_login(ruzhou_reporter)
        pages["unit_hub"] = queries(lambda: client.get(url("hub")))
        pages["unit_rows"] = queries(lambda: client.get(url("rows", code="childcare")))
        client.force_login(leader)
        pages["city_hub"] = queries(lambda: client.get(url("hub")))
        pages["city_rows"] = queries(lambda: client.get(url("rows", code="childcare")))
        pages["city_competitions"] = queries(lambda: client.get(url("rows", code="competitions")))
        counts[size] = pages
    assert counts["small"] == counts["large"]
    assert max(counts["large"].values()) <= 12
