import datetime as dt

import pytest
from django.urls import reverse

from orgs.tests.personas import force_login_verified
from records.tests.web import competition_row
from reporting.tests.files import JPG, upload
from supervision.selectors import federation_steps, step_rows
from supervision.services import step_complete
from supervision.tests.conftest import SLUG

# The department page as a browser gets it: session, user, plan, departments, steps and
# their departments, completions with their files, people and rows, schedules.
PAGE_QUERIES = 13


def mark_done(plan, staff, reporter, n: int) -> None:
    """The first `n` dated steps 劳动和经济工作部 answers for, each done with a file, a row
    of the plan and a named list."""
    steps = [s for s in federation_steps(plan=plan, as_of=dt.date(2022, 7, 20)) if s.occurrences]
    mine = [s for s in steps if staff.department_id in s.department_ids][:n]
    assert len(mine) == n
    for i, step in enumerate(mine):
        step_complete(
            milestone=step.milestone,
            actor=staff,
            due_date=step.occurrences[0].due,
            done_on=dt.date(2022, 7, 1),
            note=f"第{i}项",
            names="甲\n乙",
            record_pk=competition_row(plan, reporter, f"竞赛{i}").pk,
            file=upload(f"材料{i}.jpg", JPG),
        )


@pytest.mark.parametrize("done", [1, 6])
def test_the_department_page_runs_as_many_queries_for_six_steps_done_as_for_one(
    client, today, plan_2022, labour_staff, ruzhou_reporter, django_assert_num_queries, done
):
    mark_done(plan_2022, labour_staff, ruzhou_reporter, done)
    force_login_verified(client, labour_staff)
    url = reverse("supervision:steps", args=[SLUG])
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get(url, {"department": ""})
    assert page.content.decode().count("bi-paperclip") == done


@pytest.mark.parametrize("done", [1, 6])
def test_the_steps_lines_are_read_in_a_fixed_number_of_queries_and_never_lazily(
    today, plan_2022, labour_staff, ruzhou_reporter, django_assert_num_queries, done
):
    mark_done(plan_2022, labour_staff, ruzhou_reporter, done)
    with django_assert_num_queries(7):
        rows, _counts = step_rows(plan=plan_2022, as_of=today)
    with django_assert_num_queries(0):
        shown = [
            (r.label, r.step.departments[0].name, r.occurrence.completion.done_by.username)
            for r in rows
            if r.occurrence
            and r.occurrence.completion
            and r.occurrence.completion.evidence.all()
            and r.occurrence.completion.record.form.title
        ]
    assert len(shown) == done
