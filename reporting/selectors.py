"""Reads for reporting, each with a fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from audit.models import AuditEntry
from orgs.access import obligation_scope, plan_scope
from orgs.models import Unit, User
from plans.models import Allocation, Indicator, Plan, Programme
from reporting import warning_levels, workflow
from reporting.as_of import valid_on
from reporting.models import (
    CityFigure,
    Notification,
    Obligation,
    OfficialValue,
    ProgressValue,
    Report,
)

Status = Report.Status
DONE = (Status.APPROVED,)
AT_FEDERATION = (Status.CONFIRMED,)
WITH_UNIT = tuple(sorted(workflow.WITH_UNIT))


def obligations_visible_to(user: User) -> QuerySet[Obligation]:
    return Obligation.objects.filter(obligation_scope(user))


def obligation_get(*, actor: User, pk: int) -> Obligation:
    """One obligation the actor may see (another unit's → 404), with everything its page shows.
    A form's obligation has no report page (its rows are on the form's page): 404."""
    queryset = (
        obligations_visible_to(actor)
        .exclude(kind=Obligation.Kind.FORM)
        .select_related(
            "unit",
            "programme",
            "plan__issuer",  # the page speaks in the issuer's words (plans.levels)
            "milestone",
            "reviewer_department",
            "report",
        )
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order")),
            "programme__departments",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def report_status(obligation: Obligation) -> str:
    report = getattr(obligation, "report", None)
    return report.status if report else ""


@dataclass
class TodoItem:
    obligation: Obligation
    status: str
    overdue: bool
    days_left: int
    level: str = ""  # 黄牌 / 红牌 (reporting.warning_levels): yellow, red or ""


@dataclass
class Todo:
    items: list[TodoItem]
    counts: dict[str, int] = field(default_factory=dict)


def todo_for(*, user: User, today: dt.date, horizon_days: int = 30) -> Todo:
    """A unit user's list: returned, overdue and due within `horizon_days`, most urgent first.
    A form's obligation (rows due by a date) is listed until met, like a report never saved."""
    obligations = (
        Obligation.objects.filter(unit_id=user.unit_id, met_at__isnull=True)
        .select_related("programme", "report", "plan")
        .filter(Q(report__isnull=True) | ~Q(report__status=Status.APPROVED))
        .order_by("due_date", "programme__number")
    )
    items = []
    calendar = warning_levels.calendar_around(today)

    def level(o: Obligation) -> str:
        return warning_levels.obligation_level(o, today=today, calendar=calendar)

    for o in obligations:
        status = report_status(o)
        waiting_for_us = status in ("", Status.DRAFT, Status.RETURNED) or (
            status == Status.SUBMITTED and user.role == User.Role.UNIT_HEAD
        )
        overdue = o.due_date < today and status in ("", *WITH_UNIT)
        days_left = (o.due_date - today).days
        if status == Status.RETURNED or (waiting_for_us and (overdue or days_left <= horizon_days)):
            items.append(TodoItem(o, status, overdue, days_left, level(o)))
        elif status in (Status.SUBMITTED, Status.CONFIRMED) and days_left >= -horizon_days:
            # The unit's card stays until its head sends the report on.
            items.append(TodoItem(o, status, False, days_left, level(o)))
    items.sort(key=lambda i: (i.status != Status.RETURNED, not i.overdue, i.obligation.due_date))
    counts = {
        "returned": sum(1 for i in items if i.status == Status.RETURNED),
        "overdue": sum(1 for i in items if i.overdue),
        "due_soon": sum(
            1
            for i in items
            if not i.overdue and 0 <= i.days_left <= 7 and i.status in ("", Status.DRAFT)
        ),
        "waiting": sum(1 for i in items if i.status in (Status.SUBMITTED, Status.CONFIRMED)),
        "yellow": sum(1 for i in items if i.level == warning_levels.YELLOW),
        "red": sum(1 for i in items if i.level == warning_levels.RED),
    }
    return Todo(items=items, counts=counts)


def last_official_values(*, obligation: Obligation) -> dict[int, Decimal]:
    """The unit's latest approved cumulative value per indicator before this period."""
    values = (
        ProgressValue.objects.filter(
            report__obligation__unit_id=obligation.unit_id,
            report__obligation__programme_id=obligation.programme_id,
            report__obligation__kind=Obligation.Kind.PROGRESS,
            report__obligation__period_end__lt=obligation.period_end,
            report__status=Status.APPROVED,
            value__isnull=False,
        )
        .order_by("indicator_id", "report__obligation__period_end")
        .values_list("indicator_id", "value")
    )
    return dict(values)  # later periods overwrite earlier ones


