"""Reads of the audit log, for the audit administrator's search and export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from audit import labels
from audit.models import AuditEntry
from orgs.models import User

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
# audit/tests/test_event_labels.py fails when the code writes an event missing here.
EVENT_LABELS = {**labels.EVENT_LABELS, **SECURITY_EVENT_LABELS}

# The areas the event filter groups events by, in the order it lists them. An event belongs to
# the longest prefix it starts with; choosing an area filters by its prefix.
EVENT_GROUPS = {
    "auth.": "登录与会话",
    "orgs.user.": "用户管理",
    "orgs.otp.": "两步验证",
    "reporting.report.": "填报",
    "reporting.evidence.": "填报佐证材料",
    "reporting.city_figure.": "市总统计",
    "records.record.": "统计表记录",
    "records.evidence.": "记录附件",
    "records.import.": "统计表导入",
    "records.personal.": "个人信息",
    "records.export": "统计表导出",
    "dashboards.": "进度看板",
    "backups.": "备份与恢复",
    "audit.": "审计日志",
}
ALL_EVENTS = "全部事件"

ROLE_LABELS = dict(User.Role.choices)
RESULT_LABELS = dict(AuditEntry.Result.choices)

EXPORT_HEADERS = [
    "时间（北京时间）",
    "用户",
    "角色",
    "单位",
    "IP",
    "事件类别",
    "事件",
    "对象类型",
    "对象编号",
    "对象说明",
    "修改前",
    "修改后",
    "结果",
    "原因",
    # The codes behind the Chinese names, for filtering a spreadsheet exactly.
    "事件代码",
    "对象类型代码",
]


def event_group(event: str) -> str:
    """The prefix of the area `event` belongs to, or "" for an event of no known area."""
    return max((p for p in EVENT_GROUPS if event.startswith(p)), key=len, default="")


def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


def event_area_label(event: str) -> str:
    return EVENT_GROUPS.get(event_group(event), "")


def event_choices() -> list:
    """Choices for the event filter: everything, then per area its prefix and each event."""
    by_group: dict[str, list[tuple[str, str]]] = {prefix: [] for prefix in EVENT_GROUPS}
    for event, label in EVENT_LABELS.items():
        if prefix := event_group(event):
            by_group[prefix].append((event, label))
    choices: list = [("", ALL_EVENTS)]
    for prefix, events in by_group.items():
        area = EVENT_GROUPS[prefix]
        whole = [(prefix, f"{area}：全部")] if len(events) > 1 else []
        choices.append((area, whole + events))
    return choices


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def object_type_label(object_type: str) -> str:
    """The model's Chinese name (`orgs.user` → 用户); the code for a model that is gone."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_choices() -> list:
    """The models of this project (not Django's own) that carry a Chinese name, by application."""
    choices: list = [("", "全部")]
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue
        named = [
            (model._meta.label_lower, str(model._meta.verbose_name))
            for model in config.get_models()
            if "verbose_name" in model._meta.original_attrs
            and not str(model._meta.verbose_name).isascii()
        ]
        if named:
            choices.append((str(config.verbose_name), named))
    return choices


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
    for e in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            role_label(e.actor_role),
            e.actor_unit,
            e.ip or "",
            event_area_label(e.event),
            event_label(e.event),
            object_type_label(e.object_type) if e.object_type else "",
            e.object_id,
            e.object_repr,
            _json(e.before),
            _json(e.after),
            RESULT_LABELS.get(e.result, e.result),
            e.reason,
            e.event,
            e.object_type,
        ]
