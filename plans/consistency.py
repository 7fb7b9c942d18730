"""The consistency check (一致性检查): where the loaded source disagrees with itself.

Every check is a rule over the loaded data (sums, targets, per-unit rules, labels); none names a
particular plan, table or unit, so a new year's plan is checked the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from orgs.models import Unit
from plans import extensions
from plans.levels import Level, plan_level
from plans.models import Indicator, Plan, Programme, ProgrammeDepartment
from plans.selectors import format_number, plan_programmes, plan_units, table_layout

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# How far a table may differ from a target the text gives as 左右 (about) before it is reported.
ABOUT_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | info
    kind: str
    message: str
    programme: int | None = None
    table: str = ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def consistency_check(*, plan: Plan) -> list[Finding]:
    programmes = plan_programmes(plan=plan)
    units = plan_units(plan=plan)
    level = plan_level(plan)  # 市总指定, 全市目标: in the issuer's words
    findings: list[Finding] = []
    if plan.doc_number_variants:
        findings.append(
            Finding(
                "warning",
                "doc_number",
                f"通知中出现不同文号：{plan.doc_number}、{'、'.join(plan.doc_number_variants)}",
            )
        )
    spellings: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for programme in programmes:
        findings += _department_findings(programme, level)
        for table in programme.tables.all():
            layout = table_layout(table)
            findings += _table_findings(programme, layout, units, level)
            for row, _values in layout.rows:
                if row.unit_id and not row.unit_assigned:
                    place = table.attachment or table.code
                    spellings[row.unit_id][row.label].append(f"专案{programme.number}{place}")
        for rubric in programme.rubrics.all():
            findings += _rubric_findings(programme, rubric)
        findings += _part_findings(programme, level)
    findings += _spelling_findings(spellings, {u.pk: u for u in units})
    # What apps above plans find (dashboards: a part's approved figures above its whole's).
    findings += extensions.consistency_findings(plan=plan)
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.programme or 0))


def _department_findings(programme: Programme, level: Level) -> list[Finding]:
    links = programme.department_links
    if not links:
        return [
            Finding(
                "warning",
                "department_missing",
                f"专案{programme.number}「{programme.title}」没有责任部门",
                programme.number,
            )
        ]
    assigned = [
        link.department.name for link in links if link.source == ProgrammeDepartment.Source.ASSIGNED
    ]
    if assigned and len(assigned) == len(links):
        return [
            Finding(
                "info",
                "department_assigned",
                f"专案{programme.number}「{programme.title}」通知未写明责任部门，"
                f"由{level.federation}指定：{'、'.join(assigned)}",
                programme.number,
            )
        ]
    return []


def _table_findings(programme: Programme, layout, units, level: Level) -> list[Finding]:
    table = layout.table
    n = programme.number
    where = f"专案{n}「{table.title}」"
    found: list[Finding] = []
    for header, indicator, declared, total in zip(
        layout.headers, layout.indicators, layout.declared, layout.sums, strict=True
    ):
        column = f"{where}「{header}」列"
        if declared is not None and declared != total:
            found.append(
                Finding(
                    "error",
                    "table_total",
                    f"{column}各行相加为 {format_number(total)}，"
                    f"印发合计为 {format_number(declared)}，"
                    f"相差 {format_number(abs(declared - total))}",
                    n,
                    table.code,
                )
            )
        if declared is None and table.has_total_row:
            found.append(
                Finding(
                    "info",
                    "table_total_blank",
                    f"{column}合计行为空（各行相加为 {format_number(total)}）",
                    n,
                    table.code,
                )
            )
        message = _against_target(indicator, total)
        if message:
            found.append(Finding("warning", "table_vs_target", f"{column}{message}", n, table.code))
        if indicator.target is None:
            shown = declared if declared is not None else total
            found.append(
                Finding(
                    "info",
                    "target_only_in_table",
                    f"「{indicator.name}」正文未给出{level.scope}目标，仅见于分解表"
                    f"（{format_number(shown)} {indicator.measure}）",
                    n,
                    table.code,
                )
            )
        found += _per_unit_findings(indicator, layout, header, where, units, n)
    if not table.has_total_row:
        found.append(Finding("info", "table_no_total", f"{where}没有合计行", n, table.code))
    groups: dict[str, list[str]] = defaultdict(list)
    for row, values in layout.rows:
        if row.group:
            groups[row.group].append(row.label)
        if row.unit_id is None:
            shown = "、".join(format_number(v) for v in values if v is not None)
            found.append(
                Finding(
                    "warning",
                    "non_unit_row",
                    f"{where}第 {row.number} 行「{row.label}」不是单位：数值 {shown} 计入合计，"
                    f"但没有单位承担",
                    n,
                    table.code,
                )
            )
        elif row.unit_assigned:
            found.append(
                Finding(
                    "info",
                    "assigned_row",
                    f"{where}第 {row.number} 行「{row.label}」不是单位名称，计划文件指定由"
                    f"「{row.unit.short_name}」承担",
                    n,
                    table.code,
                )
            )
    for group, labels in groups.items():
        found.append(
            Finding(
                "warning",
                "merged_group",
                f"{where}合并单元格「{group}」不是单位，其所在 {len(labels)} 行"
                f"（{'、'.join(labels)}）的数值按各行单位计算",
                n,
                table.code,
            )
        )
    return found


def _against_target(indicator: Indicator, total: Decimal) -> str:
    target = indicator.target_value
    if target is None:
        return ""
    t, s = format_number(indicator.target), format_number(total)
    comparator = indicator.comparator
    if comparator == Indicator.Comparator.EQ and total != target:
        return f"各行相加为 {s}，正文目标为 {t}"
    if comparator == Indicator.Comparator.GTE and total < target:
        return f"各行相加为 {s}，低于正文「{t}以上」的目标"
    if comparator == Indicator.Comparator.GT and total <= target:
        return f"各行相加为 {s}，未超过正文「超过{t}」的目标"
    if (
        comparator == Indicator.Comparator.ABOUT
        and target
        and (abs(total - target) / target > ABOUT_TOLERANCE)
    ):
        return f"各行相加为 {s}，与正文「{t}左右」相差超过 {ABOUT_TOLERANCE:.0%}"
    if (
        comparator == Indicator.Comparator.NEAR
        and target
        and (total > target or (target - total) / target > ABOUT_TOLERANCE)
    ):
        return (
            f"各行相加为 {s}，与正文「近{t}」不符"
            f"（应不超过 {t}，且相差不超过 {ABOUT_TOLERANCE:.0%}）"
        )
    return ""


def _per_unit_findings(indicator, layout, header, where, units, n) -> list[Finding]:
    lo, hi = indicator.per_unit_min, indicator.per_unit_max
    if lo is None and hi is None:
        return []
    column = layout.indicators.index(indicator)
    values = {row.unit_id: vals[column] for row, vals in layout.rows if row.unit_id}
    scope = indicator.per_unit_scope
    missing, low, high = [], [], []
    for unit in units:
        if unit.kind not in scope and unit.name not in scope:
            continue
        value = values.get(unit.pk)
        if value is None:
            missing.append(unit.short_name)
        elif lo is not None and value < lo:
            low.append(f"{unit.short_name}（{format_number(value)}）")
        elif hi is not None and value > hi:
            high.append(f"{unit.short_name}（{format_number(value)}）")
    rule = _rule_text(lo, hi, indicator.measure)
    found = []
    if missing:
        found.append(
            Finding(
                "warning",
                "per_unit_rule",
                f"正文要求{rule}，{where}「{header}」列中 {len(missing)} 个单位为空："
                f"{'、'.join(missing)}",
                n,
                layout.table.code,
            )
        )
    if low or high:
        found.append(
            Finding(
                "warning",
                "per_unit_rule",
                f"正文要求{rule}，{where}「{header}」列中不符合的单位：{'、'.join(low + high)}",
                n,
                layout.table.code,
            )
        )
    return found


def _rule_text(lo, hi, measure) -> str:
    if lo is not None and hi is not None:
        return f"每单位 {format_number(lo)}–{format_number(hi)} {measure}"
    if lo is not None:
        return f"每单位不少于 {format_number(lo)} {measure}"
    return f"每单位不超过 {format_number(hi)} {measure}"


def shown(value: Decimal, indicator: Indicator) -> str:
    """`value` in the indicator's shown measure, as the notice prints it: 1,000 万元."""
    return f"{format_number(indicator.shown(value))} {indicator.shown_measure}"


