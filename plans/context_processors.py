from django.utils.functional import SimpleLazyObject

from plans import selectors


def current_plan(request):
    """The plan the menu links to on pages that show none of their own (待审核, 通知, a report):
    the one a user lands on after login, so a role sees the same menu on every page.

    Lazy: pages that pass their own `plan`, and the administrators' menus, never ask for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_administrator:
        return {"current_plan": None}  # base.html reads it on every page
    return {"current_plan": SimpleLazyObject(lambda: selectors.plan_latest(actor=user))}
