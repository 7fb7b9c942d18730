"""A report's files, kept by the evidence app.

This module decides whether the report's files may change now (a draft or a returned report);
`evidence.services` checks, stores and audits the files.
"""

from __future__ import annotations

from django.db import transaction

from common.errors import ServiceError
from evidence import services as evidence_services
from evidence.models import Evidence
from orgs.models import User
from reporting import workflow
from reporting.models import Report

NOT_EDITABLE = "只有草稿或已退回的填报可以增删佐证材料。"


def _lock_editable(report_pk: int) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("obligation__plan")
        .get(pk=report_pk)
    )
    report.obligation.plan.require_open()
    if report.status not in workflow.EDITABLE:
        raise ServiceError(NOT_EDITABLE)
    return report


@transaction.atomic
def evidence_add(*, report: Report, actor: User, files: list) -> list[Evidence]:
    """All files or none: every file is checked before any is stored."""
    report = _lock_editable(report.pk)
    return evidence_services.evidence_add(
        owner=report, actor=actor, files=files, event_prefix="reporting.evidence"
    )


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User) -> None:
    report = _lock_editable(evidence.owner_id)
    evidence_services.evidence_remove(
        evidence=evidence, owner=report, actor=actor, event_prefix="reporting.evidence"
    )
