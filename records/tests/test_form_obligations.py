"""A form due on dates or every period is owed by each unit in its scope, one obligation per due
date (统计表报送): met by the first row of the period its unit head sends, or by 本期无."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of, staff_of
from plans.models import Allocation
from records.models import FormDefinition, NilReturn
from records.services import record_create, records_confirm, records_submit
from records.services.nil_returns import nil_return_declare, nil_return_withdraw
from reporting.models import Obligation
from reporting.services import obligations_generate

JUNE, NOVEMBER = dt.date(2022, 6, 15), dt.date(2022, 11, 25)
FORM = Obligation.Kind.FORM


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou", username="nil-reporter"),
        "head": head_of("ruzhou", username="nil-head"),
        "other": reporter_of("jiaxian", username="nil-other"),
        "staff": staff_of("权益保障部", username="nil-rights"),
    }


def owed(plan, code: str, unit: str = "ruzhou"):
    return Obligation.objects.filter(plan=plan, kind=FORM, form_code=code, unit__code=unit)


def purchase(plan, reporter, *, product: str, purchased_on: str):
    return record_create(
        form=FormDefinition.objects.get(plan=plan, code="consumption"),
        unit=reporter.unit,
        actor=reporter,
        raw={
            "unit_name": reporter.unit.name,
            "product": product,
            "origin": "其他",
            "method": "其他",
            "purchased_on": purchased_on,
            "amount": "1000",
        },
    )


def test_every_unit_but_the_federation_owes_attachment_3_on_both_dates(plan_2022):
    obligations = Obligation.objects.filter(plan=plan_2022, kind=FORM, form_code="consumption")
    units = set(plan_2022.units.exclude(kind=Unit.Kind.FEDERATION).values_list("pk", flat=True))
    assert set(obligations.values_list("unit_id", flat=True)) == units
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    assert june.title == "专案14「鼓励开展消费惠农活动专案」附件3 消费惠农统计表（6月15日前报送）"
    assert (june.due_date, june.late_policy, june.met_at) == (JUNE, "exclude", None)
    assert list(owed(plan_2022, "consumption").values_list("period_end", flat=True)) == [
        JUNE,
        NOVEMBER,
    ]


def test_a_recurring_form_is_owed_each_period_by_the_units_with_a_share_of_what_it_counts(
    plan_2022,
):
    # “五送” activities, each quarter from reporting's start (April) on, 5 days after it ends.
    culture = owed(plan_2022, "culture")
    assert [(o.period_start, o.due_date) for o in culture.order_by("due_date")] == [
        (dt.date(2022, 4, 1), dt.date(2022, 7, 5)),
        (dt.date(2022, 7, 1), dt.date(2022, 10, 8)),  # 5 Oct is in the National Day holiday
        (dt.date(2022, 10, 1), dt.date(2023, 1, 5)),
    ]
    sharing = Allocation.objects.filter(
        indicator__plan=plan_2022, indicator__code="P13-five-deliveries", unit__isnull=False
    )
    culture = Obligation.objects.filter(plan=plan_2022, kind=FORM, form_code="culture")
    assert set(culture.values_list("unit_id", flat=True)) == set(
        sharing.values_list("unit_id", flat=True)
    )


def test_rows_due_a_week_after_their_own_date_stay_owed_row_by_row(plan_2022):
    assert not Obligation.objects.filter(plan=plan_2022, form_code="consumption-activities")


def test_the_obligation_is_met_when_the_unit_head_first_sends_a_row_of_the_period(
    plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-10"
    row = purchase(plan_2022, people["reporter"], product="小米", purchased_on="2022-06-01")
    records_submit(items=[(row, row.version)], actor=people["reporter"])
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    assert june.met_at is None  # submitted to the unit head, not yet sent to the federation
    settings.UNIONPLAN_TODAY = "2022-06-17"
    records_confirm(items=[(row, None)], actor=people["head"])
    june.refresh_from_db()
    assert (timezone.localdate(june.met_at), june.met_late) == (dt.date(2022, 6, 17), True)
    assert owed(plan_2022, "consumption").get(period_end=NOVEMBER).met_at is None


def test_generating_again_changes_nothing_and_keeps_what_units_have_met(
    plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-10"
    row = purchase(plan_2022, people["reporter"], product="小米", purchased_on="2022-06-01")
    records_submit(items=[(row, row.version)], actor=people["reporter"])
    records_confirm(items=[(row, None)], actor=people["head"])
    met = owed(plan_2022, "consumption").get(period_end=JUNE)
    assert not obligations_generate(plan=plan_2022).counts.changed
    again = owed(plan_2022, "consumption").get(period_end=JUNE)
    assert (again.pk, again.met_at, again.met_late) == (met.pk, met.met_at, False)


def test_when_the_form_is_no_longer_due_only_what_a_unit_acted_on_is_kept(
    plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-04-10"
    products = owed(plan_2022, "products").get()
    nil_return_declare(obligation=products, actor=people["reporter"], reason="本单位暂无推荐产品")
    nil_return_withdraw(obligation=products, actor=people["reporter"])
    form = FormDefinition.objects.get(plan=plan_2022, code="products")
    form.spec = {**form.spec, "deadline": {"kind": "none"}}
    form.save()
    result = obligations_generate(plan=plan_2022)
    assert [o.pk for o in result.kept_with_reports] == [products.pk]
    assert not owed(plan_2022, "products", unit="jiaxian").exists()


def test_nothing_to_report_meets_the_period_on_record_and_can_be_withdrawn(
    plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-20"
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    nil = nil_return_declare(obligation=june, actor=people["reporter"], reason=" 本期未采购 ")
    june.refresh_from_db()
    assert (nil.reason, june.met_late, timezone.localdate(june.met_at)) == (
        "本期未采购",
        True,
        dt.date(2022, 6, 20),
    )
    with pytest.raises(ServiceError, match="本期已声明本期无"):
        nil_return_declare(obligation=june, actor=people["head"], reason="再次声明一次")
    nil_return_withdraw(obligation=june, actor=people["head"])
    june.refresh_from_db()
    assert june.met_at is None
    events = AuditEntry.objects.filter(object_type="records.nilreturn", object_id=str(nil.pk))
    assert list(events.order_by("at", "id").values_list("event", "after__reason")) == [
        ("records.nil_return.declared", "本期未采购"),
        ("records.nil_return.withdrawn", "本期未采购"),
    ]
    assert NilReturn.objects.get(pk=nil.pk).withdrawn_by == people["head"]


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        ("2022-06-20", "无", "请写明本期无的原因（4—200 字）"),
        ("2022-06-20", "无" * 201, "请写明本期无的原因"),
        ("2022-06-10", "下半年尚未采购", "开始后才能声明本期无"),
    ],
)
def test_nothing_to_report_needs_a_reason_and_a_period_begun(
    plan_2022, people, settings, day, reason, message
):
    settings.UNIONPLAN_TODAY = day
    november = owed(plan_2022, "consumption").get(period_end=NOVEMBER)
    with pytest.raises(ServiceError, match=message):
        nil_return_declare(obligation=november, actor=people["reporter"], reason=reason)
    assert not NilReturn.objects.exists()


def test_nothing_to_report_is_refused_once_a_row_was_sent_and_to_another_unit(
    plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-10"
    row = purchase(plan_2022, people["reporter"], product="小米", purchased_on="2022-06-01")
    records_submit(items=[(row, row.version)], actor=people["reporter"])
    records_confirm(items=[(row, None)], actor=people["head"])
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    with pytest.raises(ServiceError, match="本期已有报送市总的记录"):
        nil_return_declare(obligation=june, actor=people["reporter"], reason="本期没有采购")
    with pytest.raises(ServiceError, match="只有本单位的填报人员"):
        nil_return_declare(obligation=june, actor=people["other"], reason="本期没有采购")


# -- the form's page: its periods and 本期无 --------------------------------------------------


def periods_url(plan, obligation, *, withdraw=False):
    name = "records:nil_return_withdraw" if withdraw else "records:nil_return_declare"
    return reverse(name, args=[plan.slug, "consumption", obligation.pk])


def test_the_forms_page_lists_the_units_periods_and_takes_nothing_to_report(
    client, plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    rows_url = reverse("records:rows", args=[plan_2022.slug, "consumption"])
    client.force_login(people["reporter"])
    page = client.get(rows_url).content.decode()
    assert "6月15日前报送 · 截止 2022年6月15日" in page and "已逾期未报送" in page
    assert periods_url(plan_2022, june) in page

    response = client.post(periods_url(plan_2022, june), {"reason": "本期未采购农副产品"})
    assert response.status_code == 302 and response["Location"] == rows_url
    page = client.get(rows_url).content.decode()
    assert "本期未采购农副产品" in page and periods_url(plan_2022, june, withdraw=True) in page

    response = client.post(periods_url(plan_2022, june, withdraw=True))
    assert response.status_code == 302
    june.refresh_from_db()
    assert june.met_at is None


def test_a_refused_reason_comes_back_as_typed_beside_its_period(
    client, plan_2022, people, settings
):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    client.force_login(people["reporter"])
    response = client.post(periods_url(plan_2022, june), {"reason": "没有"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="没有"' in page and "请写明本期无的原因（4—200 字）" in page
    assert not NilReturn.objects.exists()


def test_nothing_to_report_is_the_units_own_word(client, plan_2022, people, settings):
    settings.UNIONPLAN_TODAY = "2022-06-16"
    june = owed(plan_2022, "consumption").get(period_end=JUNE)
    url = periods_url(plan_2022, june)
    answers = {}
    for name in ("other", "staff"):
        client.force_login(people[name])
        answers[name] = client.post(url, {"reason": "本期未采购农副产品"}).status_code
    client.logout()
    answers["anonymous"] = client.post(url).status_code
    client.force_login(people["reporter"])
    answers["get"] = client.get(url).status_code
    assert answers == {"other": 404, "staff": 403, "anonymous": 302, "get": 405}
    assert not NilReturn.objects.exists()
