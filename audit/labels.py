"""Chinese names of audit events, for pages and exports."""

EVENT_LABELS = {
    "reporting.report.saved": "保存",
    "reporting.report.submitted": "提交单位负责人确认",
    "reporting.report.confirmed": "单位负责人确认报送",
    "reporting.report.sent_back": "单位负责人退回",
    "reporting.report.approved": "审核通过",
    "reporting.report.returned": "部门退回",
    "reporting.report.reopened": "撤销通过",
    "reporting.report.demo_seeded": "演示数据",
    "reporting.evidence.added": "上传佐证材料",
    "reporting.evidence.removed": "删除佐证材料",
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
    "dashboards.exported": "导出看板或通报",
}

STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "待单位负责人确认",
    "confirmed": "待部门审核",
    "returned": "已退回",
    "approved": "已通过",
}


def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)
