"""One as-of rule (docs/dashboards.md): a figure counts as at D when it is official at the end
of D, whatever the period it reports on; every page reads it the same way."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from dashboards import metrics, selectors
from dashboards.bulletin import bulletin_figures
from dashboards.tests.test_selectors import CRAFTSMEN, approve
from orgs.tests.factories import head_of, reporter_of, staff_of
from plans.models import Allocation
from reporting import services
from reporting.models import Obligation
from reporting.services import ValueInput

JULY_19, JULY_20 = dt.date(2022, 7, 19), dt.date(2022, 7, 20)
# 汝州市's shares of 专案3's five indicators, and its cumulative figures month by month.
SHARES = (10, 2, 80, 300, 100)
JUNE = (6, 1, 50, 150, 60)
JULY = (9, 2, 70, 200, 80)


def progress(code, end):
    return Obligation.objects.get(
        unit__code=code, programme__number=3, kind="progress", period_end=end
    )


@pytest.fixture
def july_approved_on_the_20th(plan_2022, ruzhou_reporter, ruzhou_head, labour_staff):
    """汝州市's June report approved on 6 July, its July report (the period ends on 31 July)
    approved on 20 July at 10:00."""
    people = {"reporter": ruzhou_reporter, "head": ruzhou_head, "staff": labour_staff}
    for end, values, confirm_on, approve_on in (
        ("2022-06-30", JUNE, dt.date(2022, 7, 4), dt.date(2022, 7, 6)),
        ("2022-07-31", JULY, dt.date(2022, 7, 19), JULY_20),
    ):
        approve(
            progress("ruzhou", end), values, confirm_on=confirm_on, approve_on=approve_on, **people
        )
    return plan_2022


def score(values, *, other_shares: int = 0) -> D:
    """汝州市's ranking score with `values` on 专案3 and nothing yet on its other shares."""
    done = [D(v) / D(s) for v, s in zip(values, SHARES, strict=True)]
    return metrics.capped_score(done + [D(0)] * other_shares)


def craftsmen(overview):
    return next(r for r in overview.rows if r.indicator.name == CRAFTSMEN)


def seen_by_every_page(plan, ruzhou, as_of) -> dict[str, object]:
    """汝州市's 工匠 figure (or its score, for the rankings) on each page as at `as_of`."""
    overview = craftsmen(selectors.city_overview(plan=plan, as_of=as_of))
    matrix = selectors.programme_matrix(plan=plan, number=3, as_of=as_of)
    [cells] = [cells for unit, cells in matrix.rows if unit.pk == ruzhou.pk]
    panel = selectors.unit_programme_reports(plan=plan, number=3, unit=ruzhou, as_of=as_of)
    [current] = [row for row in panel if row.state == "current"]
    ranking = selectors.unit_ranking(plan=plan, as_of=as_of, programme=3)
    bulletin = bulletin_figures(plan=plan, as_of=as_of)
    return {
        "overview": overview.achieved,
        "overview trend": [day for day, _ in overview.trend],
        "matrix": cells[0].achieved,
        "unit panel": (current.obligation.period_end.month, current.figures[0][1]),
        "ranking": next(r.score for r in ranking if r.unit == ruzhou),
        "bulletin": craftsmen(bulletin.overview).achieved,
        # The bulletin ranks over the whole plan.
        "bulletin ranking": next(r.score for r in bulletin.ranking if r.unit == ruzhou),
    }


def test_an_approval_counts_on_every_page_from_its_day_whatever_the_period_end(
    july_approved_on_the_20th,
):
    plan = july_approved_on_the_20th
    ruzhou = progress("ruzhou", "2022-07-31").unit
    others = Allocation.objects.filter(unit=ruzhou, indicator__plan=plan, value__gt=0).exclude(
        indicator__programme__number=3
    )

    assert seen_by_every_page(plan, ruzhou, JULY_20) == {
        "overview": 9,
        "overview trend": ["06-30", "07-31"],
        "matrix": 9,
        "unit panel": (7, 9),
        "ranking": score(JULY),
        "bulletin": 9,
        "bulletin ranking": score(JULY, other_shares=others.count()),
    }
    assert seen_by_every_page(plan, ruzhou, JULY_19) == {
        "overview": 6,
        "overview trend": ["06-30"],
        "matrix": 6,
        "unit panel": (6, 6),
        "ranking": score(JUNE),
        "bulletin": 6,
        "bulletin ranking": score(JUNE, other_shares=others.count()),
    }


