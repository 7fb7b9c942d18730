"""Figures the federation counts itself (市总统计), entered by the responsible department.

Each figure is written as an `OfficialValue` of the federation's own unit, valid from its entry
on, so the dashboards read it exactly like an approved report. A correction withdraws the old
figure and writes a new one; removing a figure withdraws it. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from evidence import services as evidence_services
from evidence.models import Evidence
from orgs.access import can_review_programme
from orgs.models import User
from plans.levels import FEDERATION_KINDS, plan_level
from plans.models import Indicator
from plans.selectors import format_number
from reporting.models import CityFigure, OfficialValue
from reporting.services.official import Figure, official_record, official_withdraw
from reporting.services.reports import parse_value, unexplained_fall

CENTS = Decimal("0.01")
NOT_RESPONSIBLE = "只有该专案责任部门的工作人员可以录入市总统计数。"
REPORTED_BY_UNITS = "该指标由各单位报送，不能录入市总统计数。"
NO_FEDERATION = "方案的印发单位不是总工会，无法录入本级统计数。"
OUTSIDE_YEAR = "数据截至日期应在 {year} 年内。"
IN_FUTURE = "数据截至日期不能晚于今天。"
NOTE_REQUIRED = "请填写来源说明。"
VALUE_REQUIRED = "请填写累计完成数。"
ALREADY_ENTERED = "{date} 已有市总统计数 {value}，如需修改请在该指标的记录中点「更正」。"
STALE = "该数据已被他人修改（可能在另一窗口或由其他人操作），请刷新页面后再提交。"
ALREADY_WITHDRAWN = "该数据已撤销。"
EXPLANATION_TOO_LONG = "说明不超过 200 字。"


class EntryRefused(ServiceError):
    """A figure refused for one of its inputs: `field` names it (period_end, value, note,
    explanation, evidence), so the page can show the reason beside it."""

    def __init__(self, message: str, *, field: str):
        self.field = field
        super().__init__(message)


# The figure's one optional file (佐证材料) is an Evidence row it owns; its entry's audit
# entry names the file, so evidence.services writes no entry of its own for it.
def city_figure_file(figure: CityFigure) -> Evidence | None:
    return figure.evidence.first()


def city_counted(indicator: Indicator) -> bool:
    """True when no unit reports the indicator and no naming counts it (a campaign's indicator,
    campaigns.models.Campaign): the federation counts it itself."""
    units_report = (
        Q(obligations__isnull=False) | Q(record_source__isnull=False) | Q(campaigns__isnull=False)
    )
    return not Indicator.objects.filter(units_report, pk=indicator.pk).exists()


def _check_may_enter(indicator: Indicator, actor: User) -> None:
    indicator.plan.require_open()
    departments = set(indicator.programme.departments.values_list("pk", flat=True))
    if not can_review_programme(actor, departments):
        raise ServiceError(plan_level(indicator.plan).words(NOT_RESPONSIBLE))


def _snapshot(figure: CityFigure | None) -> dict | None:
    if figure is None:
        return None
    file = city_figure_file(figure)
    return {
        "indicator": figure.indicator.code,
        "period_end": figure.period_end.isoformat(),
        "value": f"{figure.value:f}",
        "note": figure.note,
        **({"explanation": figure.explanation} if figure.explanation else {}),
        "version": figure.version,
        **({"evidence": file.original_name, "sha256": file.sha256} if file else {}),
    }


@transaction.atomic
def city_figure_enter(
    *,
    indicator: Indicator,
    actor: User,
    period_end: dt.date,
    raw_value: str,
    note: str,
    version: int = 0,
    evidence=None,
    explanation: str = "",
) -> CityFigure:
    """Record the indicator's cumulative figure as at `period_end`, with an optional evidence
    file checked by its content.

    `version` is the entry the user corrects (0 for a date without a figure); a figure entered
    or corrected by someone else since refuses the save. A figure below the latest one of an
    earlier date needs `explanation`, as a unit's figure below its last approved one does.
    """
    indicator = Indicator.objects.select_related("programme", "plan__issuer").get(pk=indicator.pk)
    _check_may_enter(indicator, actor)
    plan = indicator.plan
    level = plan_level(plan)  # 市总统计 in a city's plan, 省总统计 in a province's
    if not city_counted(indicator):
        raise ServiceError(level.words(REPORTED_BY_UNITS))
    if plan.issuer.kind not in FEDERATION_KINDS:
        raise ServiceError(NO_FEDERATION)
    if period_end.year != plan.year:
        raise EntryRefused(OUTSIDE_YEAR.format(year=plan.year), field="period_end")
    if period_end > clock.today():
        raise EntryRefused(IN_FUTURE, field="period_end")
    try:
        value = parse_value(raw_value, measure=indicator.measure, name=indicator.name)
    except ServiceError as exc:
        raise EntryRefused(exc.message, field="value") from None
    if value is None:
        raise EntryRefused(VALUE_REQUIRED, field="value")
    value = value.quantize(CENTS)  # as stored, so the audit entry reads like the row
    note = note.strip()
    if not note:
        raise EntryRefused(NOTE_REQUIRED, field="note")
    explanation = explanation.strip()
    if len(explanation) > CityFigure._meta.get_field("explanation").max_length:
        raise EntryRefused(EXPLANATION_TOO_LONG, field="explanation")
    entries = CityFigure.objects.select_for_update().filter(
        indicator=indicator, period_end=period_end
    )
    latest = entries.order_by("-version").first()
    current = latest if latest is not None and latest.withdrawn_at is None else None
    if version == 0 and current is not None:
        raise EntryRefused(
            level.words(ALREADY_ENTERED).format(
                date=period_end.isoformat(), value=format_number(current.value)
            ),
            field="period_end",
        )
    if version != 0 and (current is None or current.version != version):
        raise ServiceError(STALE)
    earlier = (
        CityFigure.objects.filter(
            indicator=indicator, period_end__lt=period_end, withdrawn_at__isnull=True
        )
        .order_by("-period_end")
        .first()
    )
    if earlier is not None:
        refusal = unexplained_fall(
            name=indicator.name,
            value=value,
            last=earlier.value,
            explanation=explanation,
            previous=f"截至 {earlier.period_end.isoformat()} 的{level.federation}统计数",
        )
        if refusal:
            raise EntryRefused(refusal, field="value")
    entry = (value, note, explanation)
    stored: list[Evidence] = []
    try:
        return _enter(indicator, actor, period_end, entry, latest, current, evidence, stored)
    except Exception:
        # A failure after the file was stored rolls its row back with the figure's.
        for file in stored:
            evidence_services.evidence_path(file).unlink(missing_ok=True)
        raise


def _enter(indicator, actor, period_end, entry, latest, current, evidence, stored):
    value, note, explanation = entry
    now = clock.now()
    if current is not None:
        city_figure_rows_withdraw(figure=current, actor=actor, at=now)
    figure = city_figure_rows_create(
        indicator=indicator,
        period_end=period_end,
        value=value,
        note=note,
        explanation=explanation,
        version=(latest.version if latest else 0) + 1,
        actor=actor,
        at=now,
    )
    if evidence is not None:
        # Checked by its content (a refusal rolls the figure back with the same message).
        try:
            stored += evidence_services.evidence_add(
                owner=figure, actor=actor, files=[evidence], event_prefix=None
            )
        except ServiceError as exc:
            raise EntryRefused(exc.message, field="evidence") from exc
    audit_record(
        actor=actor,
        event="reporting.city_figure.corrected" if current else "reporting.city_figure.entered",
        target=figure,
        before=_snapshot(current),
        after=_snapshot(figure),
    )
    return figure


def city_figure_rows_create(
    *,
    indicator: Indicator,
    period_end: dt.date,
    value: Decimal,
    note: str,
    version: int,
    actor: User,
    at: dt.datetime,
    explanation: str = "",
) -> CityFigure:
    """The two rows a figure is: an official value of the plan's issuer, valid from `at`, and
    the entry that holds it. No checks and no audit entry: `city_figure_enter` makes both,
    and the demo (`demo.reports`, entries at past times) audits its own."""
    [official] = official_record(
        [
            Figure(
                unit_id=indicator.plan.issuer_id,
                indicator_id=indicator.pk,
                period_end=period_end,
                value=value,
                approved_at=at,
            )
        ]
    )
    return CityFigure.objects.create(
        indicator=indicator,
        period_end=period_end,
        version=version,
        value=value,
        note=note,
        explanation=explanation,
        official=official,
        entered_by=actor,
        entered_at=at,
    )


def city_figure_rows_withdraw(*, figure: CityFigure, actor: User, at: dt.datetime) -> None:
    """The entry and its official value stop counting from `at`; both rows are kept."""
    figure.withdrawn_at, figure.withdrawn_by = at, actor
    figure.save(update_fields=["withdrawn_at", "withdrawn_by"])
    official_withdraw(OfficialValue.objects.filter(pk=figure.official_id), at=at)


@transaction.atomic
def city_figure_withdraw(*, figure: CityFigure, actor: User, version: int) -> CityFigure:
    """Remove a figure from the dashboards from now on; it stays in the record."""
    figure = (
        CityFigure.objects.select_for_update()
        .select_related("indicator__programme")
        .get(pk=figure.pk)
    )
    _check_may_enter(figure.indicator, actor)
    if figure.withdrawn_at is not None:
        raise ServiceError(ALREADY_WITHDRAWN)
    if figure.version != version:
        raise ServiceError(STALE)
    before = _snapshot(figure)
    city_figure_rows_withdraw(figure=figure, actor=actor, at=clock.now())
    audit_record(
        actor=actor,
        event="reporting.city_figure.withdrawn",
        target=figure,
        before=before,
        after=None,
    )
    return figure