def unit_allocations(*, obligation: Obligation) -> dict[int, Decimal]:
    return dict(
        Allocation.objects.filter(
            unit_id=obligation.unit_id, indicator__programme_id=obligation.programme_id
        ).values_list("indicator_id", "value")
    )


@dataclass
class DerivedFigure:
    """What the reporting unit's own plan has approved of an indicator it reports upward."""

    value: Decimal
    plan: Plan
    # Each unit of that plan with a share in it or a figure, and its latest approved figure
    # (None: nothing approved yet), in the plan's order: where the total comes from.
    parts: list[tuple[str, Decimal | None]] = field(default_factory=list)

    @property
    def units(self) -> int:
        """How many of them have an approved figure."""
        return sum(1 for _, v in self.parts if v is not None)

    @property
    def missing(self) -> list[str]:
        return [name for name, v in self.parts if v is None]


def derived_figures(*, obligation: Obligation) -> dict[int, DerivedFigure]:
    """Indicator id → the unit's own plan's approved total of it, for a unit that is itself a
    federation carrying out this plan (plans.cascade): its units' latest approved cumulative
    figures up to the period's end, and its own (市总统计), summed over the indicators of
    its plan that serve this one. Three queries, whatever the number of units."""
    serving = list(
        Indicator.objects.filter(
            serves__in=obligation.indicators.all(),
            plan__parent_id=obligation.plan_id,
            plan__issuer_id=obligation.unit_id,
        ).select_related("plan")
    )
    if not serving:
        return {}
    names: dict[tuple[int, int], tuple[tuple[int, int], str]] = {}
    for indicator_id, unit_id, order, name in Allocation.objects.filter(
        indicator__in=serving, unit__isnull=False
    ).values_list("indicator_id", "unit_id", "unit__order", "unit__short_name"):
        names[indicator_id, unit_id] = ((order, unit_id), name)
    latest: dict[tuple[int, int], Decimal] = {}
    for unit_id, indicator_id, value, order, name in (
        OfficialValue.objects.filter(
            indicator__in=serving,
            counts=True,
            withdrawn_at__isnull=True,
            period_end__lte=obligation.period_end,
        )
        .order_by("period_end", "approved_at")
        .values_list("unit_id", "indicator_id", "value", "unit__order", "unit__short_name")
    ):
        latest[indicator_id, unit_id] = value  # later periods overwrite earlier ones
        names.setdefault((indicator_id, unit_id), ((order, unit_id), name))
    result: dict[int, DerivedFigure] = {}
    for child in serving:
        parts = [
            (name, latest.get((child.pk, unit_id)))
            for (indicator_id, unit_id), (_, name) in sorted(names.items(), key=lambda n: n[1][0])
            if indicator_id == child.pk
        ]
        total = sum((v for _, v in parts if v is not None), Decimal(0))
        found = result.get(child.serves_id)
        if found is None:
            result[child.serves_id] = DerivedFigure(value=total, plan=child.plan, parts=parts)
        else:  # two indicators of its plan serve this one
            found.value += total
            found.parts += parts
    return result


@dataclass
class ValueRow:
    indicator: Indicator
    value: ProgressValue | None
    allocation: Decimal | None
    previous: Decimal | None
    from_derived: DerivedFigure | None = None


def report_rows(*, obligation: Obligation, report: Report | None) -> list[ValueRow]:
    values = {v.indicator_id: v for v in report.values.all()} if report else {}
    allocations = unit_allocations(obligation=obligation)
    previous = last_official_values(obligation=obligation)
    children = derived_figures(obligation=obligation)
    return [
        ValueRow(i, values.get(i.pk), allocations.get(i.pk), previous.get(i.pk), children.get(i.pk))
        for i in obligation.indicators.all()
    ]


def report_history(*, report: Report | None) -> list[AuditEntry]:
    if report is None:
        return []
    return list(
        AuditEntry.objects.filter(
            object_type="reporting.report", object_id=str(report.pk)
        ).order_by("at", "id")
    )


def review_queue(*, user: User) -> QuerySet[Report]:
    """Reports waiting for the actor's department, oldest deadline first."""
    return (
        Report.objects.filter(status=Status.CONFIRMED)
        .filter(obligation_scope(user, prefix="obligation__"))
        .select_related("obligation__unit", "obligation__programme")
        .order_by("obligation__due_date", "obligation__unit__order")
    )


# -- 催报: who has reported what ------------------------------------------------------------