def part_and_whole(part: Indicator, whole: Indicator) -> str:
    """「其中：用于困难职工」（「筹集帮扶资金」的其中项）"""
    return f"「{part.name}」（「{whole.name}」的其中项）"


def _part_findings(programme: Programme, level: Level) -> list[Finding]:
    """A part (其中) whose target, or a unit's share of it, is greater than its whole's, and
    parts whose targets add up to more than the whole's. The file's own targets were checked
    when it was read; a target from the parent plan's table or a table's total only here."""
    indicators = {i.pk: i for i in programme.indicators.all()}
    parts = [i for i in indicators.values() if i.part_of_id in indicators]
    if not parts:
        return []
    shares: dict[int, dict[int, tuple[Unit, Decimal]]] = defaultdict(dict)
    for table in programme.tables.all():
        for row in table.rows.all():
            for cell in row.allocations.all():
                if row.unit_id:
                    shares[cell.indicator_id][row.unit_id] = (row.unit, cell.value)
    n = programme.number
    found: list[Finding] = []
    by_whole: dict[int, list[Indicator]] = defaultdict(list)
    for part in parts:
        whole = indicators[part.part_of_id]
        by_whole[whole.pk].append(part)
        p, w = _whole_target(part, shares), _whole_target(whole, shares)
        if p is not None and w is not None and p > w:
            found.append(
                Finding(
                    "error",
                    "part_target",
                    f"专案{n}{part_and_whole(part, whole)}{level.scope}目标 {shown(p, part)}，"
                    f"大于「{whole.name}」的 {shown(w, whole)}",
                    n,
                )
            )
        over = [
            f"{unit.short_name}（{shown(value, part)} > {shown(of, whole)}）"
            for unit_id, (unit, value) in shares[part.pk].items()
            if (of := shares[whole.pk].get(unit_id, (None, None))[1]) is not None and value > of
        ]
        if over:
            found.append(
                Finding(
                    "warning",
                    "part_allocation",
                    f"专案{n}{part_and_whole(part, whole)}分解给以下单位的任务大于"
                    f"「{whole.name}」的：{'、'.join(over)}",
                    n,
                )
            )
    for whole_id, items in by_whole.items():
        whole = indicators[whole_id]
        values = [v for i in items if (v := _whole_target(i, shares)) is not None]
        w = _whole_target(whole, shares)
        if len(values) > 1 and w is not None and sum(values) > w:
            found.append(
                Finding(
                    "error",
                    "parts_total",
                    f"专案{n}「{whole.name}」的其中项（{'、'.join(i.name for i in items)}）"
                    f"目标合计 {shown(sum(values), whole)}，大于其{level.scope}目标 "
                    f"{shown(w, whole)}",
                    n,
                )
            )
    return found


