"""Publishing a plan that was being prepared: it runs from now, and every unit owes its steps."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from common.errors import ServiceError
from orgs.models import User
from plans.lifecycle import plan_status_set
from plans.models import Plan
from reporting.models import Notification, Obligation
from reporting.services.notifications import notifications_send
from reporting.services.obligations import ObligationResult, obligations_generate

NOT_A_DRAFT = "只有草稿状态的方案可以发布（「{title}」{status}）。"


@transaction.atomic
def plan_publish(*, plan: Plan, actor) -> ObligationResult:
    """Draft → published (audited by the plan's life) and the obligations made in the same
    transaction, so units never see a running plan that owes them nothing."""
    if plan.status != Plan.Status.DRAFT:
        raise ServiceError(NOT_A_DRAFT.format(title=plan.title, status=plan.get_status_display()))
    plan = plan_status_set(plan=plan, status=Plan.Status.PUBLISHED, actor=actor)
    result = obligations_generate(plan=plan)
    _tell_units(plan)
    return result


def _tell_units(plan: Plan) -> None:
    """Each unit user of a unit that now owes something hears of it (bell and mail)."""
    owed = dict(
        Obligation.objects.filter(plan=plan)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    users = User.objects.filter(
        unit_id__in=owed, is_active=True, role__in=[User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD]
    )
    url = reverse("plans:overview", kwargs={"slug": plan.slug})
    notifications_send(
        [
            Notification(
                user=user,
                message=f"新方案「{plan.title}」已发布，本单位有 {owed[user.unit_id]} 项报送任务。"[
                    :300
                ],
                url=url,
            )
            for user in users
        ]
    )
