"""Reads of the audit log, for the audit administrator's search and export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from audit import labels
from audit.models import AuditEntry

# Chinese names of the security events; business events are named in audit/labels.py.
SECURITY_EVENT_LABELS = {
    "auth.login.succeeded": "登录成功",
    "auth.login.failed": "登录失败",
    "auth.account.locked": "账号锁定",
    "auth.account.unlocked": "解除锁定",
    "auth.logout": "退出登录",
    "auth.session.expired": "会话超时退出",
    "auth.permission_denied": "越权访问被拒绝",
    "auth.password.changed": "修改密码",
    "orgs.user.created": "创建用户",
    "orgs.user.updated": "修改用户信息",
    "orgs.user.disabled": "停用用户",
    "orgs.user.enabled": "启用用户",
    "orgs.user.role_changed": "变更角色",
    "orgs.user.password_reset": "管理员重置密码",
    "orgs.otp.enrolled": "启用两步验证",
    "orgs.otp.enrolment_failed": "启用两步验证失败",
    "orgs.otp.verified": "两步验证通过",
    "orgs.otp.failed": "两步验证失败",
    "orgs.otp.recovery_used": "使用恢复码登录",
    "orgs.otp.reset": "重置两步验证",
    "audit.exported": "导出审计日志",
    "backups.backup.created": "备份数据库和上传文件",
    "backups.backup.restored": "从备份恢复",
}
# Every event the search page and the export can name (an unknown event shows its code).
EVENT_LABELS = {**labels.EVENT_LABELS, **SECURITY_EVENT_LABELS}

EXPORT_HEADERS = [
    "时间（北京时间）",
    "用户",
    "角色",
    "单位",
    "IP",
    "事件",
    "事件说明",
    "对象类型",
    "对象",
    "对象说明",
    "修改前",
    "修改后",
    "结果",
    "原因",
]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entry_list(
    *,
    username: str = "",
    event: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str = "",
    object_id: str = "",
    result: str = "",
) -> QuerySet[AuditEntry]:
    """Entries newest first. `event` matches from the start (`auth.` finds every login event);
    dates are local days, both ends included. Reads no related row: the copied actor fields
    are enough, so a page is two queries (count and rows) however many entries it shows."""
    entries = AuditEntry.objects.order_by("-at", "-id")
    if username:
        entries = entries.filter(actor_username=username)
    if event:
        entries = entries.filter(event__startswith=event)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if result:
        entries = entries.filter(result=result)
    return entries


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_entry_rows(entries: QuerySet[AuditEntry]) -> Iterator[list]:
    """One list of cell values per entry, in EXPORT_HEADERS order, read in chunks."""
    results = dict(AuditEntry.Result.choices)
    for e in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            e.actor_role,
            e.actor_unit,
            e.ip or "",
            e.event,
            EVENT_LABELS.get(e.event, ""),
            e.object_type,
            e.object_id,
            e.object_repr,
            _json(e.before),
            _json(e.after),
            results.get(e.result, e.result),
            e.reason,
        ]
