"""Reads for group robots (群机器人): the system administrator's list and one robot."""

from __future__ import annotations

from django.db.models import F
from django.shortcuts import get_object_or_404

from orgs import access
from orgs.models import GroupRobot, User


def robot_list(*, actor: User) -> list[GroupRobot]:
    """The robots of the administrator's federation, with their unit or department: one query."""
    return list(
        GroupRobot.objects.filter(access.robot_scope(actor))
        .select_related("unit", "department")
        .order_by(F("department__name").asc(nulls_first=True), "unit__order", "pk")
    )


def robot_get(*, actor: User, pk: int) -> GroupRobot:
    """One robot of the administrator's federation; another federation's answers 404."""
    robots = GroupRobot.objects.filter(access.robot_scope(actor))
    return get_object_or_404(robots.select_related("unit", "department"), pk=pk)
