"""Ranking groups (排名分组): the units a plan ranks against each other, as its file declares them.

A plan keeps them in order as `Plan.ranking_groups`:
[{"name": "县（市、区）", "kinds": ["county_city", …], "units": ["ruzhou", …]}, …]. A unit belongs
to the group that names its code, else to the one that names its kind (the plan file's reader
refuses a unit two groups take); a unit no group takes is ranked in 其他, listed last. A plan of
no groups ranks every unit in one list, as before groups existed.
"""

from __future__ import annotations

from collections.abc import Callable

from orgs.models import Unit

OTHER = "其他"  # the units no group takes, ranked last
ALL = "全部"  # the whole list, on the ranking page
RESERVED = (OTHER, ALL)


def ranking_group_names(plan) -> list[str]:
    """The plan's groups' names in the file's order ([] for a plan of no groups)."""
    return [g["name"] for g in plan.ranking_groups]


def ranking_group_of(plan) -> Callable[[Unit], str]:
    """unit → the name of its group in `plan` ("" for every unit of a plan of no groups)."""
    groups = plan.ranking_groups
    if not groups:
        return lambda unit: ""
    by_code = {code: g["name"] for g in reversed(groups) for code in g.get("units", ())}
    by_kind = {kind: g["name"] for g in reversed(groups) for kind in g.get("kinds", ())}
    return lambda unit: by_code.get(unit.code) or by_kind.get(unit.kind) or OTHER
