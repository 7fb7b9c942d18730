"""Personal values on the pages: masked everywhere, empty in the edit form, revealed in full
only on request with a reason, audited, and never cached."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from personal import crypto
from records.models import Record
from records.services import record_create, records_confirm, records_submit
from records.tests.web import SLUG, competition_row, form, url

PHONE, MASK = "13812345678", "138****5678"
REASON = "联系推荐人核实产品产地"


@pytest.fixture
def row(plan_2022, ruzhou_reporter):
    return record_create(
        form=form(plan_2022, "products"),
        unit=ruzhou_reporter.unit,
        actor=ruzhou_reporter,
        raw={"product": "汝州粉条", "recommender": "张三", "phone": PHONE},
    )


def reveal_url(record) -> str:
    return reverse("records:row_reveal", kwargs={"slug": SLUG, "pk": record.pk})


def viewed() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event="records.personal.viewed"))


def test_the_row_page_shows_the_mask_and_an_empty_phone_input(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    response = client.get(url("row", pk=row.pk))
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert PHONE not in html and row.data["phone"] not in html
    assert f"已保存（{MASK}），留空则不修改" in html
    # The input carries no value: the stored phone never reaches the page.
    assert '<input type="text" name="phone" class="form-control" autocomplete="off"' in html
    assert 'inputmode="tel" id="id_phone">' in html
    assert MASK in html[html.index('id="personal"') :]
    assert 'id="reveal-form"' in html


def test_a_reader_sees_the_mask_in_the_row_values(client, row, leader):
    client.force_login(leader)
    html = client.get(url("row", pk=row.pk)).content.decode()
    assert MASK in html[html.index('id="record-values"') :] and PHONE not in html


def test_the_rows_list_and_the_review_queue_show_only_the_mask(
    client, plan_2022, row, ruzhou_reporter
):
    client.force_login(ruzhou_reporter)
    response = client.get(url("rows", code="products"))
    assert "no-store" in response["Cache-Control"]
    assert MASK in response.content.decode() and PHONE not in response.content.decode()
    records_submit(items=[(row, row.version)], actor=ruzhou_reporter)
    row.refresh_from_db()
    records_confirm(items=[(row, row.version)], actor=head_of("ruzhou", username="rz-head"))
    client.force_login(staff_of("权益保障部", username="rights-staff"))
    response = client.get(reverse("records:review"))
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "汝州粉条" in html and MASK in html and PHONE not in html


def _edit(client, record, **changes):
    data = {
        "version": record.version,
        "product": "汝州粉条",
        "recommender": "张三",
        "phone": "",
        **changes,
    }
    return client.post(url("row", pk=record.pk), data)


def test_saving_with_the_phone_left_empty_keeps_the_stored_value(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    token = row.data["phone"]
    assert _edit(client, row, note="宝丰特产").status_code == 302
    row.refresh_from_db()
    assert row.data["note"] == "宝丰特产" and row.data["phone"] == token


def test_typing_a_new_phone_replaces_the_stored_one(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    assert _edit(client, row, phone="0375-3799638").status_code == 302
    row.refresh_from_db()
    assert crypto.open(row.data["phone"]) == "0375-3799638"


def test_a_wrong_phone_is_refused_without_touching_the_stored_one(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    token = row.data["phone"]
    html = _edit(client, row, phone="12345").content.decode()
    assert "请填写11位手机号或带区号的固定电话" in html
    row.refresh_from_db()
    assert row.data["phone"] == token


@pytest.mark.parametrize("reason", ["", "   ", "看看"])
def test_a_reveal_without_a_sound_reason_is_refused_and_not_audited(
    client, row, ruzhou_reporter, reason
):
    client.force_login(ruzhou_reporter)
    response = client.post(reveal_url(row), {"field": "phone", "reason": reason})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请说明查看原因" in html or "查看原因至少 4 个字" in html
    assert PHONE not in html and not viewed()


def test_a_reveal_with_a_reason_shows_the_phone_once_audited_and_not_cached(
    client, row, ruzhou_reporter
):
    client.force_login(ruzhou_reporter)
    response = client.post(reveal_url(row), {"field": "phone", "reason": REASON})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f'<span class="fs-5" id="revealed-value">{PHONE}</span>' in html
    [entry] = viewed()
    assert entry.actor == ruzhou_reporter and entry.reason == REASON
    assert (entry.object_type, entry.object_id) == ("records.record", str(row.pk))
    assert entry.after == {"field": "phone", "label": "联系电话"}
    assert PHONE not in str(entry.before) + str(entry.after) + entry.reason


def test_the_responsible_department_and_leaders_may_reveal_too(client, row, leader):
    for user in (staff_of("权益保障部", username="rights-staff"), leader):
        client.force_login(user)
        response = client.post(reveal_url(row), {"field": "phone", "reason": REASON})
        assert PHONE in response.content.decode()
    assert len(viewed()) == 2


def test_another_units_row_answers_404_and_the_administrators_403(client, row):
    client.force_login(reporter_of("jiaxian", username="jx"))
    assert client.post(reveal_url(row), {"field": "phone", "reason": REASON}).status_code == 404
    client.force_login(staff_of("劳动和经济工作部", username="labour"))
    assert client.post(reveal_url(row), {"field": "phone", "reason": REASON}).status_code == 404
    for role in ("system_admin", "security_admin", "audit_admin"):
        force_login_verified(client, UserFactory(username=role, role=role))
        assert client.post(reveal_url(row), {"field": "phone", "reason": REASON}).status_code == 403
    assert not viewed()


def test_a_reveal_is_post_only_and_anonymous_visitors_are_sent_to_login(client, row):
    response = client.post(reveal_url(row), {"field": "phone", "reason": REASON})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(row.created_by)
    assert client.get(reveal_url(row)).status_code == 405


def test_a_field_that_is_not_personal_cannot_be_revealed(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    response = client.post(reveal_url(row), {"field": "recommender", "reason": REASON})
    assert "该栏不是个人信息" in response.content.decode() and not viewed()


def test_a_row_of_a_form_without_personal_fields_has_nothing_to_reveal(
    client, plan_2022, ruzhou_reporter
):
    record = competition_row(plan_2022, ruzhou_reporter, "岗位练兵")
    client.force_login(ruzhou_reporter)
    assert client.post(reveal_url(record), {"reason": REASON}).status_code == 404
    assert 'id="personal"' not in client.get(url("row", pk=record.pk)).content.decode()


def test_the_stored_row_holds_no_plain_phone_after_a_reveal(client, row, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    client.post(reveal_url(row), {"field": "phone", "reason": REASON})
    assert PHONE not in str(Record.objects.filter(pk=row.pk).values("data").get())
