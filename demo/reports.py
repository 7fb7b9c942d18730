"""Fictional reports for the demo: every state of the flow, spread over the months before the
demo date, so a newcomer sees the flow and the dashboards at once. Deterministic (seeded).

Reports go through the workflow's services (save, submit, confirm, approve or return), each
step on a past day, so they are stamped, judged late, made official and notified as the
application would; the audit log keeps the real time of seeding.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from demo.days import on_day
from orgs.models import Unit, User
from plans.models import Allocation, Plan
from reporting.models import CityFigure, Obligation, Report
from reporting.selectors import city_counted_indicators
from reporting.services.city_figures import city_figure_rows_create, city_figure_rows_withdraw
from reporting.services.notifications import deliveries_held
from reporting.services.reports import (
    ValueInput,
    report_approve,
    report_confirm,
    report_for,
    report_return,
    report_save,
    report_submit,
)

Status = Report.Status
RETURN_REASONS = [
    "佐证材料不全，请补充活动照片。",
    "累计数与上月差异较大，请核实后重报。",
    "请按分解表口径填报，不含非本单位数据。",
]
# A one-page PDF, enough to be a real file behind a demo evidence link.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_reports_create(*, plan: Plan, today: dt.date, seed: int = 2022) -> dict[str, int]:
    """Each report reaches its state the way a unit and a department would take it there,
    through the workflow's services, each step on its own past day (`on_day`)."""
    if Report.objects.filter(obligation__plan=plan).exists():
        return {}  # already seeded: never overwrite what someone has entered
    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets # nosec B311
    reporters = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT_REPORTER)}
    heads = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT_HEAD)}
    reviewers = {u.department_id: u for u in User.objects.filter(role=User.Role.DEPARTMENT_STAFF)}
    shares = {
        (a.unit_id, a.indicator_id): a.value
        for a in Allocation.objects.filter(indicator__plan=plan, unit__isnull=False)
    }
    pace = {}
    counts: dict[str, int] = {}
    obligations = (
        Obligation.objects.filter(plan=plan, due_date__lte=today + dt.timedelta(days=20))
        .exclude(kind=Obligation.Kind.FORM)  # met by form rows (demo/records.py), not reports
        .select_related("unit", "programme")
        .prefetch_related("indicators")
        .order_by("due_date", "pk")
    )
    year_start, year_end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    for o in obligations:
        reporter, head = reporters.get(o.unit_id), heads.get(o.unit_id)
        if reporter is None or head is None:
            continue
        unit_pace = pace.setdefault(o.unit_id, rng.uniform(0.55, 1.35))
        days_to_due = (o.due_date - today).days
        roll = rng.random()
        if days_to_due > 0:
            status = Status.DRAFT if roll < 0.5 else None
        elif days_to_due > -12:
            status = [Status.SUBMITTED, Status.CONFIRMED, Status.DRAFT, None][min(int(roll * 4), 3)]
        elif roll < 0.06:
            status = None  # never reported: overdue
        elif roll < 0.10:
            status = Status.RETURNED
        elif roll < 0.16:
            status = Status.CONFIRMED
        else:
            status = Status.APPROVED
        if status is None:
            continue
        late = status in (Status.CONFIRMED, Status.APPROVED) and rng.random() < 0.12
        confirmed_on = o.due_date + dt.timedelta(
            days=rng.randint(1, 9) if late else -rng.randint(0, 4)
        )
        confirmed_on = min(confirmed_on, today)
        reason = rng.choice(RETURN_REASONS) if status == Status.RETURNED else ""
        reviewer = reviewers.get(o.reviewer_department_id)
        if status in (Status.APPROVED, Status.RETURNED) and reviewer is None:
            status = Status.CONFIRMED  # no one to review it
        values, files = [], []
        if o.kind == Obligation.Kind.PROGRESS:
            elapsed = (o.period_end - year_start).days / (year_end - year_start).days
            for indicator in o.indicators.all():
                share = shares.get((o.unit_id, indicator.pk)) or indicator.per_unit_min or 0
                amount = Decimal(share) * Decimal(str(min(unit_pace * elapsed * 1.1, 1.3)))
                values.append(ValueInput(indicator.pk, f"{amount.quantize(Decimal(1)):f}"))
        else:
            files = [SimpleUploadedFile(f"{o.title[:60]}.pdf", DEMO_PDF, "application/pdf")]
        report = report_for(obligation=o)
        with on_day(today if status == Status.DRAFT else confirmed_on):
            report = report_save(
                report=report,
                actor=reporter,
                version=report.version,
                values=values,
                note=None,
                files=files,
            )
            if status != Status.DRAFT:
                report = report_submit(report=report, actor=reporter, version=report.version)
            if status not in (Status.DRAFT, Status.SUBMITTED):
                report = report_confirm(report=report, actor=head, version=report.version)
        with on_day(min(confirmed_on + dt.timedelta(days=2), today)):
            if status == Status.APPROVED:
                report_approve(report=report, reviewer=reviewer, version=report.version)
            elif status == Status.RETURNED:
                report_return(
                    report=report, reviewer=reviewer, version=report.version, reason=reason
                )
        counts[status] = counts.get(status, 0) + 1
    return counts


