"""市总统计: the responsible department enters the figures the federation counts itself."""

import datetime as dt
import html
import os
import re
import time
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from common.errors import ServiceError
from evidence.models import Evidence
from evidence.services import evidence_dir, evidence_path
from orgs.tests.factories import UserFactory
from plans.models import Indicator
from reporting import services
from reporting.models import CityFigure, OfficialValue
from reporting.tests.files import JPG, PDF, upload

CHECKUPS = "P08-checkups"  # 免费健康体检职工, 专案8 (劳动和经济工作部 among its departments)


@pytest.fixture
def checkups(plan_2022):
    return Indicator.objects.get(plan=plan_2022, code=CHECKUPS)


def enter(indicator, actor, value="3000", day=dt.date(2022, 5, 31), version=0, note="体检台账"):
    return services.city_figure_enter(
        indicator=indicator,
        actor=actor,
        period_end=day,
        raw_value=value,
        note=note,
        version=version,
    )


def history_url(code=CHECKUPS):
    return reverse(
        "reporting:city_figure_history", kwargs={"slug": "pingdingshan-2022", "code": code}
    )


def enter_url(code=CHECKUPS):
    return reverse(
        "reporting:city_figure_enter", kwargs={"slug": "pingdingshan-2022", "code": code}
    )


def test_a_city_figure_is_an_official_value_of_the_federation(checkups, labour_staff):
    figure = enter(checkups, labour_staff)
    official = figure.official
    assert official.unit.kind == "federation"
    assert official.report is None
    assert (official.indicator, official.period_end, official.value) == (
        checkups,
        dt.date(2022, 5, 31),
        D(3000),
    )
    assert official.withdrawn_at is None and official.counts


def test_entering_a_figure_is_audited_with_before_and_after(checkups, labour_staff):
    first = enter(checkups, labour_staff)
    enter(checkups, labour_staff, value="3200", version=first.version, note="更正：补录")
    entered, corrected = AuditEntry.objects.filter(
        event__startswith="reporting.city_figure."
    ).order_by("id")
    assert entered.event == "reporting.city_figure.entered"
    assert entered.before is None and entered.after["value"] == "3000.00"
    assert corrected.event == "reporting.city_figure.corrected"
    assert corrected.before["value"] == "3000.00"
    assert corrected.after == {
        "indicator": CHECKUPS,
        "period_end": "2022-05-31",
        "value": "3200.00",
        "note": "更正：补录",
        "version": 2,
    }
    assert corrected.actor == labour_staff


def test_a_correction_withdraws_the_old_official_value_and_keeps_it(checkups, labour_staff):
    first = enter(checkups, labour_staff)
    second = enter(checkups, labour_staff, value="3200", version=first.version)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawn_by == labour_staff
    assert OfficialValue.objects.get(pk=first.official_id).withdrawn_at == first.withdrawn_at
    assert second.version == 2 and second.official.withdrawn_at is None


def test_a_second_figure_for_the_same_date_needs_a_correction(checkups, labour_staff):
    enter(checkups, labour_staff)
    with pytest.raises(ServiceError, match="已有市总统计数 3,000，"):
        enter(checkups, labour_staff, value="3100")


def test_a_correction_made_on_a_stale_page_is_refused(checkups, labour_staff):
    first = enter(checkups, labour_staff)
    enter(checkups, labour_staff, value="3200", version=first.version)
    with pytest.raises(ServiceError, match="已被他人修改"):
        enter(checkups, labour_staff, value="3300", version=first.version)
    assert CityFigure.objects.filter(indicator=checkups).count() == 2


def test_withdrawing_keeps_the_figure_and_withdraws_its_official_value(checkups, labour_staff):
    figure = enter(checkups, labour_staff)
    services.city_figure_withdraw(figure=figure, actor=labour_staff, version=figure.version)
    figure.refresh_from_db()
    assert figure.withdrawn_at is not None
    assert figure.official.withdrawn_at is not None
    entry = AuditEntry.objects.get(event="reporting.city_figure.withdrawn")
    assert entry.before["value"] == "3000.00" and entry.after is None
    # The date is free again for a new figure.
    assert enter(checkups, labour_staff, value="2900").version == 2


def test_staff_of_another_department_may_not_enter(checkups, organisation_staff):
    with pytest.raises(ServiceError, match="责任部门"):
        enter(checkups, organisation_staff)


