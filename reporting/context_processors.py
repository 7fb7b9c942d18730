from common import clock
from reporting.selectors import unread_notifications


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": unread_notifications(user=user),
        "business_date": clock.today() if clock.is_fixed() else None,
    }
