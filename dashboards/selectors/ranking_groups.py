"""The ranking within the plan's ranking groups (排名分组: 县（市、区）, 产业工会, 直属企业…).

Units are ranked once over the whole plan (`ranking.rank_units`); here each row learns its
group and its rank within it, and the rows are split into the groups in the file's order, 其他
(the units no group takes) last. No query: the groups are the plan's, the units already read.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.selectors.ranking import RankRow, Warning
from plans.models import Plan
from plans.ranking_groups import ALL, OTHER, ranking_group_names, ranking_group_of


@dataclass
class RankGroup:
    name: str
    rows: list[RankRow]  # best first; each row's `group_rank` is its place here


def rank_in_groups(*, plan: Plan, rows: list[RankRow]) -> list[RankGroup]:
    """Set each row's group and rank within it; the groups in order, 其他 last when it has
    rows. A plan of no groups: [] (its rows keep one list)."""
    names = ranking_group_names(plan)
    if not names:
        return []
    group_of = ranking_group_of(plan)
    groups = {name: RankGroup(name, []) for name in [*names, OTHER]}
    for row in rows:  # best first, so each group's rows are too
        group = groups[group_of(row.unit)]
        row.group, row.group_rank = group.name, len(group.rows) + 1
        group.rows.append(row)
    return [g for g in groups.values() if g.name != OTHER or g.rows]


def mark_warning_groups(*, plan: Plan, warnings: list[Warning]) -> list[Warning]:
    """Each warning with its unit's group's name."""
    group_of = ranking_group_of(plan)
    for warning in warnings:
        warning.group = group_of(warning.unit)
    return warnings


SAID = 20  # characters of an unknown group's name said back


@dataclass
class GroupChoice:
    """What the ranking page shows: one group's rows, or every row (`group` None: 全部)."""

    group: RankGroup | None
    notice: str = ""  # said above the table when the group asked for is not the plan's


def ranking_group_choose(*, groups: list[RankGroup], asked: str) -> GroupChoice:
    """The group named `asked`, 全部, or (nothing asked) the first group; an unknown name shows
    the first group and says so."""
    if not groups or asked == ALL:
        return GroupChoice(None)
    found = next((g for g in groups if g.name == asked), None)
    if found is not None:
        return GroupChoice(found)
    named = asked if len(asked) <= SAID else f"{asked[:SAID]}…"
    notice = f"没有名为「{named}」的排名分组，已显示「{groups[0].name}」。" if asked else ""
    return GroupChoice(groups[0], notice)
