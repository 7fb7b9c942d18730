"""评分自评 in the one workflow (reporting/workflow.py): the report's steps, as they are (提交 →
确认并报送 → 审核通过 or 退回修改 → 撤销通过), for an evaluation of a unit against a rubric. The
reviewers are the staff of the rubric's programme's departments."""

from __future__ import annotations

from django.urls import reverse

from reporting import workflow

EVENTS = "evaluations.evaluation"
EVENT_SELF_SAVED = f"{EVENTS}.self_saved"
EVENT_SCORED = f"{EVENTS}.scored"
EVENT_EXPORTED = "evaluations.results.exported"

EVALUATION = workflow.Reviewed(
    noun="评分自评",
    events=EVENTS,
    unit_id=lambda e: e.unit_id,
    department_ids=lambda e: {d.pk for d in e.rubric.programme.departments.all()},
    due_date=lambda e: None,
    title=lambda e: f"{e.unit.short_name}：{e.rubric.title}自评",
    url=lambda e: reverse("evaluations:evaluation", kwargs={"pk": e.pk}),
    frozen=lambda e: e.rubric.programme.plan.closed_refusal,
    plan=lambda e: e.rubric.programme.plan,
)
