"""黄牌 / 红牌 on 我的待办, 催报 and the warnings page: the cards beside each item and unit, their
counts, the progress cards at the plan's margins, and the queries the pages run.

国庆 2022: 1–7 October are holidays, 8 and 9 October make-up working days, so on 30 September
the items due on 8, 9 and 10 October are within 3 working days, those due on 11 October not.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards import metrics
from dashboards.selectors import PlanFigures
from dashboards.tests.test_page_query_counts import queries_of
from demo.bench import bench_data_generate
from orgs.models import Unit, User
from orgs.tests.factories import UserFactory
from reporting.models import Obligation
from reporting.warning_levels import NONE, RED, YELLOW

SEEN = dt.date(2022, 9, 30)
TODO = reverse("reporting:todo")


def count(html: str, name: str) -> int:
    return int(re.search(rf'id="{name}">(\d+)<', html).group(1))


def configure(plan, **levels) -> None:
    plan.warning_levels = levels
    plan.save(update_fields=["warning_levels"])


@pytest.mark.parametrize(
    ("levels", "done", "card"),
    [
        # The plan's margins: more than 15 points behind is yellow, more than 30 red.
        ({"yellow_margin": 0.15, "red_margin": 0.3}, "0.35", NONE),
        ({"yellow_margin": 0.15, "red_margin": 0.3}, "0.34", YELLOW),
        ({"yellow_margin": 0.15, "red_margin": 0.3}, "0.20", YELLOW),
        ({"yellow_margin": 0.15, "red_margin": 0.3}, "0.19", RED),
        # Without them the settings' 滞后 (10 points) and 严重滞后 (30 points), as before.
        ({}, "0.40", NONE),
        ({}, "0.39", YELLOW),
        ({}, "0.19", RED),
        ({}, "1", NONE),
    ],
)
def test_progress_is_yellow_and_red_past_the_plans_margins_behind_the_time_elapsed(
    plan_2022, settings, levels, done, card
):
    settings.UNIONPLAN_BEHIND_MARGIN, settings.UNIONPLAN_FAR_BEHIND_MARGIN = "0.10", "0.30"
    plan_2022.warning_levels = levels
    margins = metrics.thresholds(plan_2022)
    assert metrics.progress_level(Decimal(done), Decimal("0.5"), margins) == card


def test_the_todo_page_shows_a_yellow_card_within_the_plans_working_days_and_counts_it(
    client, plan_2022, ruzhou_reporter, settings
):
    settings.UNIONPLAN_TODAY = SEEN.isoformat()
    client.force_login(ruzhou_reporter)
    item = Obligation.objects.filter(
        unit__code="ruzhou", kind=Obligation.Kind.PROGRESS, due_date__gt=dt.date(2022, 11, 1)
    ).first()
    before = client.get(TODO).content.decode()
    Obligation.objects.filter(pk=item.pk).update(due_date=dt.date(2022, 10, 10), title="待办甲")
    page = client.get(TODO).content.decode()
    assert re.search(r"黄牌</span>\s*待办甲", page)
    assert count(page, "count-yellow") == count(before, "count-yellow") + 1
    assert count(page, "count-red") == count(before, "count-red")

    configure(plan_2022, due_soon_workdays=2)  # 10 October is the 3rd working day
    page = client.get(TODO).content.decode()
    assert not re.search(r"</span>\s*待办甲", page) and "待办甲" in page

    settings.UNIONPLAN_TODAY = "2022-10-11"
    page = client.get(TODO).content.decode()
    assert re.search(r"红牌</span>\s*待办甲", page)


def test_chase_shows_each_units_card_beside_it_and_counts_them(
    client, plan_2022, labour_staff, settings
):
    settings.UNIONPLAN_TODAY = SEEN.isoformat()
    client.force_login(labour_staff)
    owed = Obligation.objects.filter(plan=plan_2022, programme__number=3)
    september = owed.filter(kind=Obligation.Kind.PROGRESS, period_end=dt.date(2022, 9, 30))
    assert september.exists()
    september.update(due_date=dt.date(2022, 10, 10))
    query = {"programme": 3, "until": "2022-10-10"}
    page = client.get(reverse("reporting:chase", args=[plan_2022.slug]), query).content.decode()
    # Nothing is reported in the test data: what fell due is red, September's yellow.
    red = owed.filter(due_date__lt=SEEN).count()
    yellow = owed.filter(due_date__gte=SEEN, due_date__lte=dt.date(2022, 10, 10)).count()
    assert count(page, "chase-yellow") == yellow >= september.count()
    assert count(page, "chase-red") == red
    row = page[page.index("2022年9月进度") :].split("</tr>")[0]
    assert '汝州市<span class="badge text-bg-warning up-card"' in row
    assert "红牌" not in row
    units = page[page.index('id="chase-unit-cards"') :].split("</table>")[0]
    ruzhou_red = owed.filter(unit__code="ruzhou", due_date__lt=SEEN).count()
    ruzhou_yellow = owed.filter(
        unit__code="ruzhou", due_date__gte=SEEN, due_date__lte=dt.date(2022, 10, 10)
    ).count()
    assert f'<td class="label">汝州市</td><td>{ruzhou_yellow}</td><td>{ruzhou_red}</td>' in units

    configure(plan_2022, due_soon_workdays=2)
    page = client.get(reverse("reporting:chase", args=[plan_2022.slug]), query).content.decode()
    row = page[page.index("2022年9月进度") :].split("</tr>")[0]
    assert "黄牌" not in row


def test_the_warnings_page_counts_each_units_cards_of_what_it_owes_and_of_its_progress(
    client, plan_2022, leader, settings
):
    settings.UNIONPLAN_TODAY = "2022-12-31"
    client.force_login(leader)
    ruzhou = Unit.objects.get(code="ruzhou")
    owed = Obligation.objects.filter(plan=plan_2022, unit=ruzhou)
    red = owed.filter(due_date__lt=SEEN).count()
    across = owed.filter(due_date__gte=SEEN, due_date__lte=dt.date(2022, 10, 10)).count()
    cards = {c.unit.code: c for c in PlanFigures(plan_2022, SEEN).cards}
    assert (cards["ruzhou"].due_yellow, cards["ruzhou"].due_red) == (across, red)
    warning = next(w for w in PlanFigures(plan_2022, SEEN).warnings if w.unit == ruzhou)
    assert cards["ruzhou"].progress_red == warning.red and warning.red + warning.yellow

    page = client.get(
        reverse("dashboards:warnings", args=[plan_2022.slug]), {"as_of": SEEN.isoformat()}
    ).content.decode()
    table = page[page.index('id="unit-cards"') :].split("</table>")[0]
    c = cards["ruzhou"]
    assert (
        f'<td class="label">汝州市</td><td>{c.yellow}</td><td>{c.red}</td>'
        f"<td>{c.due_yellow}</td><td>{c.due_red}</td>"
    ) in table
    assert "黄牌" in page and "红牌" in page

    # One working day: only 8 October's items are yellow.
    configure(plan_2022, due_soon_workdays=1)
    eighth = owed.filter(due_date__gte=SEEN, due_date__lte=dt.date(2022, 10, 8)).count()
    cards = {c.unit.code: c for c in PlanFigures(plan_2022, SEEN).cards}
    assert cards["ruzhou"].due_yellow == eighth


@pytest.mark.django_db
def test_the_warnings_chase_and_todo_pages_run_as_many_queries_for_40_units_as_for_10():
    def pages(plan):
        reporter = UserFactory(
            role=User.Role.UNIT_REPORTER,
            unit=plan.units.exclude(pk=plan.issuer_id).order_by("order").first(),
        )
        counts = queries_of(
            plan,
            {
                "warnings": f"/dashboards/{plan.slug}/warnings/?as_of=2022-09-30",
                "chase": reverse("reporting:chase", args=[plan.slug]) + "?until=2022-12-31",
            },
        )
        return counts | queries_of(plan, {"todo": TODO}, reader=reporter)

    small = pages(bench_data_generate(units=10).plans[0])
    assert pages(bench_data_generate(units=40).plans[0]) == small
