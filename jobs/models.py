from django.conf import settings
from django.db import models


class Job(models.Model):
    """One run of long work (a bulletin, a reminder run) and what its page shows: status,
    progress, result or the reason it failed."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "生成通报"
        REMINDERS = "reminders", "发送催报提醒"
        IMPORT = "import", "检查导入文件"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # Null for a run started by a command (cron), which no page shows.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="发起人",
    )
    federation = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属工会",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="方案",
    )
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)  # 0 while not known
    result = models.JSONField("结果", default=dict, blank=True)
    # The generated file, in the file store's "jobs" folder, and the name it downloads as.
    file_name = models.CharField("文件", max_length=64, blank=True)
    file_label = models.CharField("文件名", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_starter_idx")]
        constraints = [
            models.CheckConstraint(
                name="job_done_within_total",
                condition=models.Q(done__lte=models.F("total")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """Share done, in whole percent; None while the total is not known."""
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, self.done * 100 // self.total)
