from common import clock
from common.excel import write_titled_table
from plans.models import Plan
from reporting.selectors import CHASE_COLUMNS


def chase_xlsx(*, plan: Plan, rows, today) -> bytes:
    body = [
        [
            f"专案{r.programme.number}",
            r.title,
            r.due_date.isoformat(),
            "逾期不予统计" if r.late_policy == "exclude" else "",
            *["、".join(u.short_name for u in r.units.get(key, [])) for key, _ in CHASE_COLUMNS],
        ]
        for r in rows
    ]
    return write_titled_table(
        sheet_title="催报",
        title=f"{plan.year}年报送情况（催报）",
        subtitle=f"数据截至 {clock.chinese_date(today)}",
        headers=[
            "专案",
            "报送事项",
            "截止日期",
            "逾期处理",
            *[label for _, label in CHASE_COLUMNS],
        ],
        rows=body,
        widths=[10, 40, 12, 12, 40, 40, 40, 40],
    )
