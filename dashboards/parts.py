"""The consistency check's look at figures (plans.consistency, through plans.extensions): a
part (其中) whose approved figure is greater than its whole's, for a unit or the whole plan.

Figures are reported by units and read as of a date here, above plans: the file's targets are
plans' to check, what units have reported so far is said here, as a warning (a unit may report
the part before the whole).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from common import clock
from dashboards.selectors.official import official_values
from orgs.models import Unit
from plans.consistency import Finding, part_and_whole, shown
from plans.levels import plan_level
from plans.models import Indicator, Plan

# At most this many units are named in one finding; the rest are counted.
NAMED = 10


def part_figure_findings(*, plan: Plan) -> list[Finding]:
    """As of today, each part whose approved figure, a unit's or the plan's total, is greater
    than its whole's. One query for a plan without parts; with parts, a few whatever the
    number of units."""
    parts = list(
        Indicator.objects.filter(plan=plan, part_of__isnull=False).select_related(
            "part_of", "programme"
        )
    )
    if not parts:
        return []
    as_of = clock.today()
    ids = sorted({i.pk for i in parts} | {i.part_of_id for i in parts})
    figures = official_values(plan, as_of, indicator_ids=ids)
    by_indicator: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (unit_id, indicator_id), value in figures.items():
        by_indicator[indicator_id][unit_id] = value
    over_by_part = {}
    for part in parts:
        mine, whole = by_indicator[part.pk], by_indicator[part.part_of_id]
        over_by_part[part.pk] = [u for u, v in mine.items() if v > whole.get(u, Decimal(0))]
    named = {u for units in over_by_part.values() for u in units[:NAMED]}
    names = dict(Unit.objects.filter(pk__in=named).values_list("pk", "short_name"))
    scope = plan_level(plan).scope
    found = []
    for part in parts:
        whole = part.part_of
        mine, theirs = by_indicator[part.pk], by_indicator[whole.pk]
        total, whole_total = sum(mine.values(), Decimal(0)), sum(theirs.values(), Decimal(0))
        over = over_by_part[part.pk]
        if not over and total <= whole_total:
            continue
        said = []
        if total > whole_total:
            said.append(f"{scope}合计 {shown(total, part)} > {shown(whole_total, whole)}")
        units = [
            f"{names[u]}（{shown(mine[u], part)} > {shown(theirs.get(u, Decimal(0)), whole)}）"
            for u in over[:NAMED]
        ]
        if units:
            more = f"等 {len(over)} 个单位" if len(over) > NAMED else ""
            said.append("、".join(units) + more)
        found.append(
            Finding(
                "warning",
                "part_figures",
                f"专案{part.programme.number}{part_and_whole(part, whole)}截至"
                f"{clock.chinese_date(as_of)}的已审核数大于「{whole.name}」的：{'；'.join(said)}",
                part.programme.number,
            )
        )
    return found
