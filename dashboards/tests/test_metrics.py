import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from dashboards import metrics


def test_completion_is_achieved_over_target_and_undefined_without_a_target():
    assert metrics.completion(D(30), D(120)) == D("0.25")
    assert metrics.completion(None, D(10)) == 0
    assert metrics.completion(D(5), None) is None
    assert metrics.completion(D(5), D(0)) is None


def test_time_elapsed_counts_whole_days_of_the_window():
    start, end = dt.date(2022, 4, 1), dt.date(2022, 12, 31)  # 275 days
    assert metrics.time_elapsed(start, end, dt.date(2022, 3, 1)) == 0
    assert metrics.time_elapsed(start, end, dt.date(2022, 4, 1)) == D(1) / D(275)
    assert metrics.time_elapsed(start, end, dt.date(2022, 8, 15)) == D(137) / D(275)
    assert metrics.time_elapsed(start, end, dt.date(2023, 1, 9)) == 1


def test_the_year_is_past_half_from_2_july_and_in_a_leap_year_from_1_july():
    assert not metrics.year_half_passed(2022, dt.date(2022, 6, 30))
    assert not metrics.year_half_passed(2022, dt.date(2022, 7, 1))  # 182 of 365 days
    assert metrics.year_half_passed(2022, dt.date(2022, 7, 2))
    assert metrics.year_half_passed(2022, dt.date(2022, 7, 20))
    assert metrics.year_half_passed(2024, dt.date(2024, 7, 1))  # 183 of 366 days
    assert metrics.year_elapsed(2022, dt.date(2022, 12, 31)) == 1


def test_status_compares_task_progress_with_time_progress(settings):
    settings.UNIONPLAN_BEHIND_MARGIN = "0.10"
    settings.UNIONPLAN_FAR_BEHIND_MARGIN = "0.30"
    half = D("0.5")
    assert metrics.status(D(1), half) == metrics.DONE
    assert metrics.status(D("0.45"), half) == metrics.ON_TRACK  # 5 points behind: tolerated
    assert metrics.status(D("0.35"), half) == metrics.BEHIND
    assert metrics.status(D("0.15"), half) == metrics.FAR_BEHIND
    assert metrics.status(None, half) == metrics.NO_TARGET


def test_thresholds_are_configurable(settings):
    settings.UNIONPLAN_BEHIND_MARGIN = "0.20"
    assert metrics.status(D("0.35"), D("0.5")) == metrics.ON_TRACK


def test_projection_extends_the_pace_so_far_to_year_end():
    assert metrics.projection(D(40), D("0.25")) == 160
    assert metrics.projection(D(40), D(0)) is None


def test_the_score_caps_each_target_so_one_success_cannot_hide_a_failure():
    assert metrics.capped_score([D(3), D(0)]) == D("50.0")
    assert metrics.capped_score([D("0.5"), D("0.7")]) == D("60.0")
    assert metrics.capped_score([None]) is None


def test_time_elapsed_runs_from_the_progress_start_to_the_due_date_or_year_end():
    plan = SimpleNamespace(
        year=2022, issued_on=dt.date(2022, 3, 28), progress_from=dt.date(2022, 4, 1)
    )
    due_in_june = SimpleNamespace(due_date=dt.date(2022, 6, 30))
    open_ended = SimpleNamespace(due_date=None)
    as_of = dt.date(2022, 5, 31)
    assert metrics.elapsed(plan, as_of) == D(61) / D(275)  # the plan's year
    assert metrics.elapsed(plan, as_of, open_ended) == metrics.elapsed(plan, as_of)
    assert metrics.elapsed(plan, as_of, due_in_june) == D(61) / D(91)
    plan.progress_from = None  # no progress start: from the day the plan was issued
    assert metrics.window(plan) == (dt.date(2022, 3, 28), dt.date(2022, 12, 31))


def test_behind_means_trailing_elapsed_time_by_more_than_the_margin_and_not_done():
    half, margin = D("0.5"), D("0.10")
    assert metrics.is_behind(D("0.35"), half, margin)
    assert not metrics.is_behind(D("0.40"), half, margin)  # exactly the margin: tolerated
    assert not metrics.is_behind(D(1), D(1), D(-1))  # done is never behind
    assert not metrics.is_behind(None, half, margin)  # no target: not judged
