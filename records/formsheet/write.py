"""Writing a form definition as a workbook (docs/plan-file.md, *Forms as spreadsheets*).

字段: one row per field; a check about one field sits in that field's 规则 or 标准 cell, in
the form's order, so the sheet reads like the notice. A check over several fields, and every
check after it (the order of checks is the order their messages are shown), goes to the 规则
sheet. 设置 holds the form's own settings, 指标 the indicators its rows count, 填写说明 how to
write each cell. Everything goes through `common.excel.safe_cell`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from common.excel import safe_cell
from records.fields import FieldDef
from records.formfile import FormSpec
from records.formsheet import layout as L
from records.formsheet.words import check_line, deadline_text, placeable, range_text
from records.schema import Check

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
VALIDATED_ROWS = 300  # rows below the header that get the drop-down lists
# Column widths in characters: at least, at most (wider text wraps).
WIDTHS = {
    L.CODE: (14, 24),
    L.LABEL: (16, 30),
    L.TYPE: (9, 12),
    L.REQUIRED: (6, 8),
    L.RANGE: (16, 40),
    L.MEASURE: (9, 12),
    L.RULES: (16, 50),
    L.STANDARDS: (16, 50),
    L.HELP_TEXT: (16, 40),
    L.COMPUTE: (12, 40),
    L.PLACES: (9, 10),
    L.PATTERN: (8, 30),
    L.PATTERN_MESSAGE: (10, 30),
    L.FORWARD_ONLY: (9, 10),
    L.PERSONAL: (9, 14),
}
HELP_LINES = (
    "这个工作簿定义一张统计表（登记表）：上传后先检查并显示将要发生的变化，确认后才保存。",
    "",
    "【字段】每行一个字段，表头文字不要改动；可以调整列的顺序，不用的列可以删除。",
    "代码：小写英文字母开头，只含小写字母、数字和下划线，如 children；公式里用代码指代字段。"
    "已有记录的字段不要改代码（改代码等于删除原字段）。",
    "字段：填报人看到的栏目名称，如 托管人数。",
    f"类型：{L.TYPE_CHOICES}。",
    "必填：是 或 否。",
    "范围/选项：数字写「0 至 100」「≥ 0」「≤ 1000」；日期写「2022-01-01 至 2022-12-31」"
    "「不早于 2022-01-01」；文本写「不超过 100 字」（默认 200 字）；"
    "单选、多选写选项，用、或，分隔，选项本身含有、或，时每行写一个。",
    "计量单位：显示在栏目名称后，如 人、元、平方米。金额一律按元填写。",
    "规则：不符合就不能保存的条件；标准：不符合可以保存但标为“未达标”的条件。"
    "每行写成「条件：提示」，如 children >= 20：托管规模不足20人；"
    "只涉及本字段时可省略代码，写成 >= 20：托管规模不足20人。",
    "说明：给填报人的提示。计算公式：填写后该字段由系统计算，如 working_days(period)。",
    "小数位数：小数字段保留几位（默认 2）。格式、格式提示：文本的正则表达式和不符合时的提示。",
    f"只能前移：单选字段只能按选项顺序向后改（如 申报→推进→评估→总结）。"
    f"个人信息：{L.PERSONAL_CHOICES}，加密保存、脱敏显示，不能用于公式。",
    "",
    "【规则】涉及多个字段的条件：类别（规则 或 标准）、条件、提示各一列。"
    "检查顺序：先字段表中的，再本表中的。",
    "【设置】表单代码、名称、截止日期等，每行一项；「填写说明」一列只供参考。",
    "【指标】由本表已通过的记录计算的指标：指标代码（或名称）、方式（计数 或 求和）、"
    "求和字段、条件（公式，可留空）、只计达标（是 或 否）。",
    "",
    "公式可用：字段代码、数字、'文字'、+ - * /、比较（== != < <= > >=）、in、not in、and、or、not、"
    "列表 ['线上', '线下']、日期范围的 .start / .end、present(x)、blank(x)、count(列表)、"
    "has(列表, '选项')、days(日期范围)、working_days(日期范围)、date('2022-06-15')、"
    "min(a, b)、max(a, b)。",
)


def _width(text: str) -> int:
    """Characters Excel needs for the longest line (a CJK character takes about two)."""
    lines = str(text).split("\n") if text else [""]
    return max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in lines)


def _lines(text, width: float) -> int:
    if not isinstance(text, str) or not text:
        return 1
    return sum(max(1, math.ceil(_width(part) / max(width, 1))) for part in text.split("\n"))


def _table(ws, headers: tuple[str, ...], rows: list[list], widths: Mapping[str, tuple]) -> None:
    """Header in bold on grey, frozen; each column as wide as its text within its bounds;
    rows as tall as their wrapped text (Excel and WPS do not grow them on their own)."""
    for col, header in enumerate(headers, 1):
        cell = ws.cell(1, col, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sizes = []
    for col, header in enumerate(headers, 1):
        low, high = widths.get(header, (10, 40))
        longest = max([_width(header)] + [_width(row[col - 1] or "") for row in rows])
        size = max(low, min(high, longest + 2))
        sizes.append(size)
        ws.column_dimensions[get_column_letter(col)].width = size
    for r, row in enumerate(rows, 2):
        for col, value in enumerate(row, 1):
            cell = ws.cell(r, col, safe_cell(value) if value not in ("", None) else None)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        height = max(_lines(v, s) for v, s in zip(row, sizes, strict=True))
        if height > 1:
            ws.row_dimensions[r].height = 15 * height
    ws.freeze_panes = "A2"


def _choice_list(ws, header_col: int, words: list[str], *, prompt: str) -> None:
    """A drop-down of `words` under the header; other words warn but are kept (the reader
    also takes other ways of saying them)."""
    letter = get_column_letter(header_col)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(words) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="请从列表中选择",
        error=prompt[:255],
    )
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    ws.add_data_validation(validation)


def _place_checks(checks: list[Check], fields: list[FieldDef]) -> tuple[dict, list[Check]]:
    """Checks about one field, in their order, on that field's row while the rows go down;
    the first that cannot be placed, and all after it, stay for the 规则 sheet."""
    row_of = {f.code: i for i, f in enumerate(fields)}
    placed: dict[int, list[Check]] = defaultdict(list)
    rest: list[Check] = []
    last = 0
    for check in checks:
        names = check.formula.names
        if not rest and len(names) == 1 and placeable(check.formula.source, check.message):
            row = row_of[next(iter(names))]
            if row >= last:
                placed[row].append(check)
                last = row
                continue
        rest.append(check)
    return placed, rest


def _field_rows(spec: FormSpec) -> tuple[list[list], list[tuple[str, Check]]]:
    fields = spec.schema.fields
    rules, other_rules = _place_checks(spec.schema.rules, fields)
    standards, other_standards = _place_checks(spec.schema.standards, fields)
    rows = []
    for i, f in enumerate(fields):
        type_word = L.TYPE_WORDS[f.type][0]
        rows.append(
            [
                f.code,
                f.label,
                type_word,
                "是" if f.required else "否",
                range_text(f, type_word),
                f.unit_of_measure,
                "\n".join(check_line(c.formula.source, c.message) for c in rules[i]),
                "\n".join(check_line(c.formula.source, c.message) for c in standards[i]),
                f.help,
                f.compute.source if f.computed else "",
                str(f.places) if f.type == "decimal" or f.places != L.DEFAULT_PLACES else "",
                f.pattern,
                f.pattern_message,
                "是" if f.forward_only else "",
                L.PERSONAL_WORDS[f.personal][0] if f.personal else "",
            ]
        )
    others = [(L.RULE, c) for c in other_rules] + [(L.STANDARD, c) for c in other_standards]
    return rows, others


def _settings_rows(spec: FormSpec | None) -> list[list]:
    values: dict[str, str] = dict.fromkeys(L.SETTING_ITEMS, "")
    if spec is not None:
        schema = spec.schema
        labels = {f.code: f.label for f in schema.fields}
        per_unit = {L.PER_UNIT_MIN: schema.per_unit_min, L.PER_UNIT_MAX: schema.per_unit_max}
        values.update(
            {
                L.FORM_CODE: spec.code,
                L.TITLE: spec.title,
                L.ATTACHMENT: spec.attachment,
                L.DESCRIPTION: spec.description,
                L.SOURCE_TEXT: spec.source_text,
                L.KEY: "、".join(schema.key),
                L.DATE_FIELD: schema.date_field,
                L.DEADLINE: deadline_text(schema.deadline, labels),
                L.DEADLINE_BY: schema.deadline.by,
                L.LATE_POLICY: L.LATE_WORDS[schema.late_policy][0],
                **{k: "" if v is None else str(v) for k, v in per_unit.items()},
            }
        )
    else:
        values[L.LATE_POLICY] = L.LATE_WORDS["flag"][0]
    return [[item, values[item], L.SETTING_NOTES[item]] for item in L.SETTING_ITEMS]


def _compute_rows(spec: FormSpec, indicator_names: Mapping[str, str]) -> list[list]:
    return [
        [
            c.indicator,
            indicator_names.get(c.indicator, ""),
            L.AGGREGATE_WORDS[c.aggregate],
            c.field,
            c.where,
            "是" if c.compliant_only else "否",
        ]
        for c in spec.computes
    ]


def _indicator_sheet(ws, indicator_names: Mapping[str, str]) -> None:
    rows = [[code, name] for code, name in indicator_names.items()]
    _table(ws, ("指标代码", "指标名称"), rows, {"指标代码": (14, 24), "指标名称": (20, 60)})


def form_sheet_xlsx(
    *, spec: FormSpec | None, indicator_names: Mapping[str, str] | None = None
) -> bytes:
    """The form as a workbook, or with `spec=None` a blank one to fill in. `indicator_names`
    (code → name, the plan's indicators) names the indicators the form counts and lists them
    on a sheet of their own, for the 指标 sheet's drop-down."""
    indicator_names = indicator_names or {}
    wb = Workbook()
    fields = wb.active
    fields.title = L.FIELDS
    rows, other_checks = _field_rows(spec) if spec is not None else ([], [])
    _table(fields, L.FIELD_HEADERS, rows, WIDTHS)
    header = {h: i for i, h in enumerate(L.FIELD_HEADERS, 1)}
    _choice_list(
        fields,
        header[L.TYPE],
        [words[0] for words in L.TYPE_WORDS.values()],
        prompt=f"类型可选：{L.TYPE_CHOICES}",
    )
    for column in (L.REQUIRED, L.FORWARD_ONLY):
        _choice_list(fields, header[column], ["是", "否"], prompt="请填写“是”或“否”")
    _choice_list(
        fields,
        header[L.PERSONAL],
        [words[0] for words in L.PERSONAL_WORDS.values()],
        prompt=f"个人信息可选：{L.PERSONAL_CHOICES}；不是个人信息则留空",
    )

    settings = wb.create_sheet(L.SETTINGS)
    _table(
        settings,
        (L.ITEM, L.VALUE, L.NOTE),
        _settings_rows(spec),
        {L.ITEM: (14, 16), L.VALUE: (30, 60), L.NOTE: (30, 60)},
    )
    late_row = L.SETTING_ITEMS.index(L.LATE_POLICY) + 2
    late = DataValidation(
        type="list",
        formula1='"' + ",".join(words[0] for words in L.LATE_WORDS.values()) + '"',
        allow_blank=True,
        errorStyle="warning",
    )
    late.add(f"B{late_row}")
    settings.add_data_validation(late)

    checks = wb.create_sheet(L.CHECKS)
    _table(
        checks,
        L.CHECK_HEADERS,
        [[kind, c.formula.source, c.message] for kind, c in other_checks],
        {L.KIND: (8, 8), L.CONDITION: (30, 60), L.MESSAGE: (30, 60)},
    )
    _choice_list(checks, 1, [L.RULE, L.STANDARD], prompt="类别：规则 或 标准")

    computes = wb.create_sheet(L.COMPUTES)
    _table(
        computes,
        L.COMPUTE_HEADERS,
        _compute_rows(spec, indicator_names) if spec is not None else [],
        {L.INDICATOR: (14, 24), L.INDICATOR_NAME: (20, 40), L.WHERE: (16, 50)},
    )
    _choice_list(computes, 3, ["计数", "求和"], prompt="方式：计数 或 求和")
    _choice_list(computes, 6, ["是", "否"], prompt="请填写“是”或“否”")
    if indicator_names:
        listed = wb.create_sheet(L.INDICATORS)
        _indicator_sheet(listed, indicator_names)
        source = f"{quote_sheetname(L.INDICATORS)}!$A$2:$A${len(indicator_names) + 1}"
        codes = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning")
        codes.add(f"A2:A{VALIDATED_ROWS + 1}")
        computes.add_data_validation(codes)

    guide = wb.create_sheet(L.HELP)
    guide.column_dimensions["A"].width = 120
    for r, line in enumerate(HELP_LINES, 1):
        cell = guide.cell(r, 1, safe_cell(line) if line else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line.startswith("这个") or line.startswith("【"):
            cell.font = Font(bold=True)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