SOURCE_NOTES = {
    "元": "据{department}资金到账台账统计",
    "比例": "据{department}案件统计表测算",
}
DEFAULT_NOTE = "据{department}工作台账统计"


@deliveries_held()  # a made-up history mails no one
@transaction.atomic
def demo_city_figures_create(*, plan: Plan, today: dt.date, seed: int = 2022) -> int:
    """Figures the federation counts itself (市总统计), entered by the responsible department a
    few days after each month-end before `today`, with past entry times like the demo reports.
    One May figure is corrected in June, so a history shows a withdrawn entry."""
    if CityFigure.objects.filter(indicator__plan=plan).exists():
        return 0  # already seeded: never overwrite what someone has entered
    federation = plan.issuer
    if federation.kind != Unit.Kind.FEDERATION:
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets # nosec B311
    staff = {u.department_id: u for u in User.objects.filter(role=User.Role.DEPARTMENT_STAFF)}
    start = plan.progress_from or plan.issued_on
    created = 0
    for indicator in city_counted_indicators(plan=plan).prefetch_related("programme__departments"):
        departments = [d for d in indicator.programme.departments.all() if d.pk in staff]
        target = indicator.target_value
        if not departments or not target:
            continue
        clerk = staff[departments[0].pk]
        end = indicator.due_date or dt.date(plan.year, 12, 31)
        pace = rng.uniform(0.7, 1.25)
        for month in range(start.month, 13):
            period_end = dt.date(plan.year, month, calendar.monthrange(plan.year, month)[1])
            entered_on = period_end + dt.timedelta(days=rng.randint(3, 8))
            if period_end < start or entered_on > today:
                break
            if indicator.measure == "比例":  # a share, not a running total
                value = target * Decimal(str(rng.uniform(0.82, 0.97)))
            else:
                elapsed = min((period_end - start).days / max((end - start).days, 1), 1.0)
                value = target * Decimal(str(min(pace * elapsed, 1.2)))
            value = _demo_round(value, indicator.measure)
            note = SOURCE_NOTES.get(indicator.measure, DEFAULT_NOTE).format(
                department=departments[0].name
            )
            figure = _demo_city_figure(
                indicator, clerk, period_end, value, note, _at(entered_on, 16)
            )
            created += 1
            if indicator.code == "P06-households" and month == 5:
                corrected_at = _at(entered_on + dt.timedelta(days=10), 9)
                city_figure_rows_withdraw(figure=figure, actor=clerk, at=corrected_at)
                _demo_city_figure(
                    indicator,
                    clerk,
                    period_end,
                    value + 150,
                    "更正：补录汝州市、郏县慰问户数",
                    corrected_at,
                    version=2,
                )
                created += 1
    return created


def _demo_round(value: Decimal, measure: str) -> Decimal:
    if measure == "比例":
        return value.quantize(Decimal("0.01"))
    if measure == "元":
        return (value / 100).quantize(Decimal(1)) * 100
    return value.quantize(Decimal(1))


def _demo_city_figure(
    indicator, clerk, period_end, value, note, at, *, version: int = 1
) -> CityFigure:
    figure = city_figure_rows_create(
        indicator=indicator,
        period_end=period_end,
        value=value,
        note=note,
        version=version,
        actor=clerk,
        at=at,
    )
    audit_record(
        actor=None,
        username="seed_demo",
        event="reporting.city_figure.demo_seeded",
        target=figure,
        after={"value": f"{value:f}", "period_end": period_end.isoformat()},
    )
    return figure
