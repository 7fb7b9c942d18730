"""In-app notifications (the bell), their e-mail copies and group robot messages.

Every notification a workflow step or a reminder writes also goes by e-mail to its user when
the user is active and has an address. The mail leaves only after the step's transaction
commits, so a refused or rolled-back step sends nothing; a mail server that is down or refuses
is logged and never fails the step, whose notification is in the bell all the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orgs.models import User
from orgs.robot_delivery import robots_notify
from reporting.models import Notification

log = logging.getLogger(__name__)

SUBJECT = "〔工会专案通〕{message}"
SUBJECT_LENGTH = 60
FOOTER = "此邮件由工会专案通自动发送，请勿直接回复。"

_held: ContextVar[bool] = ContextVar("notification_deliveries_held", default=False)


@contextmanager
def deliveries_held() -> Iterator[None]:
    """Within the block notifications go to the bell only, with no mail and no robot message:
    for a made-up history (the demo), whose addresses are not real. It also keeps thousands of
    commit hooks off one long transaction."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


@transaction.atomic
def notifications_mark_read(*, user: User, pk: int | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def notifications_send(
    notes: Sequence[Notification], *, reason: str = "", reason_label: str = "原因"
) -> None:
    """Write `notes` (unsaved) to the bell and e-mail each once the transaction commits.

    `reason` (a return's or send-back's, in full where the notification may be cut short)
    goes into the mail under `reason_label`."""
    if not notes:
        return
    Notification.objects.bulk_create(notes)
    if _held.get():
        return
    mails = [(n.user_id, n.message, n.url) for n in notes]
    transaction.on_commit(lambda: _mail(mails, reason=reason, reason_label=reason_label))
    # The unit's or department's 企业微信 / 钉钉 group robots: one text per event, no reason.
    robot_items = [(n.user_id, n.message, site_link(n.url)) for n in notes]
    transaction.on_commit(lambda: robots_notify(robot_items, reason=reason))


def site_link(path: str) -> str:
    """An absolute link for a mail, which has no request to take the host from."""
    base = settings.UNIONPLAN_SITE_URL.rstrip("/")
    return f"{base}{path or reverse('reporting:notifications')}"


def _body(message: str, url: str, reason: str, reason_label: str) -> str:
    lines = [message, ""]
    if reason:
        lines += [f"{reason_label}：{reason}", ""]
    lines += [f"查看详情：{site_link(url)}", "", FOOTER]
    return "\n".join(lines)


def _mail(mails: list[tuple[int, str, str]], *, reason: str, reason_label: str) -> None:
    addresses = dict(
        User.objects.filter(pk__in={user_id for user_id, _, _ in mails}, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    # One message per person: recipients never see each other's addresses.
    messages = [
        EmailMessage(
            # A reason typed over several lines must not break the header.
            subject=SUBJECT.format(message=" ".join(message.split())[:SUBJECT_LENGTH]),
            body=_body(message, url, reason, reason_label),
            to=[addresses[user_id]],
        )
        for user_id, message, url in mails
        if user_id in addresses
    ]
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    # Any failure of the mail server or its connection (refused, timeout, bad login): the step
    # has committed and its notification is in the bell, so the user's action still succeeds.
    except Exception:
        log.exception("通知邮件发送失败（%d 封），站内通知已保存。", len(messages))
