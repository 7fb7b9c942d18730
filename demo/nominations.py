"""The demo's 推荐: in the first campaign over a form still taking nominations (the plan file's
campaigns, e.g. 市级示范爱心母婴室), 汝州市's reporter has nominated one of its approved rows
up to standard and submitted it (waiting for `ruzhou-head`), and 郏县's head has recommended
one (waiting for the eligibility check). Through the services, as the users would."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from campaigns.models import Campaign, Nomination
from campaigns.services import nominations as services
from campaigns.steps import window_closed
from common.errors import ServiceError
from demo.reports import DEMO_PDF
from orgs.models import User
from plans.models import Plan
from records.models import Record
from reporting.services.notifications import deliveries_held

UNITS = {"ruzhou": False, "jiaxian": True}  # unit code → its head has recommended it


def _material_files(campaign: Campaign, nomination: Nomination, reporter: User) -> None:
    for material in services.required_materials(campaign):
        label = material.get("label") or material["code"]
        services.nomination_files_add(
            nomination=nomination,
            actor=reporter,
            material=material["code"],
            files=[SimpleUploadedFile(f"{label}.pdf", DEMO_PDF, "application/pdf")],
        )


def _rows(campaign: Campaign) -> dict[str, Record]:
    """The first approved row up to standard of 汝州市 and of 郏县 in the campaign's form."""
    found: dict[str, Record] = {}
    for row in (
        Record.objects.filter(
            form_id=campaign.form_id,
            unit__code__in=UNITS,
            status=Record.Status.APPROVED,
            is_compliant=True,
        )
        .order_by("pk")
        .select_related("unit")
    ):
        found.setdefault(row.unit.code, row)
    return found


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_nominations_create(*, plan: Plan, today: dt.date) -> int:
    """Returns how many nominations were made (0 when the demo has them already, or the plan
    has no campaign over a form still open)."""
    if Nomination.objects.filter(campaign__plan=plan).exists():
        return 0
    campaign, rows = None, {}
    for candidate in Campaign.objects.filter(plan=plan, form__isnull=False).order_by("pk"):
        if window_closed(candidate, today):
            continue
        rows = _rows(candidate)
        if rows:
            campaign = candidate
            break
    if campaign is None:
        return 0
    made = 0
    for code, recommend in UNITS.items():
        reporter = User.objects.filter(unit__code=code, role=User.Role.UNIT_REPORTER).first()
        head = User.objects.filter(unit__code=code, role=User.Role.UNIT_HEAD).first()
        row = rows.get(code)
        if reporter is None or head is None or row is None:
            continue
        try:
            with transaction.atomic():  # a unit the campaign refuses is left out
                nomination = services.nomination_create(
                    campaign=campaign,
                    actor=reporter,
                    name=str(row.data.get("name") or row.pk),
                    description="设施齐全、管理规范，职工使用率和满意度高。",
                    record=row,
                )
                _material_files(campaign, nomination, reporter)
                services.nomination_step(nomination=nomination, action="submit", actor=reporter)
                if recommend:
                    services.nomination_step(nomination=nomination, action="confirm", actor=head)
        except ServiceError:
            continue
        made += 1
    return made