def test_an_indicator_units_report_takes_no_city_figure(plan_2022, labour_staff):
    reported = Indicator.objects.filter(plan=plan_2022, programme__number=3).first()
    with pytest.raises(ServiceError, match="由各单位报送"):
        enter(reported, labour_staff)


@pytest.mark.parametrize(
    ("value", "day", "message"),
    [
        ("-5", dt.date(2022, 5, 31), "不能为负数"),
        ("很多", dt.date(2022, 5, 31), "应填写数字"),
        ("12.5", dt.date(2022, 5, 31), "应填写整数"),
        ("100", dt.date(2023, 1, 31), "应在 2022 年内"),
        ("100", dt.date(2021, 12, 31), "应在 2022 年内"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(checkups, labour_staff, value, day, message):
    with pytest.raises(ServiceError, match=message):
        enter(checkups, labour_staff, value=value, day=day)
    assert not CityFigure.objects.exists()


def test_a_source_note_is_required(checkups, labour_staff):
    with pytest.raises(ServiceError, match="来源说明"):
        enter(checkups, labour_staff, note="  ")


# -- pages ---------------------------------------------------------------------------------


def test_the_department_enters_a_figure_through_the_page(client, checkups, labour_staff):
    client.force_login(labour_staff)
    page = client.get(
        reverse("reporting:city_figures", kwargs={"slug": "pingdingshan-2022"})
    ).content.decode()
    assert "免费健康体检职工" in page and 'name="period_end"' in page
    assert "筹集帮扶资金" not in page  # 权益保障部's
    response = client.post(
        enter_url(),
        {"period_end": "2022-06-30", "value": "4,500", "note": "体检机构汇总", "version": "0"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == history_url()
    text = response.content.decode()
    assert "已录入" in text and "4,500" in text and "体检机构汇总" in text
    assert CityFigure.objects.get().value == D(4500)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_end": "2022-06-30", "value": "-1", "note": "x"}, "不能为负数"),
        ({"period_end": "2022-06-30", "value": "abc", "note": "x"}, "应填写数字"),
        ({"period_end": "2023-01-05", "value": "1", "note": "x"}, "应在 2022 年内"),
        ({"period_end": "6月30日", "value": "1", "note": "x"}, "格式应为 YYYY-MM-DD"),
        ({"period_end": "2022-06-30", "value": "1", "note": ""}, "请填写来源说明"),
        ({"period_end": "2022-06-30", "value": "", "note": "x"}, "请填写累计完成数"),
    ],
)
def test_bad_input_on_the_page_shows_a_message_not_an_error(
    client, checkups, labour_staff, data, message
):
    client.force_login(labour_staff)
    response = client.post(enter_url(), {**data, "version": "0"}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CityFigure.objects.exists()


@pytest.mark.parametrize(("fixed", "offered"), [(None, "2022-12-31"), ("2022-07-20", "2022-07-20")])
def test_the_date_offered_is_today_or_the_plans_last_day_once_its_year_is_over(
    client, checkups, labour_staff, settings, fixed, offered
):
    settings.UNIONPLAN_TODAY = fixed
    client.force_login(labour_staff)
    for url in (
        history_url(),
        reverse("reporting:city_figures", kwargs={"slug": "pingdingshan-2022"}),
    ):
        page = client.get(url).content.decode()
        assert f'value="{offered}" min="2022-01-01" max="{offered}"' in page


def test_the_history_shows_who_entered_what_and_what_was_withdrawn(client, checkups, labour_staff):
    first = enter(checkups, labour_staff, note="第一次")
    enter(checkups, labour_staff, value="3200", version=first.version, note="第二次")
    client.force_login(labour_staff)
    page = client.get(history_url()).content.decode()
    assert "第一次" in page and "第二次" in page and "已撤销" in page
    assert labour_staff.display_name in page or labour_staff.username in page
    correcting = client.get(history_url(), {"correct": first.pk + 1}).content.decode()
    assert "保存更正" in correcting


def test_leaders_read_figures_but_enter_none(client, checkups, labour_staff):
    figure = enter(checkups, labour_staff, note="体检台账")
    leader = UserFactory(username="cf-leader")
    client.force_login(leader)
    page = client.get(history_url()).content.decode()
    assert "体检台账" in page and 'name="period_end"' not in page and "撤销</button>" not in page
    listing = client.get(
        reverse("reporting:city_figures", kwargs={"slug": "pingdingshan-2022"})
    ).content.decode()
    assert "筹集帮扶资金" in listing and "免费健康体检职工" in listing
    assert 'name="value"' not in listing
    data = {"period_end": "2022-06-30", "value": "1", "note": "x", "version": "0"}
    assert client.post(enter_url(), data).status_code == 403
    withdraw = reverse("reporting:city_figure_withdraw", kwargs={"pk": figure.pk})
    assert client.post(withdraw, {"version": figure.version}).status_code == 403
    assert CityFigure.objects.get().withdrawn_at is None


def test_another_departments_staff_is_refused(client, checkups, organisation_staff):
    client.force_login(organisation_staff)
    data = {"period_end": "2022-06-30", "value": "1", "note": "x", "version": "0"}
    assert client.post(enter_url(), data).status_code == 403
    assert not CityFigure.objects.exists()


def test_unit_users_never_see_the_pages(client, checkups, ruzhou_reporter, ruzhou_head):
    for user in (ruzhou_reporter, ruzhou_head):
        client.force_login(user)
        listing = reverse("reporting:city_figures", kwargs={"slug": "pingdingshan-2022"})
        assert client.get(listing).status_code == 403
        assert client.get(history_url()).status_code == 403
        data = {"period_end": "2022-06-30", "value": "1", "note": "x", "version": "0"}
        assert client.post(enter_url(), data).status_code == 403


def test_an_indicator_units_report_has_no_city_figure_page(client, plan_2022, labour_staff):
    reported = Indicator.objects.filter(plan=plan_2022, programme__number=3).first()
    client.force_login(labour_staff)
    assert client.get(history_url(reported.code)).status_code == 404


def test_the_nav_links_department_staff_to_the_city_figures(client, plan_2022, labour_staff):
    client.force_login(labour_staff)
    page = client.get(history_url()).content.decode()
    assert reverse("reporting:city_figures", kwargs={"slug": "pingdingshan-2022"}) in page


# -- evidence ------------------------------------------------------------------------------


def test_an_evidence_file_is_checked_stored_and_offered_to_federation_readers(
    client, checkups, labour_staff, leader, ruzhou_reporter
):
    client.force_login(labour_staff)
    client.post(
        enter_url(),
        {
            "period_end": "2022-06-30",
            "value": "4500",
            "note": "体检机构汇总",
            "version": "0",
            "evidence": upload("体检汇总.pdf", PDF),
        },
    )
    figure = CityFigure.objects.get()
    [file] = figure.evidence.all()
    assert (file.original_name, file.content_type) == ("体检汇总.pdf", "application/pdf")
    assert evidence_path(file).read_bytes() == PDF
    entry = AuditEntry.objects.get(event="reporting.city_figure.entered")
    assert entry.after["evidence"] == "体检汇总.pdf" and entry.after["sha256"] == file.sha256
    download = reverse("reporting:city_figure_evidence", kwargs={"pk": figure.pk})
    assert download in client.get(history_url()).content.decode()
    client.force_login(leader)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(ruzhou_reporter)
    assert client.get(download).status_code == 403


def test_a_city_figures_photo_is_a_file_of_the_one_model_shown_in_a_sandbox(
    client, checkups, labour_staff, ruzhou_reporter
):
    figure = services.city_figure_enter(
        indicator=checkups,
        actor=labour_staff,
        period_end=dt.date(2022, 6, 30),
        raw_value="4000",
        note="台账",
        evidence=upload("体检现场.jpg", JPG),
    )
    [file] = Evidence.objects.filter(cityfigure=figure)
    assert file.owner == figure and file.uploaded_by == labour_staff
    assert evidence_path(file).parent == evidence_dir()
    download = reverse("reporting:city_figure_evidence", kwargs={"pk": figure.pk})
    client.force_login(labour_staff)
    assert f"{download}?inline=1" in client.get(history_url()).content.decode()
    response = client.get(download, {"inline": "1"})
    assert b"".join(response.streaming_content) == JPG
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Security-Policy"].startswith("sandbox")
    client.force_login(ruzhou_reporter)
    assert client.get(download, {"inline": "1"}).status_code == 403


def test_a_figure_entered_without_a_file_has_nothing_to_download(client, checkups, labour_staff):
    figure = enter(checkups, labour_staff)
    client.force_login(labour_staff)
    download = reverse("reporting:city_figure_evidence", kwargs={"pk": figure.pk})
    assert client.get(download).status_code == 404


def test_a_disguised_evidence_file_is_refused_and_nothing_is_saved(client, checkups, labour_staff):
    before = set(evidence_dir().iterdir())
    client.force_login(labour_staff)
    response = client.post(
        enter_url(),
        {
            "period_end": "2022-06-30",
            "value": "4500",
            "note": "体检机构汇总",
            "version": "0",
            "evidence": upload("照片.jpg", PDF),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "扩展名与内容不符" in response.content.decode()
    assert not CityFigure.objects.exists()
    assert not Evidence.objects.exists()
    assert set(evidence_dir().iterdir()) == before


def test_the_orphan_purge_keeps_city_evidence_and_removes_strays(checkups, labour_staff):
    enter(checkups, labour_staff)
    figure = services.city_figure_enter(
        indicator=checkups,
        actor=labour_staff,
        period_end=dt.date(2022, 6, 30),
        raw_value="4000",
        note="台账",
        evidence=upload("台账.jpg", JPG),
    )
    kept = evidence_path(services.city_figure_file(figure))
    stray = evidence_dir() / "orphan-city"
    stray.write_bytes(b"left by a killed upload")
    for path in (kept, stray):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    call_command("purge_orphan_files", stdout=StringIO())
    assert kept.exists() and not stray.exists()


# -- a refused entry keeps what was typed ---------------------------------------------------


@pytest.fixture
def demo_day(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"


def shown(page, name) -> str:
    """What the entry form's input `name` holds on the page."""
    tag = re.search(rf'<input [^>]*\bname="{name}"[^>]*>', page)
    assert tag, f"no input {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag[0])
    return html.unescape(value[1]) if value else ""


def marked(page, name) -> bool:
    tag = re.search(rf'<input class="([^"]*)"[^>]*\bid="{name}"', page)
    return tag is not None and "is-invalid" in tag[1].split()


def feedback(page, name) -> str:
    found = re.search(rf'<div class="invalid-feedback[^"]*" id="{name}-error">([^<]*)</div>', page)
    return html.unescape(found[1]) if found else ""


def test_a_refused_figure_comes_back_as_typed_with_the_reason_beside_it(
    client, checkups, labour_staff, demo_day
):
    client.force_login(labour_staff)
    data = {"period_end": "2022-06-30", "value": "12abc", "note": "体检机构汇总", "version": "0"}
    response = client.post(enter_url(), data)
    assert response.status_code == 200  # the same page, not a redirect that loses the input
    page = response.content.decode()
    assert shown(page, "value") == "12abc"
    assert shown(page, "note") == "体检机构汇总"
    assert shown(page, "period_end") == "2022-06-30"
    assert marked(page, "value") and not marked(page, "note")
    assert feedback(page, "value") == "「免费健康体检职工」应填写数字，收到「12abc」。"
    assert "本次未保存，页面上保留了您填写的内容" in page
    assert not CityFigure.objects.exists()


def test_a_missing_note_is_marked_beside_the_note_and_the_figure_kept(
    client, checkups, labour_staff, demo_day
):
    client.force_login(labour_staff)
    data = {"period_end": "2022-06-30", "value": "4,500", "note": "", "version": "0"}
    page = client.post(enter_url(), data).content.decode()
    assert marked(page, "note") and feedback(page, "note") == "请填写来源说明。"
    assert shown(page, "value") == "4,500" and shown(page, "period_end") == "2022-06-30"


def test_a_file_chosen_beside_a_refused_figure_must_be_chosen_again(
    client, checkups, labour_staff, demo_day
):
    client.force_login(labour_staff)
    data = {
        "period_end": "2022-06-30",
        "value": "-1",
        "note": "体检机构汇总",
        "version": "0",
        "evidence": upload("体检汇总.pdf", PDF),
    }
    page = client.post(enter_url(), data).content.decode()
    assert marked(page, "evidence")
    assert (
        feedback(page, "evidence")
        == "文件「体检汇总.pdf」未上传：请先改正上面的内容，再重新选择文件。"
    )
    assert shown(page, "note") == "体检机构汇总"
    assert not Evidence.objects.exists()


def test_a_date_that_has_a_figure_is_marked_and_the_figure_printed_as_a_count(
    client, checkups, labour_staff, demo_day
):
    enter(checkups, labour_staff, value="4156", day=dt.date(2022, 7, 20))
    client.force_login(labour_staff)
    data = {"period_end": "2022-07-20", "value": "4200", "note": "补录", "version": "0"}
    page = client.post(enter_url(), data).content.decode()
    assert marked(page, "period_end")
    reason = feedback(page, "period_end")
    assert reason.startswith("2022-07-20 已有市总统计数 4,156，") and "4156.00" not in page
    assert shown(page, "value") == "4200" and shown(page, "note") == "补录"


def test_a_refused_correction_stays_a_correction_with_what_was_typed(
    client, checkups, labour_staff, demo_day
):
    figure = enter(checkups, labour_staff, value="3000")
    client.force_login(labour_staff)
    data = {"period_end": "2022-05-31", "value": "三千", "note": "更正", "version": figure.version}
    page = client.post(enter_url(), data).content.decode()
    assert "更正截至 2022-05-31 的数据（原为 3,000）" in page and "保存更正" in page
    assert shown(page, "value") == "三千" and shown(page, "note") == "更正"
    assert marked(page, "value")
    assert CityFigure.objects.get().value == D(3000)


# -- a figure below an earlier one needs a reason, as a unit's does --------------------------


def test_a_fall_without_a_reason_is_refused_and_what_was_typed_is_kept(
    client, checkups, labour_staff, demo_day
):
    enter(checkups, labour_staff, value="4156", day=dt.date(2022, 7, 1))
    client.force_login(labour_staff)
    data = {"period_end": "2022-07-20", "value": "4000", "note": "体检台账", "version": "0"}
    page = client.post(enter_url(), data).content.decode()
    assert marked(page, "value")
    assert feedback(page, "value") == (
        "「免费健康体检职工」累计值 4,000 低于截至 2022-07-01 的市总统计数 4,156，"
        "请在说明中写明原因。"
    )
    assert shown(page, "value") == "4000" and shown(page, "note") == "体检台账"
    assert shown(page, "period_end") == "2022-07-20"
    assert CityFigure.objects.count() == 1


def test_a_fall_with_a_reason_is_entered_and_the_reason_shown(
    client, checkups, labour_staff, demo_day
):
    enter(checkups, labour_staff, value="4156", day=dt.date(2022, 7, 1))
    client.force_login(labour_staff)
    data = {
        "period_end": "2022-07-20",
        "value": "4000",
        "note": "体检台账",
        "explanation": "剔除重复体检人次",
        "version": "0",
    }
    response = client.post(enter_url(), data, follow=True)
    assert response.redirect_chain[-1][0] == history_url()
    page = response.content.decode()
    assert "已录入" in page and "说明：剔除重复体检人次" in page
    figure = CityFigure.objects.get(period_end=dt.date(2022, 7, 20))
    assert (figure.value, figure.explanation) == (D(4000), "剔除重复体检人次")
    entry = AuditEntry.objects.filter(event="reporting.city_figure.entered").latest("id")
    assert entry.after["explanation"] == "剔除重复体检人次"


def test_a_figure_is_compared_with_the_latest_counted_figure_of_an_earlier_date(
    checkups, labour_staff, demo_day
):
    earlier = enter(checkups, labour_staff, value="3000", day=dt.date(2022, 5, 31))
    enter(checkups, labour_staff, value="4156", day=dt.date(2022, 7, 1))
    # A date before a higher figure is no fall; nor is a figure above a withdrawn one.
    assert enter(checkups, labour_staff, value="2000", day=dt.date(2022, 4, 30)).value == 2000
    services.city_figure_withdraw(figure=earlier, actor=labour_staff, version=earlier.version)
    assert enter(checkups, labour_staff, value="2500", day=dt.date(2022, 6, 30)).value == 2500
    with pytest.raises(ServiceError, match="低于截至 2022-07-01 的市总统计数 4,156"):
        enter(checkups, labour_staff, value="4155", day=dt.date(2022, 7, 20))
