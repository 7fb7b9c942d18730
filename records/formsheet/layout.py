"""The sheets of a form definition workbook and the Chinese words they are written in
(docs/plan-file.md, *Forms as spreadsheets*). The writer uses the first word of each list;
the reader also takes the others, as people write them."""

from __future__ import annotations

import re

from records.fields import NO, YES

FIELDS, SETTINGS, CHECKS, COMPUTES, HELP, INDICATORS = (
    "字段",
    "设置",
    "规则",
    "指标",
    "填写说明",
    "指标一览",
)
READ_SHEETS = (FIELDS, SETTINGS, CHECKS, COMPUTES)

# 字段: one row per field. The first seven are the ones every form needs; the others are
# for what fewer fields use.
CODE, LABEL, TYPE, REQUIRED, RANGE, MEASURE, RULES, STANDARDS, HELP_TEXT = (
    "代码",
    "字段",
    "类型",
    "必填",
    "范围/选项",
    "计量单位",
    "规则",
    "标准",
    "说明",
)
COMPUTE, PLACES, PATTERN, PATTERN_MESSAGE, FORWARD_ONLY, PERSONAL = (
    "计算公式",
    "小数位数",
    "格式",
    "格式提示",
    "只能前移",
    "个人信息",
)
FIELD_HEADERS = (
    CODE,
    LABEL,
    TYPE,
    REQUIRED,
    RANGE,
    MEASURE,
    RULES,
    STANDARDS,
    HELP_TEXT,
    COMPUTE,
    PLACES,
    PATTERN,
    PATTERN_MESSAGE,
    FORWARD_ONLY,
    PERSONAL,
)
FIELD_REQUIRED_HEADERS = (CODE, LABEL, TYPE)

# 设置: one row per setting, 项目 | 内容 | 填写说明 (the last is for people only).
ITEM, VALUE, NOTE = "项目", "内容", "填写说明"
(
    FORM_CODE,
    TITLE,
    ATTACHMENT,
    DESCRIPTION,
    SOURCE_TEXT,
    KEY,
    DATE_FIELD,
    DEADLINE,
    DEADLINE_BY,
    LATE_POLICY,
    PER_UNIT_MIN,
    PER_UNIT_MAX,
) = (
    "代码",
    "名称",
    "附件",
    "说明",
    "原文",
    "识别字段",
    "日期字段",
    "截止日期",
    "截止日期依据",
    "逾期处理",
    "每单位最少条数",
    "每单位最多条数",
)
SETTING_NOTES = {
    FORM_CODE: "小写英文字母、数字和连字符，在本方案中唯一，如 childcare（出现在网址中）",
    TITLE: "统计表或登记表的名称，如 暑期爱心托管班登记表",
    ATTACHMENT: "通知中印作附件时的编号，如 附件1；没有则留空",
    DESCRIPTION: "给填报人看的说明",
    SOURCE_TEXT: "通知原文中规则和标准所依据的文字",
    KEY: "哪些字段相同即为同一条记录（再次上传时更新而不是新增），写字段代码或名称，用、分隔",
    DATE_FIELD: "记录自身的日期（如活动日期），按此日期统计",
    DEADLINE: "留空为随时报送；2022-06-15、2022-11-25；每月（每季度、每半年）结束后 5 日内；"
    "活动日期后 7 日内（日期写在「截止日期依据」）",
    DEADLINE_BY: "决定记录属于哪个截止日期的日期字段",
    LATE_POLICY: "逾期标记（逾期的记录照常统计，标为逾期）或 逾期不予统计",
    PER_UNIT_MIN: "每个单位至少报送的条数，没有要求则留空",
    PER_UNIT_MAX: "每个单位至多报送的条数，没有要求则留空",
}
SETTING_ITEMS = tuple(SETTING_NOTES)

# 规则: checks over several fields, 类别 | 条件 | 提示.
KIND, CONDITION, MESSAGE = "类别", "条件", "提示"
CHECK_HEADERS = (KIND, CONDITION, MESSAGE)
RULE, STANDARD = "规则", "标准"
CHECK_KINDS = {RULE: "rules", STANDARD: "standards"}

# 指标: indicators counted or summed from the form's approved rows.
INDICATOR, INDICATOR_NAME, AGGREGATE, SUM_FIELD, WHERE, COMPLIANT_ONLY = (
    "指标代码",
    "指标名称",
    "方式",
    "求和字段",
    "条件",
    "只计达标",
)
COMPUTE_HEADERS = (INDICATOR, INDICATOR_NAME, AGGREGATE, SUM_FIELD, WHERE, COMPLIANT_ONLY)
AGGREGATES = {"计数": "count", "条数": "count", "求和": "sum", "合计": "sum"}
AGGREGATE_WORDS = {"count": "计数", "sum": "求和"}

# Field types: the word written first, then the others a person may write.
TYPE_WORDS = {
    "text": ("文本", "文字", "文本框"),
    "integer": ("整数",),
    "decimal": ("小数", "数字", "数值"),
    "money": ("金额", "金额（元）", "金额(元)"),
    "date": ("日期",),
    "date_range": ("日期范围", "起止日期", "时间段"),
    "choice": ("单选",),
    "multi_choice": ("多选",),
    "unit": ("单位", "填报单位"),
    "yes_no": ("是/否", "是否", "是或否"),
    "file": ("文件", "附件", "照片", "图片"),
    "location": ("位置", "位置（纬度,经度）", "经纬度", "坐标"),
}
TYPE_BY_WORD = {word: code for code, words in TYPE_WORDS.items() for word in words}
TYPE_CHOICES = "、".join(words[0] for words in TYPE_WORDS.values())

YES_WORDS = YES | {"必填", "需要"}
NO_WORDS = NO | {"选填", "非必填", "不需要"}

PERSONAL_WORDS = {
    "phone": ("电话号码", "电话", "手机", "手机号码"),
    "id_number": ("身份证号码", "身份证号", "身份证"),
    "text": ("其他个人信息", "其他"),
}
PERSONAL_BY_WORD = {word: code for code, words in PERSONAL_WORDS.items() for word in words}
PERSONAL_CHOICES = "、".join(words[0] for words in PERSONAL_WORDS.values())

LATE_WORDS = {
    "flag": ("逾期标记", "标记"),
    "exclude": ("逾期不予统计", "不予统计", "逾期未报送不予统计"),
}
LATE_BY_WORD = {word: code for code, words in LATE_WORDS.items() for word in words}

EVERY_WORDS = {"monthly": "每月", "quarterly": "每季度", "half_year": "每半年"}
EVERY_BY_WORD = {
    "每月": "monthly",
    "每季度": "quarterly",
    "每季": "quarterly",
    "每半年": "half_year",
}

# Choices: one a line when any holds a separator, else joined by 、.
CHOICE_SEPARATORS = re.compile(r"[、，,]")
# Codes and names in 识别字段: separated by any of these.
LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")
TEXT_DEFAULT_LENGTH = 200
DEFAULT_PLACES = 2
# Rows a definition sheet may hold: a form has tens of fields, not thousands.
MAX_DEFINITION_ROWS = 1000
