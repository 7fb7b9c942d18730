from django.conf import settings
from django.db import models

# Kept at least this long (网络安全法 Art. 21); `audit_purge` never deletes younger entries.
RETENTION_DAYS = 180


class AuditEntry(models.Model):
    """One event, append-only: the database refuses UPDATE and DELETE (see migration 0002).

    Who acted is copied as text (username, role, unit) so the record stays true if the account
    later changes unit or role.

    `federation_id` is the federation (an `orgs.Unit` that issues plans) whose audit
    administrator reads the entry, copied when it is written (`audit.services.audit_record`):
    the actor's federation; with no actor, the federation passed by the caller, else the
    target's own (an account, a unit or a department named by a failed login, a lockout or a
    command). A copied number, not a foreign key, like the other copied fields: the log holds
    no federation back from deletion and stays below `orgs` in the layers.

    Null: the entry was tied to no federation when written (a command with no target, a login
    naming no account), or it was written before the column existed (migration 0004 adds it
    without filling it: the triggers refuse UPDATE). Readers tie a null entry to its actor's
    federation, else to the federation of the account its username names, and show an entry
    tied to none to every federation's audit administrator
    (`orgs.audit_selectors.audit_entry_list`, docs/security.md).
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
    # Not `db_index=True`: SQLite would rebuild the table to drop an indexed column when this
    # is migrated back, and a rebuilt table has lost its triggers. The index is in Meta.
    federation_id = models.BigIntegerField("所属工会编号", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["federation_id", "at"], name="audit_entry_federation_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.event}"