def _whole_target(indicator: Indicator, shares) -> Decimal | None:
    """The target as the plan gives it: the text's, else the table's printed total, else the
    units' shares added up (as the dashboards read it)."""
    if indicator.target is not None:
        return indicator.target_value
    column = getattr(indicator, "column", None)
    if column is not None and column.declared_total is not None:
        return column.declared_total
    values = [value for _unit, value in shares.get(indicator.pk, {}).values()]
    return sum(values, Decimal(0)) if values else None


def _rubric_findings(programme: Programme, rubric) -> list[Finding]:
    criteria = list(rubric.criteria.all())
    found = []
    for section in (c for c in criteria if c.is_section):
        items = [c for c in criteria if c.code.startswith(f"{section.code}.")]
        total = sum((c.points for c in items), Decimal(0))
        if items and total != section.points:
            found.append(
                Finding(
                    "error",
                    "rubric_points",
                    f"专案{programme.number}「{rubric.title}」中「{section.title}」为 "
                    f"{format_number(section.points)} 分，其细项相加为 {format_number(total)} 分",
                    programme.number,
                )
            )
    return found


def _spelling_findings(spellings, units_by_id) -> list[Finding]:
    found = []
    for unit_id, labels in spellings.items():
        if len(labels) > 1:
            unit = units_by_id[unit_id]
            written = "；".join(
                f"「{label}」（{'、'.join(places)}）" for label, places in labels.items()
            )
            found.append(
                Finding(
                    "info",
                    "unit_spellings",
                    f"{unit.name} 在各表中有 {len(labels)} 种写法：{written}",
                )
            )
    return found
