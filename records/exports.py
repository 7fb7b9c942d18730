"""Exporting a form's rows to Excel: the full list, and the notice's own 附件 layouts.

The full list is written as sheet XML text (`records.xlsxstream`, ~20x openpyxl per cell), so
10,000 rows take a fraction of a second. Its field columns carry the template's headers, so an
export can be corrected and imported again. Every text goes through `safe_cell` (formula
injection); numbers stay numbers, dates stay dates. Money is stored in 元; 附件3 prints 万元.

Personal values (附件1's 联系电话) are always exported masked (138****5678): there is no full
export. Seeing one in full is done row by row, with a reason, on the row's page. A masked value
imported again keeps the stored one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from common.excel import Column, safe_cell, table_sheet
from orgs.models import Unit
from plans.models import AllocationRow
from records.fields import FieldDef
from records.imports.columns import template_headers
from records.models import FormDefinition, Record
from records.xlsxstream import rows_xlsx

STATUS_LABELS = dict(Record.Status.choices)
SOURCE_LABELS = dict(Record.Source.choices)
WAN = Decimal(10000)
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Row:
    """One record as the exports read it (values_list, no model instances)."""

    unit_id: int
    data: dict
    status: str
    is_compliant: bool
    issues: list
    is_late: bool
    due_date: dt.date | None
    source: str
    updated_at: dt.datetime


ROW_FIELDS = (
    "unit_id",
    "data",
    "status",
    "is_compliant",
    "issues",
    "is_late",
    "due_date",
    "source",
    "updated_at",
)


def rows_of(records) -> list[Row]:
    """`records`: a queryset of Record already limited to what the reader may see."""
    return [
        Row(*values) for values in records.order_by("unit__order", "id").values_list(*ROW_FIELDS)
    ]


def masked_rows(form: FormDefinition, rows: list[Row]) -> list[Row]:
    """`rows` with every personal value masked: the only way personal data leaves in a file."""
    if not form.schema.personal_fields:
        return rows
    return [replace(row, data=form.schema.masked_data(row.data)) for row in rows]


MASKED_NOTE = "个人信息已脱敏显示"


def _cells(f: FieldDef, stored, unit_names: dict[int, str]) -> list:
    """The spreadsheet values of one field: typed where a spreadsheet has the type."""
    if stored is None:
        return [None, None] if f.type == "date_range" else [None]
    if f.type == "date_range":
        return [dt.date.fromisoformat(stored["start"]), dt.date.fromisoformat(stored["end"])]
    if f.type == "date":
        return [dt.date.fromisoformat(stored)]
    if f.type in ("decimal", "money"):
        return [safe_cell(Decimal(stored))]
    if f.type == "integer":
        return [stored]
    if f.type == "unit":
        return [unit_names.get(stored, str(stored))]
    if f.type == "yes_no":
        return ["是" if stored else "否"]
    if f.type == "multi_choice":
        return [safe_cell("、".join(stored))]
    if f.type == "location":
        return [f"{stored['lat']},{stored['lng']}"]
    return [safe_cell(str(stored))]


def form_rows_xlsx(
    *, form: FormDefinition, rows: list[Row], unit_names: dict[int, str], as_of: dt.date
) -> bytes:
    """Every row of `form` the reader may see, with its status, compliance and issues."""
    rows = masked_rows(form, rows)
    fields = [f for f in form.schema.fields if f.type != "file"]
    headers = ["单位"]
    for f in fields:
        headers += template_headers(f) if f.importable else [f"{f.header()}（计算）"]
    headers += ["状态", "是否达标", "未达标原因", "截止日期", "是否逾期", "来源", "最后修改"]

    def lines():
        for row in rows:
            values = [unit_names.get(row.unit_id, "")]
            for f in fields:
                values += _cells(f, row.data.get(f.code), unit_names)
            values += [
                STATUS_LABELS.get(row.status, row.status),
                "达标" if row.is_compliant else "未达标",
                safe_cell("；".join(row.issues)),
                row.due_date,
                "逾期" if row.is_late else "",
                SOURCE_LABELS.get(row.source, row.source),
                timezone.localtime(row.updated_at).replace(tzinfo=None),
            ]
            yield values

    return rows_xlsx(
        sheet_title=form.title,
        title=safe_cell(form.title),
        subtitle=f"数据截至 {as_of:%Y年%-m月%-d日}，共 {len(rows)} 条记录"
        + (f"；{MASKED_NOTE}" if form.schema.personal_fields else ""),
        headers=headers,
        rows=lines(),
        widths=[max(10, min(30, len(h) * 2 + 2)) for h in headers],
    )


# -- the notice's attachment layouts -------------------------------------------------------


def _wan(stored) -> float:
    """元 (as stored) → 万元 with four decimals, as 附件3 prints money."""
    return float((Decimal(stored or 0) / WAN).quantize(FOUR_PLACES))


def _per_unit(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.unit_id].append(row)
    return grouped


def _deadline_note(form: FormDefinition) -> str:
    return f"（备注：此表{form.schema.deadline.describe()}。）"


def _listing_sheets(wb, form, units, rows, columns, values) -> None:
    """附件1 and 附件2: one sheet per unit, titled with the unit's name, numbered rows."""
    grouped = _per_unit(rows)
    for unit in units:
        if unit.pk not in grouped and len(units) > 1:
            continue
        ws = wb.create_sheet(unit.short_name[:31])
        body = [[n, *values(row)] for n, row in enumerate(grouped.get(unit.pk, []), 1)]
        table_sheet(
            ws,
            title=f"{unit.name}{form.title}",
            subtitle=form.attachment,
            columns=columns,
            rows=body,
            notes=[_deadline_note(form)]
            + ([f"（{MASKED_NOTE}。）"] if form.schema.personal_fields else []),
        )


