"""The report page keeps what was typed: whatever button is pressed, a refusal shows every
figure as typed with its reason beside the field, and nothing is called a draft unless it was
saved."""

import re

import pytest
from django.urls import reverse

from evidence.models import Evidence
from reporting.models import Obligation, Report
from reporting.tests.files import JPG, upload

Status = Report.Status
FIGURES = ["4", "1", "30", "120", "40"]


@pytest.fixture
def june_day(settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"


@pytest.fixture
def december(plan_2022):
    """专案2's December progress: its period has not begun in July."""
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=2, kind="progress", period_end="2022-12-31"
    )


def url(name, obligation):
    return reverse(f"reporting:{name}", kwargs={"pk": obligation.pk})


def typed(obligation, values, **extra):
    data = {"version": 1, "note": "本月累计", **extra}
    indicators = obligation.indicators.order_by("order")
    for indicator, value in zip(indicators, values, strict=True):
        data[f"value_{indicator.pk}"] = value
        data[f"explanation_{indicator.pk}"] = ""
    return data


def shown_value(html, indicator) -> str:
    """What the input of `indicator` holds on the page."""
    found = re.search(
        rf'id="value_{indicator.pk}" name="value_{indicator.pk}" value="([^"]*)"', html
    )
    assert found, f"no input for {indicator.name}"
    return found[1]


def marked(html, indicator) -> bool:
    tag = re.search(rf'<input class="([^"]*)" inputmode="decimal" id="value_{indicator.pk}"', html)
    return tag is not None and "is-invalid" in tag[1].split()


def feedback(html, indicator) -> str:
    found = re.search(
        rf'<div class="invalid-feedback" id="error_{indicator.pk}">([^<]*)</div>', html
    )
    return found[1] if found else ""


def badge(html) -> str:
    return re.search(r'id="report-status"><span class="badge [^"]*">([^<]*)<', html)[1]


