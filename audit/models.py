from django.conf import settings
from django.db import models

# Kept at least this long (网络安全法 Art. 21); `audit_purge` never deletes younger entries.
RETENTION_DAYS = 180


class AuditEntry(models.Model):
    """One event, append-only: the database refuses UPDATE and DELETE (see migration 0002).

    Who acted is copied as text (username, role, unit) so the record stays true if the account
    later changes unit or role.
    """

    class Result(models.TextChoices):
        OK = "ok", "成功"
        DENIED = "denied", "拒绝"
        FAILED = "failed", "失败"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField("用户", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=20, blank=True)
    actor_unit = models.CharField("单位", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    event = models.CharField("事件", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象", max_length=40, blank=True, db_index=True)
    object_repr = models.CharField("对象说明", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.OK)
    reason = models.TextField("原因", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.event}"
