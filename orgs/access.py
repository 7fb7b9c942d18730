"""Who may see what: the one place that decides.

Unit users (reporters and heads) see their own unit only; another unit's page answers 404 so
that ids cannot be probed. Federation roles see every unit. Pages that only federation roles
use answer 403 to unit users.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from orgs.models import Unit, User

FEDERATION_ROLES = frozenset(
    {
        User.Role.SYSTEM_ADMIN,
        User.Role.SECURITY_ADMIN,
        User.Role.AUDIT_ADMIN,
        User.Role.DEPARTMENT_STAFF,
        User.Role.LEADER,
    }
)


def is_federation_user(user: User) -> bool:
    return user.is_authenticated and user.role in FEDERATION_ROLES


def require_federation_user(user: User) -> None:
    if not is_federation_user(user):
        raise PermissionDenied("只有市总工会的工作人员可以查看此页面")


def unit_visible_to(user: User, unit: Unit) -> bool:
    if is_federation_user(user):
        return True
    return user.is_authenticated and user.is_unit_user and user.unit_id == unit.pk


def require_unit_visible(user: User, unit: Unit | None) -> Unit:
    if unit is None or not unit_visible_to(user, unit):
        raise Http404("没有找到该单位")
    return unit