def test_the_unit_panel_says_what_counted_on_the_day_even_after_later_approvals(
    july_approved_on_the_20th,
):
    ruzhou = progress("ruzhou", "2022-07-31").unit
    panel = selectors.unit_programme_reports(
        plan=july_approved_on_the_20th, number=3, unit=ruzhou, as_of=JULY_19
    )
    by_month = {row.obligation.period_end.month: row for row in panel}
    assert by_month[6].state == "current" and by_month[6].figures[0] == (CRAFTSMEN, 6)
    # Approved since: the report says 已通过 now, its figures did not count on the 19th.
    assert by_month[7].report.status == "approved"
    assert by_month[7].state == "waiting" and by_month[7].figures[0] == (CRAFTSMEN, 9)
    later = selectors.unit_programme_reports(
        plan=july_approved_on_the_20th, number=3, unit=ruzhou, as_of=JULY_20
    )
    assert [r.state for r in later if r.obligation.period_end.month in (6, 7)] == [
        "earlier",
        "current",
    ]


def test_reopening_after_the_day_leaves_the_days_figures_on_every_page(
    july_approved_on_the_20th, labour_staff, settings
):
    plan = july_approved_on_the_20th
    report = progress("ruzhou", "2022-07-31").report
    settings.UNIONPLAN_TODAY = "2022-07-25"
    services.report_reopen(report=report, reviewer=labour_staff, version=report.version, reason="x")
    ruzhou = report.obligation.unit
    as_at_20th = seen_by_every_page(plan, ruzhou, JULY_20)
    assert (as_at_20th["overview"], as_at_20th["matrix"], as_at_20th["unit panel"]) == (
        9,
        9,
        (7, 9),
    )
    assert seen_by_every_page(plan, ruzhou, dt.date(2022, 7, 25))["matrix"] == 6


# -- the demo: approving on the demo date shows on that date's dashboards ---------------------


def test_a_july_report_approved_on_the_demo_date_shows_on_that_dates_dashboards(
    plan_2022, client, settings
):
    settings.UNIONPLAN_TODAY = "2022-07-20"  # as `make run` sets it; the clock is the real one
    obligation = progress("ruzhou", "2022-07-31")
    reporter, head = reporter_of("ruzhou"), head_of("ruzhou")
    indicators = obligation.indicators.order_by("order")
    report = services.report_for(obligation=obligation)
    report = services.report_save(
        report=report,
        actor=reporter,
        version=report.version,
        note="",
        values=[ValueInput(i.pk, str(v)) for i, v in zip(indicators, JULY, strict=True)],
    )
    report = services.report_submit(report=report, actor=reporter, version=report.version)
    report = services.report_confirm(report=report, actor=head, version=report.version)

    client.force_login(staff_of("劳动和经济工作部"))
    approved = client.post(
        reverse("reporting:report_approve", args=[obligation.pk]), {"version": report.version}
    )
    assert approved.status_code == 302
    obligation.report.refresh_from_db()
    assert obligation.report.status == "approved"

    def page(name, *args, query=None):
        url = reverse(f"dashboards:{name}", args=[plan_2022.slug, *args])
        response = client.get(url, query or {})
        assert response.status_code == 200 and response.context["as_of"] == JULY_20
        return response.context

    assert craftsmen(page("overview")["overview"]).achieved == 9
    [cells] = [c for u, c in page("matrix", 3)["matrix"].rows if u.code == "ruzhou"]
    assert cells[0].achieved == 9
    panel = page("cell_history", 3, "ruzhou")["rows"]
    assert [r.state for r in panel if r.obligation == obligation] == ["current"]
    ranking = page("ranking", query={"programme": 3})["rows"]
    assert [r.score for r in ranking if r.unit.code == "ruzhou"] == [score(JULY)]


def test_the_unit_panel_reads_a_fixed_number_of_queries_and_nothing_lazily(
    july_approved_on_the_20th, django_assert_num_queries
):
    ruzhou = progress("ruzhou", "2022-07-31").unit
    with django_assert_num_queries(4):  # obligations, their values and indicators, figures
        rows = selectors.unit_programme_reports(
            plan=july_approved_on_the_20th, number=3, unit=ruzhou, as_of=JULY_20
        )
    with django_assert_num_queries(0):
        assert all(r.figures is not None and (r.report is None or r.report.status) for r in rows)