def _products(wb, form, units, rows, as_of) -> None:
    columns = [
        Column("序号", 6),
        Column("推荐产品", 24),
        Column("推荐人", 12),
        Column("联系电话", 16),
        Column("备注", 24),
    ]
    keys = ("product", "recommender", "phone", "note")
    _listing_sheets(wb, form, units, rows, columns, lambda r: [r.data.get(k) for k in keys])


def _activities(wb, form, units, rows, as_of) -> None:
    columns = [
        Column("序号", 6),
        Column("活动名称", 24),
        Column("活动开展方式", 14),
        Column("组织活动平台", 18),
        Column("联合单位", 18),
        Column("参与人次", 10, kind="integer"),
        Column("投入资金（元）", 14, kind="number"),
        Column("拉动消费金额（元）", 16, kind="number"),
    ]

    def values(r: Row) -> list:
        d = r.data
        money = [Decimal(d[k]) if d.get(k) is not None else None for k in ("invested", "driven")]
        return [d.get("name"), d.get("mode"), d.get("platform"), d.get("partners"),
                d.get("participants"), *money]  # fmt: skip

    _listing_sheets(wb, form, units, rows, columns, values)


def _consumption(wb, form, units, rows, as_of) -> None:
    """附件3: one table, each unit's rows together, its name and 合计 merged down its rows."""
    ws = wb.create_sheet(form.attachment or "附件3")
    columns = [
        Column("单位名称", 20),
        Column("产品名称", 22),
        Column("产品来源", 18),
        Column("采购方式", 22),
        Column("金额（单位：万元）", 14, number_format="0.0000"),
        Column("合计（单位：万元）", 14, number_format="0.0000"),
    ]
    grouped = _per_unit(rows)
    body, spans = [], []
    for unit in units:
        unit_rows = grouped.get(unit.pk, [])
        if not unit_rows:
            continue
        total = _wan(sum(Decimal(r.data.get("amount") or 0) for r in unit_rows))
        spans.append((len(body), len(unit_rows)))
        for i, r in enumerate(unit_rows):
            d = r.data
            body.append(
                [
                    unit.name if i == 0 else None,
                    d.get("product"),
                    d.get("origin"),
                    d.get("method"),
                    _wan(d.get("amount")),
                    total if i == 0 else None,
                ]
            )
    title = f"{units[0].name}{form.title}" if len(units) == 1 else f"各单位{form.title}"
    table_sheet(
        ws,
        title=title,
        subtitle=f"{form.attachment}　数据截至 {as_of:%Y年%-m月%-d日}",
        columns=columns,
        rows=body,
        notes=[_deadline_note(form) + "逾期未报送不予统计。"],
    )
    for start, span in spans:
        if span > 1:
            first = 4 + start  # the body starts under the header on row 3
            for col in (1, 6):
                ws.merge_cells(
                    start_row=first, start_column=col, end_row=first + span - 1, end_column=col
                )


def _culture(wb, form, units, rows, as_of) -> None:
    """P13 附件2 情况统计表: 单位 | 场次 | 单位 | 场次, two units a line as printed."""
    ws = wb.create_sheet("情况统计表")
    counts = {u: len(r) for u, r in _per_unit(rows).items()}
    cells = [[u.name, counts.get(u.pk, 0)] for u in units]
    total = sum(counts.get(u.pk, 0) for u in units)
    if len(cells) % 2:
        cells.append([f"总计：{total}", None])
        footer = []
    else:
        footer = [[f"总计：{total}", None, None, None]]
    body = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    table_sheet(
        ws,
        title="“中国梦·劳动美·工会情”平顶山工会文化活动进基层情况统计表",
        subtitle=f"数据截至 {as_of:%Y年%-m月%-d日}（按已登记的“五送”活动记录计数，含未审核记录）",
        columns=[Column("单位", 24), Column("“五送”活动场次", 14, kind="integer")] * 2,
        rows=body,
        footer_rows=footer,
    )


LAYOUTS = {
    "products": _products,
    "consumption-activities": _activities,
    "consumption": _consumption,
    "culture": _culture,
}


def has_layout(form: FormDefinition) -> bool:
    return form.code in LAYOUTS


def layout_units(*, form: FormDefinition, units: list[Unit], rows: list[Row]) -> list[Unit]:
    """The units a layout lists, in the order of the form's allocation table when its figures
    are split by one (the culture table lists its units as printed), then units with rows."""
    with_rows = {r.unit_id for r in rows}
    if len(units) == 1:
        return units
    by_pk = {u.pk: u for u in units}
    ordered = list(
        AllocationRow.objects.filter(
            table__columns__indicator__record_source__form=form, unit__isnull=False
        )
        .order_by("number")
        .values_list("unit_id", flat=True)
    )
    seen = set()
    result = []
    for pk in [*ordered, *(u.pk for u in units if u.pk in with_rows)]:
        if pk in by_pk and pk not in seen:
            seen.add(pk)
            result.append(by_pk[pk])
    return result


def attachment_xlsx(
    *, form: FormDefinition, units: list[Unit], rows: list[Row], as_of: dt.date
) -> bytes:
    """The notice's layout of `form` for `units` (in the order given)."""
    rows = masked_rows(form, rows)
    wb = Workbook()
    wb.remove(wb.active)
    LAYOUTS[form.code](wb, form, units, rows, as_of)
    if not wb.worksheets:
        table_sheet(
            wb.create_sheet(form.title[:31]),
            title=form.title,
            subtitle="没有记录",
            columns=[Column("说明", 40)],
            rows=[["暂无记录"]],
        )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
