"""The Excel template of a form for one unit: what the import reads back.

Sheet 「填写」: a title line with the unit's name, the header (one column per field, a date
range as two), drop-down lists for single choices and 是/否, the unit's name filled in
advance where a column asks for the unit. Sheet 「填写说明」: every column's type, whether it
is required, its limits and choices, the form's rules and standards, and its deadline. The
choice lists live on a hidden sheet so long lists are not cut at Excel's 255 characters.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from common.excel import safe_cell
from orgs.models import Unit
from records.fields import TYPE_LABELS, FieldDef, _plain
from records.imports.columns import template_headers
from records.imports.files import MAX_ROWS
from records.models import FormDefinition

DATA_SHEET = "填写"
HELP_SHEET = "填写说明"
LIST_SHEET = "选项"
HEADER_ROW = 2
PREFILLED_ROWS = 200  # rows with the unit's name filled in; more can be copied down
VALIDATED_ROWS = 2000
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_REQUIRED = Font(bold=True, color="C00000")


def _limits(f: FieldDef) -> str:
    parts = []
    if f.minimum is not None:
        parts.append(f"不小于 {_plain(f.minimum)}")
    if f.maximum is not None:
        parts.append(f"不大于 {_plain(f.maximum)}")
    if f.min_date:
        parts.append(f"不早于 {f.min_date.isoformat()}")
    if f.max_date:
        parts.append(f"不晚于 {f.max_date.isoformat()}")
    if f.type == "text":
        parts.append(f"不超过 {f.max_length} 个字")
    if f.type in ("decimal",):
        parts.append(f"最多 {f.places} 位小数")
    if f.type == "money":
        parts.append("按元填写，最多 2 位小数")
    if f.pattern_message:
        parts.append(f.pattern_message)
    if f.type in ("date", "date_range"):
        parts.append("日期写成 2022-07-11")
    if f.type == "date_range":
        parts.append("开始、结束各占一列")
    if f.type == "multi_choice":
        parts.append("可选多项，用顿号“、”分隔")
    if f.type == "location":
        parts.append("写成 纬度,经度，如 33.7385,113.3081")
    if f.type == "unit":
        parts.append("已预先填好本单位名称，只能填写本单位")
    if f.personal:
        parts.append("个人信息，加密保存；导出表中为脱敏值（含 *），原样导回表示不修改")
    return "；".join(parts)


def _choices(f: FieldDef) -> list[str]:
    if f.type in ("choice", "multi_choice"):
        return list(f.choices)
    if f.type == "yes_no":
        return ["是", "否"]
    return []


def _data_sheet(ws, wb, form: FormDefinition, unit: Unit) -> None:
    fields = form.schema.input_fields
    headers = [(f, h) for f in fields for h in template_headers(f)]
    ncols = len(headers)
    ws.cell(1, 1, safe_cell(f"{unit.name} · {form.title}")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncols, 1))
    ws.row_dimensions[1].height = 24
    lists = None
    list_column = 0
    last = HEADER_ROW + VALIDATED_ROWS
    for col, (f, header) in enumerate(headers, 1):
        cell = ws.cell(HEADER_ROW, col, safe_cell(header))
        cell.fill = _HEADER_FILL
        cell.font = _REQUIRED if f.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        width = max(12, min(40, len(header) * 2 + 2))
        ws.column_dimensions[letter].width = width
        choices = _choices(f)
        if choices and f.type != "multi_choice":
            if lists is None:
                lists = wb.create_sheet(LIST_SHEET)
                lists.sheet_state = "hidden"
            list_column += 1
            list_letter = get_column_letter(list_column)
            for r, choice in enumerate(choices, 1):
                lists.cell(r, list_column, safe_cell(choice))
            source = f"{quote_sheetname(LIST_SHEET)}!${list_letter}$1:${list_letter}${len(choices)}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="不是可选项",
                error=f"请从下拉列表中选择：{'、'.join(choices)}"[:255],
            )
            validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
            ws.add_data_validation(validation)
        if f.type == "unit":
            for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + PREFILLED_ROWS):
                ws.cell(r, col, safe_cell(unit.name))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.row_dimensions[HEADER_ROW].height = 30


def _help_sheet(ws, form: FormDefinition) -> None:
    schema = form.schema
    ws.append([safe_cell(f"{form.title} · 填写说明")])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["栏目", "类型", "必填", "要求", "可选项", "说明"])
    for c in range(1, 7):
        ws.cell(3, c).font = Font(bold=True)
        ws.cell(3, c).fill = _HEADER_FILL
    for f in schema.fields:
        if f.computed:
            note = "由系统计算，无需填写"
        elif f.type == "file":
            note = "请在网页上逐条上传附件，Excel 中不填"
        else:
            note = f.help
        ws.append(
            [
                safe_cell("、".join(template_headers(f)) if f.importable else f.header()),
                TYPE_LABELS[f.type],
                "是" if f.required and f.importable else "否",
                safe_cell(_limits(f)),
                safe_cell("、".join(_choices(f))),
                safe_cell(note),
            ]
        )
    lines = [
        "",
        f"报送时间：{schema.deadline.describe()}",
    ]
    lines += [f"规则（不符合的行不能保存）：{r.message}" for r in schema.rules]
    lines += [
        f"标准（不达标的行可以保存，但会标记为未达标）：{s.message}" for s in schema.standards
    ]
    if schema.per_unit_min or schema.per_unit_max:
        lines.append(f"每单位条数：{schema.per_unit_min or 0}—{schema.per_unit_max or '不限'} 条")
    lines += [
        "附件（照片、协议、保单等）请在网页上对应记录中上传。",
        "请勿修改表头文字；可以调整列的顺序、删除非必填的列。",
        "单元格不要使用公式，请粘贴为数值；红色表头为必填项。",
        f"每个文件最多 {MAX_ROWS:,} 行数据；上传后先预览，确认无误再保存。",
        "同一条记录再次导入不会重复添加：未提交的记录会被更新，已提交或已通过审核的不能修改。",
    ]
    for line in lines:
        ws.append([safe_cell(line)])
    for letter, width in zip("ABCDEF", (26, 12, 6, 40, 40, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_xlsx(*, form: FormDefinition, unit: Unit) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _data_sheet(ws, wb, form, unit)
    _help_sheet(wb.create_sheet(HELP_SHEET, 1), form)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
