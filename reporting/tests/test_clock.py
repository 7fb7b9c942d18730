import datetime as dt

from django.utils import timezone

from common import clock
from dashboards import selectors
from reporting import services
from reporting.tests.test_report_flow import submitted_and_confirmed

DAY = 24 * 3600


def _seconds_of_day(moment: dt.datetime) -> int:
    local = timezone.localtime(moment)
    return local.hour * 3600 + local.minute * 60 + local.second


def test_without_a_fixed_date_actions_are_stamped_with_the_real_time(settings):
    settings.UNIONPLAN_TODAY = None
    before = timezone.now()
    stamp = clock.now()
    assert before <= stamp <= timezone.now()


def test_on_a_fixed_date_actions_are_stamped_on_that_date_at_the_real_time_of_day(settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    stamp = clock.now()
    assert timezone.localdate(stamp) == dt.date(2022, 7, 20)
    gap = (_seconds_of_day(timezone.now()) - _seconds_of_day(stamp)) % DAY
    assert gap < 5 or gap > DAY - 5


def test_a_report_approved_on_a_demo_date_counts_on_the_dashboard_from_that_date(
    settings, plan_2022, may_reform, ruzhou_reporter, ruzhou_head, labour_staff
):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    report = submitted_and_confirmed(may_reform, ruzhou_reporter, ruzhou_head)
    services.report_approve(report=report, reviewer=labour_staff, version=report.version)
    first = may_reform.indicators.order_by("order").first()

    def achieved(as_of):
        overview = selectors.city_overview(plan=plan_2022, as_of=as_of)
        return next(r.achieved for r in overview.rows if r.indicator == first)

    assert achieved(dt.date(2022, 6, 1)) == 4
    assert achieved(dt.date(2022, 5, 31)) == 0
