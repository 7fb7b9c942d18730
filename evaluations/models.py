"""Rubric scoring of units (评分): a unit scored against one of its plan's rubrics.

A unit's reporter fills the self-assessment (自评: points and a note per item, files), the
unit's head confirms it to the federation, the programme's department scores each item (points
and a comment) and approves it (final) or returns it with a reason; an approval is undone
(撤销通过) with a reason. The steps are the one workflow's (reporting/workflow.py, kind
`evaluations.kind.EVALUATION`). Section rows of a rubric are the totals of their items, never
typed; an item the plan file ties to a figure (`Criterion.auto`) is scored from the official
figures. Each approval is kept as an `EvaluationResult`, so a final total can be read as at
any date (`selectors.final_totals`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from evidence.models import evidence_relation
from orgs.models import Unit
from plans.models import Criterion, Rubric
from reporting.workflow import BADGES, Status

POINTS = {"max_digits": 6, "decimal_places": 2}


class Evaluation(models.Model):
    """One unit × one rubric (评分自评 and the department's score)."""

    # PROTECT: a plan file that drops a rubric or item someone was scored on is refused
    # (common.sync), rather than erasing the scores with it.
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="evaluations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(default=False)
    return_reason = models.TextField("退回原因", blank=True)
    evidence = evidence_relation("evaluation")

    class Meta:
        ordering = ["rubric", "unit__order", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "unit"], name="one_evaluation_per_unit")
        ]
        verbose_name = "评分"

    def __str__(self) -> str:
        return f"{self.unit} · {self.rubric}"

    @property
    def badge(self) -> str:
        return BADGES[self.status]


class CriterionScore(models.Model):
    """One item of an evaluation: the unit's self points and note, the department's points
    and comment. Section rows are never stored (their totals are computed)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField("自评分", null=True, blank=True, **POINTS)
    self_note = models.CharField("自评说明", max_length=500, blank=True)
    points = models.DecimalField("评分", null=True, blank=True, **POINTS)
    comment = models.CharField("评分意见", max_length=500, blank=True)

    class Meta:
        ordering = ["evaluation", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                name="score_points_not_negative",
                condition=(models.Q(self_points__isnull=True) | models.Q(self_points__gte=0))
                & (models.Q(points__isnull=True) | models.Q(points__gte=0)),
            ),
        ]
        verbose_name = "评分自评的逐项评分"

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.criterion.code}"


class EvaluationResult(models.Model):
    """An approval's final total, kept: counted from `approved_at` until `reopened_at` (撤销通过),
    so the final result as at a date is reproducible without the audit log."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    total = models.DecimalField("最终得分", **POINTS)
    maximum = models.DecimalField("满分", **POINTS)
    approved_at = models.DateTimeField()
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "approved_at"]
        indexes = [models.Index(fields=["approved_at"])]
        verbose_name = "评分结果"

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.total}"