def test_uploading_a_file_keeps_every_figure_typed_beside_it(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(
        url("evidence_upload", may_reform),
        {**typed(may_reform, FIGURES), "files": [upload("培训现场.jpg", JPG)]},
        follow=True,
    )
    html = response.content.decode()
    assert "已上传 1 个文件" in html and "培训现场.jpg" in html
    indicators = list(may_reform.indicators.order_by("order"))
    assert [shown_value(html, i) for i in indicators] == FIGURES
    report = Report.objects.get(obligation=may_reform)
    assert report.status == Status.DRAFT and badge(html) == "草稿"
    assert report.note == "本月累计"


def test_submitting_without_saving_first_keeps_the_figures_and_marks_the_missing_ones(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(
        url("report_submit", may_reform), typed(may_reform, FIGURES[:3] + ["", ""])
    )
    html = response.content.decode()
    assert response.status_code == 200
    first, second, third, fourth, fifth = may_reform.indicators.order_by("order")
    assert [shown_value(html, i) for i in (first, second, third)] == FIGURES[:3]
    assert [marked(html, i) for i in (first, fourth, fifth)] == [False, True, True]
    assert feedback(html, fourth) == "提交前请填写此项。"
    assert "以下指标尚未填写：职业技能培训、新增技能人才" in html
    # Refused as a whole: nothing saved, so the page does not claim a draft.
    assert not Report.objects.filter(obligation=may_reform).exists()
    assert badge(html) == "未填报"


def test_submitting_typed_figures_saves_and_submits_them_in_one_step(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(
        url("report_submit", may_reform), typed(may_reform, FIGURES), follow=True
    )
    assert "已提交，等待单位负责人确认" in response.content.decode()
    report = Report.objects.get(obligation=may_reform)
    assert report.status == Status.SUBMITTED
    assert sorted(v.value for v in report.values.all()) == sorted(int(f) for f in FIGURES)


def test_wrong_figures_are_each_marked_beside_their_field_and_kept_as_typed(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    wrong = ["60.5", "-1", "两个", "120", "40"]
    response = client.post(url("report_save", may_reform), typed(may_reform, wrong))
    html = response.content.decode()
    assert response.status_code == 200
    first, second, third, fourth, _ = may_reform.indicators.order_by("order")
    assert [shown_value(html, i) for i in may_reform.indicators.order_by("order")] == wrong
    assert [marked(html, i) for i in (first, second, third, fourth)] == [True, True, True, False]
    assert "应填写整数" in feedback(html, first)
    assert "不能为负数" in feedback(html, second)
    assert "应填写数字" in feedback(html, third)
    assert (
        'placeholder="本期说明（选填）" aria-label="本期说明" form="report-form">本月累计<' in html
    )
    assert not Report.objects.filter(obligation=may_reform).exists()
    assert badge(html) == "未填报"


def test_a_refused_file_keeps_the_figures_and_says_why_beside_the_file_input(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(
        url("evidence_upload", may_reform),
        {**typed(may_reform, FIGURES), "files": [upload("病毒.exe", b"MZ")]},
    )
    html = response.content.decode()
    assert re.search(r'<div class="invalid-feedback" id="file-error">[^<]*类型不允许', html)
    first = may_reform.indicators.order_by("order").first()
    assert shown_value(html, first) == FIGURES[0]
    assert not Evidence.objects.filter(report__obligation=may_reform).exists()


def test_upload_without_a_file_asks_for_one_and_keeps_the_figures(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(url("evidence_upload", may_reform), typed(may_reform, FIGURES))
    html = response.content.decode()
    assert "请选择要上传的文件" in html
    assert shown_value(html, may_reform.indicators.order_by("order").first()) == FIGURES[0]


def test_a_saved_report_shows_its_figures_as_typed_and_a_draft_badge(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    client.post(url("report_save", may_reform), typed(may_reform, ["4", "1", "30", "1,200", "40"]))
    html = client.get(url("report", may_reform)).content.decode()
    shown = [shown_value(html, i) for i in may_reform.indicators.order_by("order")]
    assert shown == ["4", "1", "30", "1200", "40"] and badge(html) == "草稿"


def test_a_report_never_saved_is_shown_as_not_reported(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    assert badge(client.get(url("report", may_reform)).content.decode()) == "未填报"


def test_a_period_that_has_not_begun_cannot_be_filled_in_saved_or_submitted(
    client, ruzhou_reporter, december, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    client.force_login(ruzhou_reporter)
    html = client.get(url("report", december)).content.decode()
    assert "该期（2022年12月）尚未开始，12月1日起可填报。" in html
    assert 'name="value_' not in html and "提交单位负责人确认" not in html
    figures = ["1", "1", "1"]
    for name in ("report_save", "report_submit"):
        response = client.post(url(name, december), typed(december, figures))
        page = response.content.decode()
        assert response.status_code == 200
        assert "该期（2022年12月）尚未开始，12月1日起可填报。" in page
    assert not Report.objects.filter(obligation=december).exists()


def test_a_period_opens_on_its_first_day(client, ruzhou_reporter, december, settings):
    settings.UNIONPLAN_TODAY = "2022-12-01"
    client.force_login(ruzhou_reporter)
    response = client.post(url("report_submit", december), typed(december, ["1", "1", "1"]))
    assert response.status_code == 302
    assert Report.objects.get(obligation=december).status == Status.SUBMITTED


def test_the_unit_head_sees_confirm_and_send_back_and_the_reviewer_approve_and_return(
    client, ruzhou_reporter, ruzhou_head, labour_staff, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    client.post(url("report_submit", may_reform), typed(may_reform, FIGURES))
    client.force_login(ruzhou_head)
    html = client.get(url("report", may_reform)).content.decode()
    assert ">确认并报送市总</button>" in html and ">退回填报员</button>" in html
    assert ">审核通过</button>" not in html
    assert 'name="value_' not in html  # submitted: figures are read-only now
    client.post(url("report_confirm", may_reform), {"version": 2})
    client.force_login(labour_staff)
    html = client.get(url("report", may_reform)).content.decode()
    assert ">审核通过</button>" in html and ">退回修改</button>" in html
    assert ">确认并报送市总</button>" not in html


def test_a_file_chosen_beside_a_wrong_figure_is_not_dropped_in_silence(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    response = client.post(
        url("evidence_upload", may_reform),
        {**typed(may_reform, ["60.5", *FIGURES[1:]]), "files": [upload("现场.jpg", JPG)]},
    )
    html = response.content.decode()
    first = may_reform.indicators.order_by("order").first()
    assert marked(html, first) and shown_value(html, first) == "60.5"
    assert 'id="file-error">文件（1 个）未上传：请先改正上面的内容，再重新选择文件' in html
    assert not Evidence.objects.filter(report__obligation=may_reform).exists()


def test_a_refused_figure_is_not_shown_with_the_flag_of_the_figure_saved_before(
    client, ruzhou_reporter, may_reform, june_day
):
    client.force_login(ruzhou_reporter)
    client.post(url("report_save", may_reform), typed(may_reform, ["21", *FIGURES[1:]]))
    saved = client.get(url("report", may_reform)).content.decode()
    assert "远超本单位任务" in saved  # 21 against an allocation of 10
    response = client.post(
        url("report_save", may_reform), typed(may_reform, ["2.5", *FIGURES[1:]], version=2)
    )
    html = response.content.decode()
    first = may_reform.indicators.order_by("order").first()
    assert shown_value(html, first) == "2.5" and marked(html, first)
    assert "远超本单位任务" not in html
