"""考核结果 as an Excel workbook (a sheet per ranking group) and as a Word document (a title,
the 数据截至 line, how the score is made, a table per group), as the dashboards' exports and
the bulletin write theirs."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from assessment.selectors import Assessment, Component, Part, UnitResult
from common.excel import INTEGER, NUMBER, PERCENT, Column, table_sheet
from dashboards.bulletin.tables import table
from dashboards.bulletin.word import CENTER, TITLE, new_document, para, save
from dashboards.exports import as_of_line, cn_date

NONE = "—"
SCORE = "0.00"


def _title(found: Assessment) -> str:
    return f"{found.plan.year}年度各单位考核结果"


def weights_line(components: list[Component]) -> str:
    """考核得分 = 任务完成率 × 50 + …"""
    parts = "＋".join(f"{c.label}×{c.weight.normalize():f}" for c in components)
    return (
        f"考核得分（满分 100）＝{parts}。某项不适用于该单位的，该项权重按比例分给其他各项；"
        "在评分范围内而评分未定稿的，评分结果按 0 分计；得分相同的单位名次相同。"
    )


def _respread(row: UnitResult) -> str:
    if not row.respread:
        return ""
    return (
        "不计"
        + "、".join(p.component.short_label for p in row.left_out)
        + "，权重按比例分给其他各项"
    )


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts ( ≤ 31 characters, none of []:*?/\\), unique."""
    title = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "考核结果"
    while title in taken:
        title += "_"
    taken.add(title)
    return title


def assessment_xlsx(found: Assessment) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = [
        Column("组内名次", 8, INTEGER),
        Column("单位", 18, align="left"),
        Column("考核得分", 10, NUMBER, SCORE),
        *(
            column
            for c in found.components
            for column in (
                Column(f"{c.label}（权重 {c.weight.normalize():f}）", 14, PERCENT),
                Column("计入权重", 9, NUMBER, SCORE),
                Column("得分", 8, NUMBER, SCORE),
            )
        ),
        Column("说明", 30, align="left"),
    ]
    taken: set[str] = set()
    for group in found.groups:
        rows = [
            [
                NONE if r.group_rank is None else r.group_rank,
                r.unit.short_name or r.unit.name,
                NONE if r.score is None else r.score,
                *(
                    value
                    for p in r.parts
                    for value in (
                        NONE if p.empty else p.share,
                        NONE if p.empty else round(p.applied, 2),
                        NONE if p.empty else p.points,
                    )
                ),
                "；".join(
                    t
                    for t in (
                        _respread(r),
                        "、".join(
                            f"{p.component.short_label}：{p.detail}" for p in r.parts if p.detail
                        ),
                    )
                    if t
                ),
            ]
            for r in group.rows
        ]
        table_sheet(
            workbook.create_sheet(_sheet_title(group.name, taken)),
            title=f"{_title(found)}（{group.name}）",
            subtitle=as_of_line(found.as_of),
            columns=columns,
            rows=rows,
            notes=[weights_line(found.components)],
            freeze_columns=2,
        )
    if not workbook.sheetnames:
        table_sheet(
            workbook.create_sheet("考核结果"),
            title=_title(found),
            subtitle=as_of_line(found.as_of),
            columns=[Column("说明", 60, align="left")],
            rows=[["本方案未设置考核内容（方案文件的 assessment）。"]],
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pct(value) -> str:
    return NONE if value is None else f"{value * 100:.1f}%"


def _cell(part: Part) -> str:
    if part.empty:
        return NONE
    if part.pending:
        return "未定稿\n按0分计"
    return f"{_pct(part.share)}\n{part.points}分"


def assessment_docx(found: Assessment) -> bytes:
    doc = new_document()
    para(doc, _title(found), font=TITLE, size=22, bold=True, align=CENTER, indent=False)
    para(doc, f"（数据截至{cn_date(found.as_of)}）", size=16, align=CENTER, indent=False)
    para(doc, found.plan.title)
    if not found.configured:
        para(doc, "本方案未设置考核内容。")
        return save(doc)
    para(doc, weights_line(found.components))
    headers = ["名次", "单位", "考核得分", *(c.short_label for c in found.components), "说明"]
    widths = [1.2, 3.2, 1.6, *([1.8] * len(found.components)), 0]
    widths[-1] = max(2.0, 15.5 - sum(widths))
    for group in found.groups:
        rows = [
            [
                NONE if r.group_rank is None else str(r.group_rank),
                r.unit.short_name or r.unit.name,
                NONE if r.score is None else f"{r.score}",
                *(_cell(p) for p in r.parts),
                _respread(r) or "",
            ]
            for r in group.rows
        ]
        table(doc, f"{group.name}（{len(group.rows)}个单位）", headers, rows, widths, left=1)
    return save(doc)
