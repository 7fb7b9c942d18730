from django.utils.functional import SimpleLazyObject

from plans import selectors
from plans.levels import NEUTRAL, plan_level


def current_plan(request):
    """The plan the menu links to on pages that show none of their own (待审核, 通知, a report):
    the one a user lands on after login, so a role sees the same menu on every page; and
    `level`, the words for its issuer (全市, 市总: plans.levels). base.html puts the page's own
    plan's words in `level` when the page has a plan.

    Lazy: pages that pass their own `plan`, and the administrators' menus, never ask for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_administrator:
        return {"current_plan": None, "level": NEUTRAL}  # base.html reads them on every page
    plan = SimpleLazyObject(lambda: selectors.plan_latest(actor=user))
    return {"current_plan": plan, "level": SimpleLazyObject(lambda: plan_level(plan))}
