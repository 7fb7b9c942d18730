"""What plans tell orgs, without orgs importing them.

Orgs sit below plans (docs/architecture.md), yet the system administrator's bulk creation of
unit accounts (orgs/unit_accounts.py) works on the units of a plan of their federation. Plans
register here, in their AppConfig.ready(), how to list the plans an account works on and how
to get one of them: `plan_list(actor=)` and `plan_get(slug=, actor=)`, the latter answering
404 for another federation's plan. Orgs use only a plan's `slug`, `title`, `issuer_id` and
`units`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}


def plans_provider(*, plan_list: Callable[..., Any], plan_get: Callable[..., Any]) -> None:
    _providers.update(plan_list=plan_list, plan_get=plan_get)


def plan_list(*, actor) -> Any:
    """The plans `actor` works on, newest first (plans.selectors.plan_list)."""
    return _providers["plan_list"](actor=actor)


def plan_get(*, slug: str, actor) -> Any:
    """The plan, if `actor` works on it; else 404 (plans.selectors.plan_get)."""
    return _providers["plan_get"](slug=slug, actor=actor)
