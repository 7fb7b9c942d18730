"""Posting to 企业微信 and 钉钉 group robots (群机器人).

`robots_notify` runs after a step's transaction commits (reporting's `notifications_send` hands
it every notification it writes, so workflow steps, reminders, form obligations and 督办 all
reach the robots): one text message per robot of the unit or department told, per event, not
one per person. The text carries the unit's short name, the item and a link, never a person's
name, a phone number or a typed reason. A robot that times out, answers other than 200 or with
an `errcode` other than 0 is logged and its error kept on the robot (shown to the system
administrator); it never fails the step.

The JSON is the one both platforms document for a text message,
`{"msgtype": "text", "text": {"content": …}}`; 钉钉's 加签 adds `timestamp` (milliseconds) and
`sign` = url-encoded base64 of HMAC-SHA256 over "timestamp\\nsecret" keyed with the secret.
Neither the webhook address (it holds the robot's key) nor the secret is ever logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from orgs.models import GroupRobot, User

log = logging.getLogger(__name__)

PREFIX = "【工会专案通】"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# 企业微信 takes at most 2048 bytes of text; 钉钉 more. Cut well before, in whole characters.
CONTENT_BYTES = 2000
REPLY_BYTES = 64 * 1024
# A typed reason may name people; the rest of the text should not, but a title could carry a
# number: mobile numbers, ID card numbers and e-mail addresses are blanked all the same.
PERSONAL = re.compile(
    r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)\d{17}[\dXx](?!\d)|[\w.+-]+@[\w-]+(\.[\w-]+)+"
)
REASON_HIDDEN = "请登录系统查看"

URL_EMPTY = "请填写机器人的 Webhook 地址。"
URL_NOT_HTTPS = "只接受 https:// 开头的 Webhook 地址。"
URL_MALFORMED = "Webhook 地址格式不正确，请从群机器人设置中完整复制。"
UNIT_ROLES = (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD)


def webhook_url_problem(url: str) -> str:
    """Why `url` cannot be a robot's webhook address, in Chinese; "" when it can."""
    if not url:
        return URL_EMPTY
    if any(c.isspace() for c in url):
        return URL_MALFORMED
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return URL_MALFORMED
    if not host or parts.username or parts.password or parts.fragment:
        return URL_MALFORMED
    if parts.scheme == "https":
        return ""
    local = settings.DEBUG or settings.UNIONPLAN_ROBOT_LOCAL_HTTP
    if parts.scheme == "http" and local and host in LOCAL_HOSTS:
        return ""
    return URL_NOT_HTTPS


def dingtalk_signed_url(url: str, secret: str, *, timestamp: int) -> str:
    """`url` with 钉钉's 加签 parameters for `timestamp` (milliseconds since the epoch)."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = quote_plus(base64.b64encode(digest))
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def robot_payload(text: str) -> dict:
    """A text message, as 企业微信 and 钉钉 both document it."""
    return {"msgtype": "text", "text": {"content": text}}


def robot_text(*, unit_name: str, message: str, link: str, reason: str = "") -> str:
    """The group's text for one notification: no reason, no personal data."""
    body = _without_reason(message, reason)
    body = PERSONAL.sub("***", " ".join(body.split()))
    if unit_name and not body.startswith(unit_name):
        body = f"{unit_name}：{body}"
    text = f"{PREFIX}{body}\n查看详情：{link}"
    while len(text.encode("utf-8")) > CONTENT_BYTES:
        body = body[: max(len(body) - 50, 0)]
        text = f"{PREFIX}{body}…\n查看详情：{link}"
    return text


def _without_reason(message: str, reason: str) -> str:
    """The notification's message without the reason at its end (cut to 300 characters, the
    message may end with the reason's first part only)."""
    reason = reason.strip()
    for length in range(len(reason), 0, -1):
        if message.endswith(reason[:length]):
            return message[: len(message) - length] + REASON_HIDDEN
    return message


