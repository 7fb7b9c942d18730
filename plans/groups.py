"""The groups a plan's programmes fall into (五大行动, 十件实事…), as its file declares them.

A plan keeps them in order as `Plan.groups`: [{"code": "action", "name": "五大行动"}, …]; each
programme's `category` is one of the codes. A file that declares none has the 2022 plan's two.
"""

from __future__ import annotations

from typing import Any

DEFAULT_GROUPS = (("action", "五大行动"), ("practical_matter", "十件实事"))


def default_groups() -> list[dict[str, str]]:
    """Plan.groups of a plan loaded before files declared groups, or whose file declares none."""
    return [{"code": code, "name": name} for code, name in DEFAULT_GROUPS]


def group_pairs(plan) -> list[tuple[str, str]]:
    """The plan's groups as (code, name), in the file's order."""
    return [(g["code"], g["name"]) for g in plan.groups]


def group_name(plan, code: str) -> str:
    """The name of the group `code` of `plan` (the code itself if the plan has no such group)."""
    return next((name for c, name in group_pairs(plan) if c == code), code)


def grouped(plan, programmes: list[Any]) -> list[tuple[str, list[Any]]]:
    """`programmes` under each of the plan's groups' names, in the groups' order."""
    return [
        (name, [p for p in programmes if p.category == code]) for code, name in group_pairs(plan)
    ]


def quoted_names(plan) -> str:
    """“五大行动”“十件实事”: the groups' names as a title quotes them."""
    return "".join(f"“{name}”" for _code, name in group_pairs(plan))
