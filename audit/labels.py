"""Chinese names of audit events, roles and object types, for pages and exports."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

BUSINESS_EVENT_LABELS = {
    "plans.plan.status_changed": "方案状态变更",
    "drafting.draft.created": "从通知起草方案",
    "drafting.item.changed": "审核草稿项",
    "drafting.item.added": "草稿中添加遗漏项",
    "drafting.draft.generated": "草稿生成方案",
    "plans.programme.updated": "修改专案（网页）",
    "plans.indicator.added": "添加指标（网页）",
    "plans.indicator.updated": "修改指标（网页）",
    "plans.indicator.deleted": "删除指标（网页）",
    "plans.milestone.added": "添加时间节点（网页）",
    "plans.milestone.updated": "修改时间节点（网页）",
    "plans.milestone.deleted": "删除时间节点（网页）",
    "plans.table.imported": "从 Excel 导入任务分解表",
    "plans.units.imported": "从 Excel 导入单位名单",
    "plans.units.created": "新增单位（导入）",
    "plans.units.updated": "修改单位（导入）",
    "plans.units.alias_added": "新增单位别名",
    "reporting.report.saved": "保存",
    "reporting.report.submitted": "提交单位负责人确认",
    "reporting.report.confirmed": "单位负责人确认报送",
    "reporting.report.sent_back": "单位负责人退回",
    "reporting.report.approved": "审核通过",
    "reporting.report.returned": "部门退回",
    "reporting.report.reopened": "撤销通过",
    "reporting.report.lateness_corrected": "逾期按首次报送更正",
    "reporting.report.demo_seeded": "演示数据",
    "reporting.evidence.added": "上传佐证材料",
    "reporting.evidence.removed": "删除佐证材料",
    "reporting.late_request.requested": "申请补报",
    # Steps of the workflow a request never takes (it starts 待部门审核), named for the table.
    "reporting.late_request.submitted": "提交补报申请",
    "reporting.late_request.confirmed": "确认补报申请",
    "reporting.late_request.sent_back": "退回补报申请",
    "reporting.late_request.approved": "批准补报申请",
    "reporting.late_request.returned": "驳回补报申请",
    "reporting.late_request.reopened": "撤销补报批准",
    "reporting.late_request.counted": "补报数据计入统计",
    "reporting.late_request.uncounted": "补报数据不再计入统计",
    "reporting.city_figure.entered": "录入市总统计数",
    "reporting.city_figure.corrected": "更正市总统计数",
    "reporting.city_figure.withdrawn": "撤销市总统计数",
    "reporting.city_figure.demo_seeded": "演示数据",
    "records.record.created": "新增记录",
    "records.record.saved": "修改记录",
    "records.record.rechecked": "重新核对达标情况",
    "records.record.deleted": "删除记录",
    "records.record.submitted": "提交单位负责人确认",
    "records.record.confirmed": "单位负责人确认报送",
    "records.record.sent_back": "单位负责人退回",
    "records.record.approved": "审核通过",
    "records.record.returned": "部门退回",
    "records.record.reopened": "撤销通过",
    "records.record.demo_seeded": "演示数据",
    "records.evidence.added": "上传附件",
    "records.evidence.removed": "删除附件",
    "records.personal.viewed": "查看个人信息（完整）",
    "records.personal.sealed": "加密个人信息",
    "records.import.previewed": "上传导入文件（待确认）",
    "records.import.refused": "拒收导入文件",
    "records.import.saved": "确认导入",
    "records.import.cancelled": "取消导入",
    "records.export": "导出统计表",
    "records.form.added": "新增统计表（Excel 定义）",
    "records.form.replaced": "修改统计表（Excel 定义）",
    "records.nil_return.declared": "声明本期无",
    "records.nil_return.withdrawn": "撤回本期无",
    "supervision.step.completed": "标记工作节点完成",
    "supervision.step.undone": "撤销工作节点完成标记",
    "supervision.step.scheduled": "确定工作节点日期（适时）",
    "supervision.notice.issued": "下发督办单",
    "supervision.notice.signed": "签收督办单",
    "supervision.notice.replied": "督办办理回复",
    "supervision.notice.closed": "督办办结",
    "supervision.notice.returned": "督办退回重办",
    "evaluations.evaluation.self_saved": "保存评分自评",
    "evaluations.evaluation.scored": "部门评分",
    "evaluations.evaluation.submitted": "提交评分自评",
    "evaluations.evaluation.confirmed": "确认报送评分自评",
    "evaluations.evaluation.sent_back": "退回评分自评给填报员",
    "evaluations.evaluation.approved": "评分审核通过",
    "evaluations.evaluation.returned": "评分退回修改",
    "evaluations.evaluation.reopened": "撤销评分通过",
    "evaluations.results.exported": "导出评分结果",
    "campaigns.campaign.proposed": "提出拟命名名单",
    "campaigns.publicity.opened": "开始评选公示",
    "campaigns.objection.raised": "公示期间提出异议",
    "campaigns.objection.answered": "答复公示异议",
    "campaigns.campaign.named": "评选命名",
    "campaigns.designation.withdrawn": "撤销命名",
    "campaigns.naming.exported": "导出命名决定或证书名单",
    "campaigns.nomination.created": "新增推荐对象",
    "campaigns.nomination.edited": "修改推荐对象",
    "campaigns.nomination.submitted": "提交推荐对象",
    "campaigns.nomination.confirmed": "单位推荐",
    "campaigns.nomination.sent_back": "退回推荐对象给填报员",
    "campaigns.nomination.admitted": "资格审查通过",
    "campaigns.nomination.refused": "资格审查不符合条件",
    "campaigns.nomination.returned": "推荐对象退回修改",
    "campaigns.material.added": "上传申报材料",
    "campaigns.material.removed": "删除申报材料",
    "campaigns.scorer.assigned": "指定评委",
    "campaigns.scorer.unassigned": "取消评委",
    "campaigns.score.saved": "评委评分",
    "campaigns.campaign.scoring_closed": "结束评分",
    "dashboards.exported": "导出看板或通报",
    "assessment.exported": "导出考核结果",
    "jobs.job.started": "发起后台任务",
    "jobs.file.downloaded": "下载后台任务生成的文件",
}

STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "待单位负责人确认",
    "confirmed": "待部门审核",
    "returned": "已退回",
    "approved": "已通过",
}

# Chinese names of the security events; business events above.
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
    "orgs.user.bulk_created": "批量创建单位账号",
    "orgs.user.passwords_exported": "导出单位账号临时密码",
    "orgs.otp.enrolled": "启用两步验证",
    "orgs.otp.enrolment_failed": "启用两步验证失败",
    "orgs.otp.verified": "两步验证通过",
    "orgs.otp.failed": "两步验证失败",
    "orgs.otp.recovery_used": "使用恢复码登录",
    "orgs.otp.reset": "重置两步验证",
    "orgs.robot.created": "添加群机器人",
    "orgs.robot.updated": "修改群机器人",
    "orgs.robot.deleted": "删除群机器人",
    "orgs.robot.tested": "群机器人发送测试消息",
    "audit.exported": "导出审计日志",
    "backups.backup.created": "备份数据库和上传文件",
    "backups.backup.restored": "从备份恢复",
}
# Every event the search page and the export can name (an unknown event shows its code).
# audit/tests/test_event_labels.py fails when the code writes an event missing here.
EVENT_LABELS = {**BUSINESS_EVENT_LABELS, **SECURITY_EVENT_LABELS}

# The areas the event filter groups events by, in the order it lists them. An event belongs to
# the longest prefix it starts with; choosing an area filters by its prefix.
EVENT_GROUPS = {
    "auth.": "登录与会话",
    "orgs.user.": "用户管理",
    "orgs.otp.": "两步验证",
    "orgs.robot.": "群机器人",
    "plans.plan.": "工作方案",
    "drafting.": "方案起草",
    "plans.programme.": "专案内容",
    "plans.indicator.": "指标",
    "plans.milestone.": "时间节点",
    "plans.table.": "任务分解表",
    "plans.units.": "单位名单",
    "reporting.report.": "填报",
    "reporting.evidence.": "填报佐证材料",
    "reporting.late_request.": "补报申请",
    "reporting.city_figure.": "市总统计",
    "records.record.": "统计表记录",
    "records.evidence.": "记录附件",
    "records.import.": "统计表导入",
    "records.personal.": "个人信息",
    "records.export": "统计表导出",
    "records.form.": "统计表定义",
    "records.nil_return.": "本期无声明",
    "supervision.step.": "市总工作节点",
    "supervision.notice.": "督办",
    "evaluations.": "评分",
    "campaigns.": "评选命名",
    "assessment.": "考核",
    "dashboards.": "进度看板",
    "jobs.": "后台任务",
    "backups.": "备份与恢复",
    "audit.": "审计日志",
}
ALL_EVENTS = "全部事件"


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
    # The user model is orgs', above this app: asked for by name, never imported.
    return dict(get_user_model().Role.choices).get(role, role)


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
