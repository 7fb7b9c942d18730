from django.db import transaction
from django.utils import timezone

from orgs.models import User
from reporting.models import Notification


@transaction.atomic
def notifications_mark_read(*, user: User, pk: int | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
