"""A draft plan under review: the notice as read, and the drafted items with each one's state.

The draft is kept as the drafter printed it (JSON in `dumpplan`'s shape) with a `state` on each
item (待确认 pending, 已确认 accepted, 已删除 deleted) and the reviewer's corrections applied
in place; the notice's paragraphs and tables are kept so the review page can show each item
in its sentence. A draft becomes a plan (in the draft state) only when no item is pending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from orgs.models import Unit
from plans.models import Plan


class PlanDraft(models.Model):
    class Status(models.TextChoices):
        REVIEWING = "reviewing", "审核中"
        GENERATED = "generated", "已生成方案"

    federation = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plan_drafts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_drafts"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    notice_name = models.CharField("通知文件", max_length=200)
    # [{"kind": "p", "index": i, "text": …} | {"kind": "table", "index": i, "rows": [[…]]}]
    notice = models.JSONField("通知原文", default=list)
    content = models.JSONField("草稿", default=dict)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.REVIEWING
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )

    class Meta:
        verbose_name = "方案草稿"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.content.get("plan", {}).get("title") or self.notice_name