def robot_post(robot: GroupRobot, text: str) -> str:
    """Post `text` to `robot`; "" when it took it, else why not, in Chinese."""
    if webhook_url_problem(robot.webhook_url):
        return URL_NOT_HTTPS
    url = robot.webhook_url
    if robot.kind == GroupRobot.Kind.DINGTALK and robot.secret:
        url = dingtalk_signed_url(url, robot.secret, timestamp=int(time.time() * 1000))
    request = urllib.request.Request(  # noqa: S310 - https, or local http in tests, checked above
        url,
        data=json.dumps(robot_payload(text), ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=settings.UNIONPLAN_ROBOT_TIMEOUT) as response:
            status, body = response.status, response.read(REPLY_BYTES)
    except urllib.error.HTTPError as exc:
        exc.close()
        return f"机器人服务器返回 HTTP {exc.code}"
    except TimeoutError:
        return "连接超时"
    except (urllib.error.URLError, OSError):
        return "无法连接机器人服务器"
    if status != 200:
        return f"机器人服务器返回 HTTP {status}"
    try:
        reply = json.loads(body)
    except ValueError:
        return "机器人服务器的回复无法识别"
    errcode = reply.get("errcode") if isinstance(reply, dict) else None
    if errcode != 0:
        errmsg = str(reply.get("errmsg", "")) if isinstance(reply, dict) else ""
        return f"错误码 {errcode}：{errmsg}"[:200]
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot's address answers itself: a redirect (perhaps to plain http) is an error."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def robot_result_record(robot: GroupRobot, error: str) -> None:
    """Keep the outcome of a delivery on the robot for its page: the time of the last success,
    or the last error and when. Delivery state, not configuration: not in the audit log."""
    now = timezone.now()
    robots = GroupRobot.objects.filter(pk=robot.pk)
    if error:
        robots.update(last_error=error[:300], last_error_at=now)
        log.warning("群机器人 #%s（%s）发送失败：%s", robot.pk, robot.host, error)
    else:
        robots.update(last_success_at=now)


def robots_notify(items: Iterable[tuple[int, str, str]], *, reason: str = "") -> None:
    """Post each (user id, message, absolute link) to the robots of the user's unit (a
    reporter or head) or department (staff): one message per robot and event. Never raises."""
    try:
        _notify(list(items), reason)
    except Exception:
        log.exception("群机器人消息发送失败，站内通知已保存。")


def _notify(items: list[tuple[int, str, str]], reason: str) -> None:
    people = User.objects.filter(pk__in={user_id for user_id, _, _ in items}, is_active=True)
    where = {
        pk: ("unit", unit_id) if role in UNIT_ROLES else ("department", department_id)
        for pk, role, unit_id, department_id in people.values_list(
            "pk", "role", "unit_id", "department_id"
        )
        if role in UNIT_ROLES or role == User.Role.DEPARTMENT_STAFF
    }
    # Per unit or department, each distinct (message, link) once, in the order written.
    events: dict[tuple[str, int], dict[tuple[str, str], None]] = {}
    for user_id, message, link in items:
        if user_id in where:
            events.setdefault(where[user_id], {})[(message, link)] = None
    if not events:
        return
    units = [pk for kind, pk in events if kind == "unit"]
    departments = [pk for kind, pk in events if kind == "department"]
    robots = GroupRobot.objects.filter(
        Q(unit_id__in=units) | Q(department_id__in=departments), enabled=True
    ).select_related("unit")
    for robot in robots:
        target = ("unit", robot.unit_id) if robot.unit_id else ("department", robot.department_id)
        error = ""
        for message, link in events.get(target, {}):
            text = robot_text(
                unit_name=robot.unit.short_name if robot.unit else "",
                message=message,
                link=link,
                reason=reason,
            )
            error = robot_post(robot, text)
            if error:  # the rest would wait out the same timeout: tried again next event
                break
        robot_result_record(robot, error)
