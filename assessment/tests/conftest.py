"""The 2022 plan with figures a test sets up for 汝州市: its June report on 专案3 confirmed on
time and approved, two 督办单 due by 8 July of which one was closed on time, and the final
total of its 乡村振兴 rubric as the evaluations app reports it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import override_settings

from assessment import selectors as assessment_selectors
from dashboards.tests.test_selectors import approve
from orgs.tests.factories import head_of
from plans.models import Rubric
from reporting.models import Obligation
from supervision import notice_services
from supervision.tests.notice_helpers import issue

RUBRIC = "平顶山市乡村振兴劳模出彩行动评分标准"
# The weights the tests set, not the file's: the tests compute the composite by hand.
WEIGHTS = {
    "components": [
        {"kind": "completion", "weight": 40},
        {"kind": "timeliness", "weight": 30},
        {"kind": "rubric", "rubric": RUBRIC, "weight": 20},
        {"kind": "supervision", "weight": 10},
    ],
    "groups": "ranking",
}
JULY_10 = dt.date(2022, 7, 10)
# 汝州市's shares of 专案3's five indicators and its June figures.
SHARES = (10, 2, 80, 300, 100)
JUNE = (6, 1, 50, 150, 60)
JULY = (9, 2, 70, 200, 80)


def progress(code, end):
    return Obligation.objects.get(
        unit__code=code, programme__number=3, kind="progress", period_end=end
    )


@pytest.fixture
def rubric_totals(plan_2022, monkeypatch):
    """unit code → (final total, maximum) of the 乡村振兴 rubric, as `final_totals` gives them."""
    given: dict[str, tuple[D, D]] = {}
    rubric = Rubric.objects.get(programme__plan=plan_2022, title=RUBRIC)

    def final_totals(plan, *, as_of):
        from orgs.models import Unit

        units = {u.code: u.pk for u in Unit.objects.filter(code__in=given)}
        return {str(rubric.pk): {units[code]: total for code, total in given.items()}}

    monkeypatch.setattr(assessment_selectors, "final_totals", final_totals)
    return given


@pytest.fixture
def assessed(plan_2022, ruzhou_reporter, ruzhou_head, labour_staff, rubric_totals):
    """汝州市's June report confirmed on 4 July (on time) and approved on 6 July; two 督办单
    issued on 1 July due on 8 July, one closed on 7 July, the other still open; its rubric
    scored 80 of 100."""
    plan_2022.assessment = WEIGHTS
    plan_2022.save(update_fields=["assessment"])
    people = {"reporter": ruzhou_reporter, "head": ruzhou_head, "staff": labour_staff}
    approve(
        progress("ruzhou", "2022-06-30"),
        JUNE,
        confirm_on=dt.date(2022, 7, 4),
        approve_on=dt.date(2022, 7, 6),
        **people,
    )
    with override_settings(UNIONPLAN_TODAY="2022-07-01"):
        closed, _open = (
            issue(plan_2022, labour_staff, "ruzhou", due=dt.date(2022, 7, 8), subject=s)[0]
            for s in ("推进职工书屋建设", "报送专案3进度")
        )
    with override_settings(UNIONPLAN_TODAY="2022-07-07"):
        closed = notice_services.notice_sign(notice=closed, actor=ruzhou_head)
        closed = notice_services.notice_reply(
            notice=closed, actor=ruzhou_reporter, measures="已召开推进会"
        )
        notice_services.notice_close(notice=closed, actor=labour_staff)
    rubric_totals["ruzhou"] = (D(80), D(100))
    return plan_2022


@pytest.fixture
def jiaxian_head(plan_2022):
    return head_of("jiaxian", username="jiaxian-head-test")
