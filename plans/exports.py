"""Allocation tables as Excel files, laid out like the attachment."""

from __future__ import annotations

from common.excel import write_titled_table
from plans.models import AllocationTable
from plans.selectors import format_number, table_layout


def allocation_table_xlsx(*, table: AllocationTable) -> bytes:
    layout = table_layout(table)
    rows = [[row.label, *values] for row, values in layout.rows]
    footer = []
    if table.has_total_row:
        footer.append(["合计（印发）", *layout.declared])
    if not table.has_total_row or any(layout.mismatches):
        # The printed total is kept as printed; the computed sum is shown beside it, not instead.
        footer.append(["各行相加", *layout.sums])
    subtitle = f"{table.attachment} · 专案{table.programme.number}「{table.programme.title}」"
    notes = [
        f"注：{row.label}{'（' + row.group + '）' if row.group else ''}"
        f"{'：' + row.note if row.note else ''}"
        for row, _ in layout.rows
        if row.note
    ]
    if any(layout.mismatches):
        diffs = [
            f"{h}：印发合计 {format_number(d)}，各行相加 {format_number(s)}"
            for h, d, s, bad in zip(
                layout.headers, layout.declared, layout.sums, layout.mismatches, strict=True
            )
            if bad
        ]
        notes.append("注：印发合计与各行相加不一致——" + "；".join(diffs))
    footer += [[n] + [None] * len(layout.headers) for n in notes]
    return write_titled_table(
        sheet_title=table.code,
        title=table.title,
        subtitle=subtitle,
        headers=["单位", *layout.headers],
        rows=rows,
        footer_rows=footer,
        widths=[28] + [16] * len(layout.headers),
    )
