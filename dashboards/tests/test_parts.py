"""Figures of money the notice prints in 万元, with a part (其中): the overview and the programme
page show the figures in 万元 beside the target, and the consistency check warns of a part whose
approved figure is above its whole's."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from dashboards.tests.test_selectors import approve
from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory, head_of, reporter_of
from plans.consistency import consistency_check
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_parts import MONEY
from plans.tests.planfile.test_spec import write
from reporting.models import Obligation
from reporting.services import obligations_generate


@pytest.fixture
def money_plan(tmp_path, db):
    plan = plan_load(spec=read_plan_file(write(tmp_path, MONEY))).plan
    obligations_generate(plan=plan)
    return plan


def report(plan, values):
    """甲县's May figures of 筹集帮扶资金 and its two parts, in 元, approved in June."""
    fed = Unit.objects.get(code="fed")
    staff = UserFactory(
        role=User.Role.DEPARTMENT_STAFF,
        department=Department.objects.get(federation=fed, name="组织部"),
    )
    obligation = Obligation.objects.get(
        plan=plan, unit__code="a", kind="progress", period_end="2030-05-31"
    )
    with override_settings(UNIONPLAN_TODAY="2030-06-02"):  # reported once May is over
        approve(
            obligation,
            values,
            reporter=reporter_of("a", username="a-reporter"),
            head=head_of("a", username="a-head"),
            staff=staff,
            confirm_on=dt.date(2030, 6, 3),
            approve_on=dt.date(2030, 6, 4),
        )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def leader(client, money_plan):
    user = UserFactory(role=User.Role.LEADER, federation=Unit.objects.get(code="fed"))
    client.force_login(user)
    return user


def test_the_overview_shows_figures_in_the_measure_the_target_is_printed_in(
    client, money_plan, leader
):
    report(money_plan, (2_500_000, 1_000_000, 500_000))
    with override_settings(UNIONPLAN_TODAY="2030-06-30"):
        html = client.get(reverse("dashboards:overview", args=[money_plan.slug])).content
    text = text_of(html.decode())
    assert "筹集帮扶资金 1,000 万元 250 万元" in text
    assert "其中： 用于困难职工帮扶 600 万元 100 万元" in text
    assert "2,500,000" not in text


def test_the_programme_page_shows_approved_figures_in_the_printed_measure(
    client, money_plan, leader
):
    report(money_plan, (2_500_000, 1_000_000, 500_000))
    url = reverse("reporting:programme_progress", args=[money_plan.slug, 1])
    text = text_of(client.get(url).content.decode())
    assert "筹集帮扶资金（万元） 其中：用于困难职工帮扶（万元）" in text
    assert "甲县 250 100 50" in text


def test_a_part_approved_above_its_whole_is_a_warning_of_the_consistency_check(money_plan):
    report(money_plan, (1_000_000, 1_200_000, 500_000))
    with override_settings(UNIONPLAN_TODAY="2030-07-01"):
        [finding] = [f for f in consistency_check(plan=money_plan) if f.kind == "part_figures"]
    assert finding.severity == "warning" and finding.programme == 1
    assert "「用于困难职工帮扶」（「筹集帮扶资金」的其中项）截至2030年7月1日的已审核数" in (
        finding.message
    )
    assert "全市合计 120 万元 > 100 万元" in finding.message
    assert "甲县（120 万元 > 100 万元）" in finding.message


def test_parts_approved_within_their_whole_are_not_reported(money_plan):
    report(money_plan, (2_500_000, 1_000_000, 500_000))
    with override_settings(UNIONPLAN_TODAY="2030-07-01"):
        assert not [f for f in consistency_check(plan=money_plan) if f.kind == "part_figures"]


def test_the_bulletin_and_the_overview_export_give_money_in_the_printed_measure(money_plan):
    from io import BytesIO

    import docx
    from openpyxl import load_workbook

    from dashboards import exports, selectors
    from dashboards.bulletin import bulletin_docx
    from dashboards.tests.test_bulletin import table_after

    report(money_plan, (2_500_000, 1_000_000, 500_000))
    as_of = dt.date(2030, 6, 30)
    with override_settings(UNIONPLAN_TODAY="2030-07-01"):
        bulletin = docx.Document(BytesIO(bulletin_docx(plan=money_plan, as_of=as_of)))
        overview = selectors.city_overview(plan=money_plan, as_of=as_of)
    rows = table_after(
        bulletin, ["指标", "计量单位", "目标", "已完成", "完成率", "时间进度", "状态"], "筹集"
    )
    assert rows[1][:4] == ["筹集帮扶资金", "万元", "1,000", "250"]
    assert rows[2][:4] == ["其中：用于困难职工帮扶", "万元", "600", "100"]
    sheet = load_workbook(BytesIO(exports.overview_xlsx(overview))).active
    money = next(r for r in sheet.iter_rows(values_only=True) if "筹集帮扶资金" in r)
    assert money[2:5] == ("万元", 1000, 250)
