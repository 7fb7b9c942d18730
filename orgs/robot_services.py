"""Writes for group robots (群机器人): adding, changing, removing and testing one. Each change is
atomic and audited with the webhook address's host only and the secret masked."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from orgs.models import Department, GroupRobot, Unit, User
from orgs.robot_delivery import robot_post, robot_result_record, webhook_url_problem

EVENT_ROBOT_CREATED = "orgs.robot.created"
EVENT_ROBOT_UPDATED = "orgs.robot.updated"
EVENT_ROBOT_DELETED = "orgs.robot.deleted"
EVENT_ROBOT_TESTED = "orgs.robot.tested"

ROBOT_NEEDS_ONE_TARGET = "请选择一个单位或一个部门。"
ROBOT_FOREIGN_TARGET = "只能为本工会的单位或部门设置群机器人。"
ROBOT_SECRET_WECOM = "企业微信群机器人没有加签密钥，请留空。"  # noqa: S105 - a message
TEST_MESSAGE = (
    "【工会专案通】测试消息：{target}的群机器人已接通，此后的通知和提醒将发到本群。\n{site}"
)


def robot_snapshot(robot: GroupRobot) -> dict:
    """What the audit log keeps of a robot: never the full address (it holds the robot's key)
    nor the secret."""
    return {
        "kind": robot.kind,
        "name": robot.name,
        "unit": robot.unit.code if robot.unit_id else None,
        "department": robot.department.name if robot.department_id else None,
        "host": robot.host,
        "secret": robot.masked_secret,
        "enabled": robot.enabled,
    }


def _target_check(*, actor: User, unit: Unit | None, department: Department | None) -> None:
    if (unit is None) == (department is None):
        raise ServiceError(ROBOT_NEEDS_ONE_TARGET)
    owner = unit.federation_id if unit is not None else department.federation_id
    if actor.federation_id is None or owner != actor.federation_id:
        raise ServiceError(ROBOT_FOREIGN_TARGET)


def _config_check(*, kind: str, webhook_url: str, secret: str) -> None:
    if problem := webhook_url_problem(webhook_url):
        raise ServiceError(problem)
    if kind == GroupRobot.Kind.WECOM and secret:
        raise ServiceError(ROBOT_SECRET_WECOM)


@transaction.atomic
def robot_create(
    *,
    actor: User,
    kind: str,
    webhook_url: str,
    unit: Unit | None = None,
    department: Department | None = None,
    name: str = "",
    secret: str = "",
    enabled: bool = True,
) -> GroupRobot:
    _target_check(actor=actor, unit=unit, department=department)
    _config_check(kind=kind, webhook_url=webhook_url, secret=secret)
    robot = GroupRobot.objects.create(
        federation_id=actor.federation_id,
        unit=unit,
        department=department,
        kind=kind,
        name=name,
        webhook_url=webhook_url,
        secret=secret,
        enabled=enabled,
    )
    audit_record(actor=actor, event=EVENT_ROBOT_CREATED, target=robot, after=robot_snapshot(robot))
    return robot


@transaction.atomic
def robot_update(
    *,
    actor: User,
    robot: GroupRobot,
    kind: str,
    unit: Unit | None = None,
    department: Department | None = None,
    name: str = "",
    webhook_url: str = "",
    secret: str = "",
    secret_clear: bool = False,
    enabled: bool = True,
) -> GroupRobot:
    """Change a robot; an empty `webhook_url` or `secret` keeps the current one (neither is
    shown back to be typed again), `secret_clear` removes the secret."""
    _target_check(actor=actor, unit=unit, department=department)
    robot = (
        GroupRobot.objects.select_for_update(of=("self",))
        .select_related("unit", "department")
        .get(pk=robot.pk)
    )
    before = robot_snapshot(robot)
    robot.kind, robot.unit, robot.department = kind, unit, department
    robot.name, robot.enabled = name, enabled
    robot.webhook_url = webhook_url or robot.webhook_url
    if secret_clear or kind == GroupRobot.Kind.WECOM:
        robot.secret = ""
    robot.secret = secret or robot.secret
    _config_check(kind=kind, webhook_url=robot.webhook_url, secret=robot.secret)
    robot.save()
    after = robot_snapshot(robot)
    changed = webhook_url or secret or after != before
    if changed:
        # A new address on the same host, or a new secret, shows as the same snapshot: say so.
        after = {**after, "url_changed": bool(webhook_url), "secret_changed": bool(secret)}
        audit_record(
            actor=actor, event=EVENT_ROBOT_UPDATED, target=robot, before=before, after=after
        )
    return robot


@transaction.atomic
def robot_delete(*, actor: User, robot: GroupRobot) -> None:
    robot = (
        GroupRobot.objects.select_for_update(of=("self",))
        .select_related("unit", "department")
        .get(pk=robot.pk)
    )
    audit_record(actor=actor, event=EVENT_ROBOT_DELETED, target=robot, before=robot_snapshot(robot))
    robot.delete()


def robot_test_send(*, actor: User, robot: GroupRobot) -> str:
    """Post a test message now (outside any transaction: the robot may take seconds to
    answer); keep and audit the outcome. Returns the error, "" when the robot took it."""
    target = robot.unit.short_name if robot.unit_id else robot.department.name
    text = TEST_MESSAGE.format(target=target, site=settings.UNIONPLAN_SITE_URL)
    error = robot_post(robot, text)
    with transaction.atomic():
        robot_result_record(robot, error)
        audit_record(
            actor=actor,
            event=EVENT_ROBOT_TESTED,
            target=robot,
            after={"host": robot.host, "ok": not error, "error": error},
        )
    return error