@dataclass
class ChaseRow:
    title: str
    programme: Programme
    due_date: dt.date
    late_policy: str
    kind: str
    period_end: dt.date
    units: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    # Unit id → its 黄牌 / 红牌 for this item (reporting.warning_levels); none: not listed.
    levels: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.units.values())

    @property
    def cells(self) -> list[tuple[str, list[Unit]]]:
        return [(key, self.units.get(key, [])) for key, _ in CHASE_COLUMNS]

    @property
    def card_cells(self) -> list[tuple[str, list[tuple[Unit, str]]]]:
        """`cells` with each unit's card beside it."""
        return [(key, [(u, self.levels.get(u.pk, "")) for u in units]) for key, units in self.cells]


@dataclass
class UnitCards:
    """A unit's 黄牌 and 红牌 counted over the items listed."""

    unit: Unit
    yellow: int = 0
    red: int = 0


def chase_cards(rows: list[ChaseRow]) -> list[UnitCards]:
    """Per unit with a card, its 黄牌 and 红牌 over `rows`, most red first (no query)."""
    by_unit: dict[int, UnitCards] = {}
    for row in rows:
        for units in row.units.values():
            for unit in units:
                card = row.levels.get(unit.pk, "")
                if card:
                    counted = by_unit.setdefault(unit.pk, UnitCards(unit))
                    setattr(counted, card, getattr(counted, card) + 1)
    return sorted(by_unit.values(), key=lambda c: (-c.red, -c.yellow, c.unit.order))


CHASE_COLUMNS = [
    ("approved", "已通过"),
    ("pending", "待审核"),
    ("with_unit", "未报送"),
    ("overdue", "已逾期"),
]


def chase_rows(
    *,
    user: User,
    plan: Plan,
    today: dt.date,
    programme: int | None = None,
    until: dt.date | None = None,
) -> list[ChaseRow]:
    """Per obligation (programme × period or document), the units in each state."""
    queryset = (
        obligations_visible_to(user)
        .filter(plan=plan)
        .select_related("unit", "programme", "report")
        .order_by("due_date", "programme__number", "unit__order")
    )
    if programme:
        queryset = queryset.filter(programme__number=programme)
    if until:
        queryset = queryset.filter(due_date__lte=until)
    rows: dict[tuple, ChaseRow] = {}
    calendar = warning_levels.calendar_around(today)
    workdays = warning_levels.due_soon_workdays(plan)
    for o in queryset:
        key = (o.programme_id, o.kind, o.period_end, o.milestone_id, o.form_code)
        row = rows.get(key)
        if row is None:
            title = o.title.split("」", 1)[-1] if o.kind != Obligation.Kind.DOCUMENT else o.title
            row = rows[key] = ChaseRow(
                title, o.programme, o.due_date, o.late_policy, o.kind, o.period_end
            )
        status = report_status(o)
        if card := warning_levels.obligation_level(
            o, today=today, calendar=calendar, workdays=workdays
        ):
            row.levels[o.unit_id] = card
        # A form's obligation is done once met: a row of the period sent, or 本期无.
        if status in DONE or o.met_at is not None:
            row.units["approved"].append(o.unit)
        elif status in AT_FEDERATION:
            row.units["pending"].append(o.unit)
        elif o.due_date < today:
            row.units["overdue"].append(o.unit)
        else:
            row.units["with_unit"].append(o.unit)
    return list(rows.values())


# -- approved progress shown on the programme page -----------------------------------------


@dataclass
class ProgressTable:
    indicators: list[Indicator]
    rows: list[tuple[Unit, list[Decimal | None]]]
    totals: list[Decimal]
    pending: int


def programme_progress(*, plan: Plan, number: int, only_unit: int | None = None) -> ProgressTable:
    """Latest approved cumulative value per unit and indicator (official figures only)."""
    programme = get_object_or_404(Programme, plan=plan, number=number)
    indicators = list(Indicator.objects.filter(programme=programme).order_by("order"))
    values = (
        ProgressValue.objects.filter(
            report__obligation__programme=programme,
            report__status=Status.APPROVED,
            value__isnull=False,
        )
        .filter(Q(report__obligation__unit_id=only_unit) if only_unit else Q())
        .select_related("report__obligation")
        .order_by("report__obligation__period_end")
    )
    latest: dict[tuple[int, int], Decimal] = {}
    for v in values:
        if v.report.counts_officially:
            latest[(v.report.obligation.unit_id, v.indicator_id)] = v.value
    unit_ids = {unit_id for unit_id, _ in latest}
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("order"))
    rows = [(u, [latest.get((u.pk, i.pk)) for i in indicators]) for u in units]
    totals = [
        sum((r[1][k] or Decimal(0) for r in rows), Decimal(0)) for k in range(len(indicators))
    ]
    pending = (
        Report.objects.filter(obligation__programme=programme, status=Status.CONFIRMED)
        .filter(Q(obligation__unit_id=only_unit) if only_unit else Q())
        .count()
    )
    return ProgressTable(indicators=indicators, rows=rows, totals=totals, pending=pending)


