"""The federation's own steps followed to done (市总工作节点).

A step of the plan that the federation itself carries out (`Milestone.actor` federation) is
marked done by its responsible department, once per due date (a quarterly step is done each
quarter), with what was delivered: a file (an `Evidence` row), a form row and/or a named list.
A completion is undone with a reason, never deleted. A step the plan gives no date (适时) is
given one by its department: `StepSchedule`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from evidence.models import evidence_relation
from orgs.models import Department, Unit
from plans.models import Indicator, Milestone, Plan, Programme
from records.models import Record
from reporting.models import Obligation


class StepSchedule(models.Model):
    """The date a responsible department set for a step the plan gives none (适时)."""

    milestone = models.OneToOneField(
        Milestone, on_delete=models.CASCADE, related_name="step_schedule"
    )
    due_date = models.DateField("计划日期")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "工作节点日期"

    def __str__(self) -> str:
        return f"{self.milestone} · {self.due_date}"


class StepCompletion(models.Model):
    """One occurrence (due date) of a federation step marked done; kept when undone."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="step_completions"
    )
    due_date = models.DateField("截止日期")
    done_on = models.DateField("完成日期")
    note = models.CharField("完成情况", max_length=500)
    # The deliverable, besides the file (`evidence`): a row of one of the plan's forms, and/or
    # a named list, one name a line (the model sites named…).
    record = models.ForeignKey(
        Record, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    names = models.TextField("名单", blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undo_reason = models.CharField("撤销原因", max_length=200, blank=True)
    evidence = evidence_relation("step_completion")

    class Meta:
        ordering = ["milestone", "due_date", "done_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "due_date"],
                condition=models.Q(undone_at__isnull=True),
                name="one_completion_per_step_date",
            )
        ]
        verbose_name = "工作节点完成情况"

    def __str__(self) -> str:
        return f"{self.milestone} · {self.due_date}"

    @property
    def name_list(self) -> list[str]:
        return [line for line in self.names.splitlines() if line]


class SupervisionNotice(models.Model):
    """督办单: a department's notice to one unit to act by a date (交办 → 签收 → 办理 → 办结, or
    sent back to 办理 again). Issued to several units at once, each gets its own notice with the
    batch's reference number (督办〔2022〕3号). It moves through the one workflow
    (reporting/workflow.py) with its own table of steps (supervision/notices.py)."""

    class Status(models.TextChoices):
        ISSUED = "issued", "待签收"
        SIGNED = "signed", "待办理"
        REPLIED = "replied", "待办结"
        RETURNED = "returned", "退回重办"
        CLOSED = "closed", "已办结"

    class Source(models.TextChoices):
        WARNING = "warning", "预警"
        MISSING = "missing", "未报送"
        MANUAL = "manual", "直接交办"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="supervision_notices")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_notices")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="督办部门"
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")  # the batch's: 督办〔year〕number号
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    subject = models.CharField("督办事项", max_length=200)
    reason = models.TextField("督办原因", max_length=1000)
    due_date = models.DateField("办理期限")
    sign_by = models.DateField("签收期限")
    # What it came from, when it came from something.
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.ISSUED, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measures = models.TextField("办理情况", blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField("退回原因", blank=True)
    evidence = evidence_relation("supervision_notice")

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "number", "unit"], name="one_notice_per_unit_in_batch"
            ),
            models.CheckConstraint(
                name="notice_signs_before_due",
                condition=models.Q(sign_by__lte=models.F("due_date")),
            ),
        ]
        verbose_name = "督办单"

    def __str__(self) -> str:
        return f"{self.reference} · {self.unit}"

    @property
    def reference(self) -> str:
        return f"督办〔{self.year}〕{self.number}号"

    @property
    def badge(self) -> str:
        """The Bootstrap badge class of its state."""
        return {
            self.Status.ISSUED: "text-bg-warning",
            self.Status.SIGNED: "text-bg-primary",
            self.Status.REPLIED: "text-bg-info",
            self.Status.RETURNED: "text-bg-danger",
            self.Status.CLOSED: "text-bg-success",
        }[self.status]
