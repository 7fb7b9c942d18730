"""Reads of 补报申请 (LateSubmissionRequest), each a fixed number of queries.

Who sees which request is the obligation's scope (orgs.access.obligation_scope): a unit's users
their own unit's, department staff those of the programmes their department reviews, leaders
their federation's plans'. Another unit's or department's request answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from orgs.access import obligation_scope
from orgs.models import User
from reporting import workflow
from reporting.models import LateSubmissionRequest, Obligation

Status = workflow.Status


def _visible(actor: User) -> QuerySet[LateSubmissionRequest]:
    return LateSubmissionRequest.objects.filter(
        obligation__in=Obligation.objects.filter(obligation_scope(actor)).values("pk")
    )


def late_request_list(*, actor: User) -> list[LateSubmissionRequest]:
    """The requests `actor` may see, pending first, newest first: one query."""
    return list(
        _visible(actor)
        .select_related("obligation__unit", "obligation__programme", "requested_by")
        .annotate(
            pending=Case(
                When(status=Status.CONFIRMED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending", "-created_at", "-id")
    )


def late_request_get(*, actor: User, pk: int) -> LateSubmissionRequest:
    """One request `actor` may see (else 404), with its files and its obligation's report."""
    return get_object_or_404(
        _visible(actor)
        .select_related(
            "obligation__unit",
            "obligation__plan__issuer",
            "obligation__programme",
            "obligation__report",
            "requested_by",
            "reviewed_by",
        )
        .prefetch_related("evidence", "obligation__programme__departments"),
        pk=pk,
    )


def late_requests_of(*, obligation: Obligation) -> list[LateSubmissionRequest]:
    """The obligation's requests, newest first: one query."""
    return list(
        LateSubmissionRequest.objects.filter(obligation=obligation).order_by("-created_at", "-id")
    )


def late_requests_approved(
    *, plan_id: int, since: dt.datetime | None, until: dt.datetime
) -> list[LateSubmissionRequest]:
    """Requests of the plan approved in (`since`, `until`) and still approved: the bulletin's
    list of 补报 counted in its period. One query."""
    approved = LateSubmissionRequest.objects.filter(
        obligation__plan_id=plan_id, status=Status.APPROVED, reviewed_at__lt=until
    )
    if since is not None:
        approved = approved.filter(reviewed_at__gt=since)
    return list(
        approved.select_related("obligation__unit").order_by(
            "obligation__unit__order", "reviewed_at"
        )
    )


def late_obligation_get(*, actor: User, pk: int) -> Obligation:
    """An obligation (a report's or a form's) `actor` may see, for its 补报申请 page (else 404),
    with its requests."""
    return get_object_or_404(
        Obligation.objects.filter(obligation_scope(actor))
        .select_related("unit", "plan__issuer", "programme", "report")
        .prefetch_related(
            "programme__departments",
            Prefetch("late_requests", queryset=LateSubmissionRequest.objects.order_by("-id")),
        ),
        pk=pk,
    )