def unread_notifications(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


NOTIFICATIONS_PER_PAGE = 50


def notifications_page(*, user: User, page: int | str | None) -> Page:
    """One page of the user's notifications, newest first; a bad or out-of-range page number
    gives the first or the last page."""
    return Paginator(Notification.objects.filter(user=user), NOTIFICATIONS_PER_PAGE).get_page(page)


def obligation_counts(*, plan: Plan) -> dict[str, int]:
    return dict(
        Obligation.objects.filter(plan=plan)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )


def plan_deadline_years(*, plan: Plan) -> list[int]:
    """The plan year and every year an obligation falls due in."""
    years = set(Obligation.objects.filter(plan=plan).dates("due_date", "year"))
    return sorted({plan.year, *(d.year for d in years)})


# -- figures the federation counts itself (市总统计) -----------------------------------------


def city_counted_indicators(*, plan: Plan) -> QuerySet[Indicator]:
    """The plan's indicators no unit reports (no obligation asks for them, no form counts
    them, no campaign's namings count them): the federation counts them itself."""
    return (
        Indicator.objects.filter(plan=plan, record_source__isnull=True, campaigns__isnull=True)
        .exclude(pk__in=Obligation.indicators.through.objects.values("indicator_id"))
        .select_related("programme")
    )


@dataclass
class CityRow:
    indicator: Indicator
    latest: CityFigure | None
    can_enter: bool


def city_figure_list(*, plan: Plan, user: User) -> list[CityRow]:
    """Department staff: their department's city-counted indicators, to enter; leaders: all
    of them, read-only. Each with its current figure of the latest date. Two queries."""
    indicators = city_counted_indicators(plan=plan)
    staff = user.role == User.Role.DEPARTMENT_STAFF
    if staff:
        indicators = indicators.filter(programme__departments=user.department_id)
    indicators = list(indicators.order_by("programme__number", "order"))
    latest: dict[int, CityFigure] = {}
    for figure in (
        CityFigure.objects.filter(indicator__in=indicators, withdrawn_at__isnull=True)
        .select_related("entered_by")
        .order_by("indicator_id", "-period_end")
    ):
        latest.setdefault(figure.indicator_id, figure)
    return [CityRow(i, latest.get(i.pk), staff) for i in indicators]


def city_indicator_get(*, plan: Plan, code: str) -> Indicator:
    """A city-counted indicator of the plan (any other code → 404)."""
    queryset = city_counted_indicators(plan=plan).prefetch_related("programme__departments")
    return get_object_or_404(queryset, code=code)


def city_figure_history(*, indicator: Indicator) -> list[CityFigure]:
    """Every figure entered for the indicator, withdrawn ones included, newest date first."""
    return list(
        CityFigure.objects.filter(indicator=indicator)
        .select_related("entered_by", "withdrawn_by")
        .prefetch_related("evidence")
    )


def city_figure_get(*, pk: int, actor) -> CityFigure:
    """A 市总统计 figure of a plan `actor` works on; another federation's is a 404."""
    queryset = CityFigure.objects.filter(
        plan_scope(actor, prefix="indicator__plan__")
    ).select_related("indicator__plan", "indicator__programme")
    return get_object_or_404(queryset, pk=pk)


def approved_figure_pairs(*, indicator_ids: set[int], unit_ids: set[int]) -> set[tuple[int, int]]:
    """(indicator id, unit id) of those given with an approved figure not withdrawn: the
    plans' table import keeps such a unit's allocation (plans.extensions). One query."""
    return set(
        OfficialValue.objects.filter(
            indicator_id__in=indicator_ids, unit_id__in=unit_ids, withdrawn_at__isnull=True
        )
        .values_list("indicator_id", "unit_id")
        .distinct()
    )


def official_figures_as_of(
    *, indicator_ids: set[int], unit_ids: set[int], as_of: dt.date
) -> dict[tuple[int, int], Decimal]:
    """(unit id, indicator id) → the cumulative figure counted as at the end of `as_of`, for
    the pairs given, under the as-of rule (`reporting.as_of.valid_on`, the dashboards' own),
    for readers below the dashboards, such as the evaluations' auto-scored criteria; the
    newest period wins. One query."""
    if not indicator_ids or not unit_ids:
        return {}
    rows = (
        OfficialValue.objects.filter(
            valid_on(as_of), indicator_id__in=indicator_ids, unit_id__in=unit_ids
        )
        .order_by("unit_id", "indicator_id", "-period_end")
        .values_list("unit_id", "indicator_id", "value")
    )
    found: dict[tuple[int, int], Decimal] = {}
    for unit_id, indicator_id, value in rows:
        found.setdefault((unit_id, indicator_id), value)
    return found
