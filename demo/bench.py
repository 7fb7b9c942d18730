"""Synthetic province-sized data for the benchmarks (`gen_bench_data`, `make bench`).

A bench plan copies the programmes, indicators and allocation tables of the 2022 plan file and
spreads them over N made-up units (codes `bench-0001`, …, kinds in the proportions of the real
units), each with a share in every table column. Every unit owes monthly progress on each
programme it has shares in, for twelve months, with cumulative figures growing month by month.
Most reports are approved and their figures official, but as in a real year not all
(`FATES`, at the rates below): some come late and under 逾期未报送不予统计 are kept but not
counted, some are approved weeks after confirmation, some were withdrawn (撤销通过) and
approved again corrected or are back with the unit, some were never sent, and many of the last
two months wait for review. Figures come from a seeded random generator: the same arguments
give the same data. demo/bench_province.py builds a province's chain of plans from the same
parts.

The plan's structure is written with bulk_create; obligations, reports and figures (all but a
few thousand of the rows) as plain rows (COPY on PostgreSQL, INSERTs elsewhere), a chunk of
units at a time, without a model object per row; one transaction per plan.
Only plans marked as bench data (`BENCH_MARK`) are ever replaced.

Unlike the demo (demo/reports.py, demo/records.py), reports are written in the state they end
in by hand, with the stamps and official figures the workflow would have left, not through the
workflow's services: at 1,000 units that is over a hundred thousand reports, each taking four
to eight locked, audited and notified steps, hours instead of a minute; the benchmarks measure
reading them, not how they got there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from json import dumps
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from common.errors import ServiceError
from orgs.models import Department, Unit, User
from plans.models import (
    Allocation,
    AllocationColumn,
    AllocationRow,
    AllocationTable,
    Indicator,
    Plan,
    Programme,
    ProgrammeDepartment,
)
from plans.planfile.spec import PlanSpec, ProgrammeSpec, read_plan_file
from reporting.calendar import WorkdayCalendar
from reporting.models import Obligation, OfficialValue, ProgressValue, Report
from reporting.services.obligations import period_label, progress_due

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "data" / "pingdingshan-2022.yaml"
# Plan.source_sha256 of a bench plan: a plan without it is never replaced.
BENCH_MARK = "synthetic-bench-data"
UNITS_PER_CHUNK = 100  # units whose obligations, reports and figures are written together
BATCH = 1000  # rows per INSERT (Django lowers it where the database needs)
# Full-name ending and short-name stem of a synthetic unit, by kind.
KIND_NAMES = {
    Unit.Kind.PROVINCE: ("省总工会", "省"),
    Unit.Kind.CITY: ("市总工会", "市"),
    Unit.Kind.GRASSROOTS: ("基层工会", "基层"),
    Unit.Kind.FEDERATION: ("总工会", "总工会"),
    Unit.Kind.COUNTY_CITY: ("市总工会", "市"),
    Unit.Kind.COUNTY: ("县总工会", "县"),
    Unit.Kind.DISTRICT: ("区总工会", "区"),
    Unit.Kind.ZONE: ("功能区工会联合会", "功能区"),
    Unit.Kind.INDUSTRY_UNION: ("产业工会", "产业工会"),
    Unit.Kind.ORGAN_UNION: ("机关工会", "机关工会"),
    Unit.Kind.ENTERPRISE_UNION: ("企业工会", "企业"),
    Unit.Kind.OTHER: ("工会", "单位"),
}

# Columns written for each obligation and report, in the order _reports_create gives them.
# fmt: off
OBLIGATION_COLUMNS = ("plan", "unit", "programme", "kind", "period", "period_start", "period_end",
                      "title", "rule_due_date", "due_date", "late_policy", "reviewer_department",
                      "reported_at", "reported_late")
REPORT_COLUMNS = ("obligation", "status", "version", "is_late", "submitted_at", "confirmed_at",
                  "reviewed_at", "note", "return_reason", "created_at", "updated_at")
OFFICIAL_COLUMNS = ("report", "unit", "indicator", "period_end", "value", "approved_at",
                    "withdrawn_at", "is_late", "counts")
# fmt: on

# What becomes of a report, so that the bench data hold what the dashboards filter out and
# bench.run times the filters, not a year where every figure counts. Drawn per report from
# the seeded generator, at these rates:
LATE_POLICY = "exclude"  # 逾期未报送不予统计: a late report's figures are kept, not counted
LATE = 0.08  # confirmed after its due date
SLOW_REVIEW = 0.06  # approved two to six weeks after confirmation, not in one to three days
MISSING = 0.015  # never reported
REOPENED = 0.03  # approved, withdrawn (撤销通过) a tenth too high, approved again corrected
RETURNED = 0.005  # approved, withdrawn, and back with the unit since
WAITING = (0.35, 0.12)  # of the last month and the one before: confirmed, not yet approved
REOPEN_REASON = "撤销通过：数据有误，请核实后重新报送"
APPROVED, REAPPROVED, WITHDRAWN = "approved", "reapproved", "withdrawn"
WAITING_FOR_REVIEW, NEVER_REPORTED = "waiting", "missing"
FATES = (APPROVED, REAPPROVED, WITHDRAWN, WAITING_FOR_REVIEW, NEVER_REPORTED)

# Deleting a bench plan: one statement per table, children first (plan id as the parameter).
BENCH_DELETE = [
    """DELETE FROM reporting_officialvalue WHERE indicator_id IN
       (SELECT id FROM plans_indicator WHERE plan_id = %s)""",
    """DELETE FROM reporting_progressvalue WHERE report_id IN
       (SELECT r.id FROM reporting_report r
        JOIN reporting_obligation o ON o.id = r.obligation_id WHERE o.plan_id = %s)""",
    """DELETE FROM evidence_evidence WHERE owner_type_id IN
       (SELECT id FROM django_content_type WHERE app_label = 'reporting' AND model = 'report')
       AND owner_id IN
       (SELECT r.id FROM reporting_report r
        JOIN reporting_obligation o ON o.id = r.obligation_id WHERE o.plan_id = %s)""",
    """DELETE FROM reporting_report WHERE obligation_id IN
       (SELECT id FROM reporting_obligation WHERE plan_id = %s)""",
    """DELETE FROM reporting_obligation_indicators WHERE obligation_id IN
       (SELECT id FROM reporting_obligation WHERE plan_id = %s)""",
    """DELETE FROM reporting_reminderlog WHERE obligation_id IN
       (SELECT id FROM reporting_obligation WHERE plan_id = %s)""",
    "DELETE FROM reporting_obligation WHERE plan_id = %s",
    """DELETE FROM plans_allocation WHERE indicator_id IN
       (SELECT id FROM plans_indicator WHERE plan_id = %s)""",
]

BENCH_BAD_ARGUMENTS = "单位数、年数至少为 1，月数在 1 到 12 之间"
BENCH_SLUG_TAKEN = "标识「{slug}」已被非测试数据的计划使用，请换一个 --slug-prefix"
BENCH_UNIT_TAKEN = "单位代码或名称「{name}」已被非测试数据的单位使用，请换一个 --slug-prefix"


@dataclass
class BenchData:
    plans: list[Plan]
    units: list[Unit]  # the synthetic units with shares (the synthetic federation excluded)
    counts: Counter = field(default_factory=Counter)


def bench_data_generate(
    *,
    units: int = 1000,
    years: int = 1,
    slug_prefix: str = "bench",
    first_year: int = 2022,
    months: int = 12,
    seed: int = 2022,
) -> BenchData:
    """Create or replace the plans `<slug_prefix>-<year>` for `years` years from `first_year`."""
    if units < 1 or years < 1 or not 1 <= months <= 12:
        raise ServiceError(BENCH_BAD_ARGUMENTS)
    slugs = [f"{slug_prefix}-{first_year + offset}" for offset in range(years)]
    taken = Plan.objects.filter(slug__in=slugs).exclude(source_sha256=BENCH_MARK).first()
    if taken is not None:
        raise ServiceError(BENCH_SLUG_TAKEN.format(slug=taken.slug))
    spec = read_plan_file(PLAN_FILE)
    with transaction.atomic():
        federation, members = _units_ensure(spec=spec, count=units, prefix=slug_prefix)
    result = BenchData(plans=[], units=members)
    for offset in range(years):
        year = first_year + offset
        with transaction.atomic():
            plan = _plan_generate(
                spec=spec,
                slug=f"{slug_prefix}-{year}",
                year=year,
                federation=federation,
                members=members,
                months=months,
                rng=random.Random(seed * 10_000 + year),  # noqa: S311 - made-up figures # nosec B311
                counts=result.counts,
            )
        result.plans.append(plan)
    result.counts["units"] = len(members)
    return result


def bench_leader(*, federation: Unit) -> User:
    """The leader of `federation` the benchmark reads pages as (bench.run): no usable password,
    as it is signed in with `force_login`; its password counts as just changed on each call,
    so no page sends it to the password change however old the bench data."""
    user, _ = User.objects.update_or_create(
        username=f"{federation.code}-leader",
        defaults={
            "role": User.Role.LEADER,
            "federation": federation,
            "display_name": f"{federation.short_name}领导（性能测试）",
            "password_changed_at": timezone.now(),
            "must_change_password": False,
            "is_active": True,
        },
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def bench_plan_delete(*, slug: str) -> bool:
    """Delete the bench plan `slug` and everything reported under it; False when absent."""
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        return False
    if plan.source_sha256 != BENCH_MARK:
        raise ServiceError(BENCH_SLUG_TAKEN.format(slug=slug))
    # One DELETE per table, children first: the ORM's cascade would load every report and
    # obligation, and reports and figures are protected from cascades anyway.
    with connection.cursor() as cursor:
        for sql in BENCH_DELETE:
            cursor.execute(sql, [plan.pk])
    plan.delete()
    return True


# -- units ---------------------------------------------------------------------------------


def _unit(prefix: str, number: int, kind: str, parent: Unit | None) -> Unit:
    code = f"{prefix}-{number:04d}"
    ending, stem = KIND_NAMES[kind]
    return Unit(
        code=code,
        name=f"{code}{ending}",
        short_name=f"{stem}{number:04d}" if number else f"{prefix}{stem}",
        kind=kind,
        parent=parent,
        federation=parent,
        order=number,
    )


def _units_ensure(*, spec: PlanSpec, count: int, prefix: str) -> tuple[Unit, list[Unit]]:
    """The synthetic federation `<prefix>-0000` and units `<prefix>-0001`…, created if missing."""
    kinds = [u.kind for u in spec.units if u.kind != Unit.Kind.FEDERATION]
    existing = {u.code: u for u in Unit.objects.filter(code__startswith=f"{prefix}-")}
    federation = existing.get(f"{prefix}-0000")
    if federation is None:
        federation = _unit(prefix, 0, Unit.Kind.FEDERATION, None)
        _check_free([federation], existing)
        federation.save()
        federation.federation = federation  # a federation owns itself (plans.owners)
        federation.save(update_fields=["federation"])
    elif federation.name != _unit(prefix, 0, Unit.Kind.FEDERATION, None).name:
        raise ServiceError(BENCH_UNIT_TAKEN.format(name=federation.code))
    wanted = [
        _unit(prefix, i, kinds[(i - 1) % len(kinds)], federation) for i in range(1, count + 1)
    ]
    missing = [u for u in wanted if u.code not in existing]
    _check_free(wanted, existing)
    Unit.objects.bulk_create(missing, batch_size=BATCH)
    found = {u.code: u for u in Unit.objects.filter(code__in=[u.code for u in wanted])}
    return federation, [found[u.code] for u in wanted]


def _check_free(wanted: list[Unit], existing: dict[str, Unit]) -> None:
    """Refuse codes or names that belong to units this generator did not make."""
    for unit in wanted:
        other = existing.get(unit.code)
        if other is not None and other.name != unit.name:
            raise ServiceError(BENCH_UNIT_TAKEN.format(name=unit.code))
    new = [u for u in wanted if u.code not in existing]
    clash = (
        Unit.objects.filter(
            federation=new[0].federation if new else None, name__in=[u.name for u in new]
        )
        .values_list("name", flat=True)
        .first()
    )
    if clash:
        raise ServiceError(BENCH_UNIT_TAKEN.format(name=clash))


# -- one plan ------------------------------------------------------------------------------


def _shift(day: dt.date | None, year: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _plan_generate(
    *,
    spec: PlanSpec,
    slug: str,
    year: int,
    federation: Unit,
    members: list[Unit],
    months: int,
    rng: random.Random,
    counts: Counter,
) -> Plan:
    parts = plan_structure(
        spec=spec,
        slug=slug,
        year=year,
        federation=federation,
        members=members,
        shares=shares_draw(spec, len(members), rng),
        months=months,
        counts=counts,
        # Ranked within the 2022 file's groups, by kind (the units' kinds are the file's).
        ranking_groups=spec.ranking_groups,
    )
    plan_reports(parts, rng=rng, counts=counts)
    return parts.plan


@dataclass
class PlanParts:
    """A bench plan's structure, and what its reports need of it."""

    plan: Plan
    members: list[Unit]
    shares: dict[str, list[Decimal]]  # indicator code → each member's share
    owed: list[tuple[Programme, list[Indicator]]]  # programmes reported on, their columns
    reviewers: dict[int, int]  # programme id → reviewing department id
    periods: list[tuple[dt.date, dt.date, dt.date, dt.date]]  # start, end, rule due, due


def plan_structure(
    *,
    spec: PlanSpec,
    slug: str,
    year: int,
    federation: Unit,
    members: list[Unit],
    shares: dict[str, list[Decimal]],
    months: int,
    counts: Counter,
    parent: Plan | None = None,
    title: str | None = None,
    ranking_groups: list[dict] | None = None,
) -> PlanParts:
    """The plan `slug` of `federation` over `members` with their `shares`, replacing a bench
    plan of that slug; with a `parent`, each indicator serves the parent's of the same code and
    a table column's target is the federation's share in the parent's table (their sum)."""
    bench_plan_delete(slug=slug)
    plan = Plan.objects.create(
        slug=slug,
        title=title or f"{spec.title}（性能测试数据 {year}）",
        year=year,
        issuer=federation,
        doc_number=f"性能测试〔{year}〕1号",
        issued_on=dt.date(year, 1, 1),
        progress_from=dt.date(year, 1, 1),
        progress_due_day=spec.progress_due_day,
        # 逾期未报送不予统计: a late report is kept and shown, its figures not counted.
        progress_late_policy=LATE_POLICY,
        source_sha256=BENCH_MARK,
        parent=parent,
        ranking_groups=ranking_groups or [],
    )
    Plan.units.through.objects.bulk_create(
        [Plan.units.through(plan_id=plan.pk, unit_id=u.pk) for u in [federation, *members]],
        batch_size=BATCH,
    )
    departments = _departments_ensure(spec, federation)
    programmes = Programme.objects.bulk_create(
        [
            Programme(
                plan=plan,
                number=p.number,
                title=p.title,
                category=p.category,
                goal=p.goal,
                measures=p.measures,
                requirements=p.requirements,
            )
            for p in spec.programmes
        ]
    )
    ProgrammeDepartment.objects.bulk_create(
        [
            ProgrammeDepartment(
                programme=programme, department=departments[name], source=source, order=i
            )
            for programme, p in zip(programmes, spec.programmes, strict=True)
            for i, (name, source) in enumerate(p.departments)
        ]
    )
    indicators = _indicators_create(spec, plan, programmes, shares, year, parent)
    _tables_create(spec, plan, programmes, indicators, members, shares)
    counts["indicators"] += len(indicators)
    counts["allocations"] += len(shares) * len(members)

    # Progress obligations: each programme with a table, every month, indicators = its columns.
    owed = [
        (programme, [indicators[code] for t in p.tables for code, _header in t.columns])
        for programme, p in zip(programmes, spec.programmes, strict=True)
        if p.tables
    ]
    reviewers = {
        programme.pk: departments[_reviewer(p)].pk
        for programme, p in zip(programmes, spec.programmes, strict=True)
        if p.departments
    }
    calendar = WorkdayCalendar(range(year, year + 2))
    periods = []
    for month in range(1, months + 1):
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        rule_due = progress_due(plan, end)
        periods.append((start, end, rule_due, calendar.roll_forward(rule_due)))
    return PlanParts(plan, members, shares, owed, reviewers, periods)


def plan_reports(
    parts: PlanParts,
    *,
    rng: random.Random,
    counts: Counter,
    given: dict[int, dict[str, list[Decimal]]] | None = None,
) -> dict[str, list[Decimal]]:
    """A year of reports of every member, a chunk of units at a time. `given`: unit id →
    indicator code → its cumulative figure each month (a federation reporting its own plan's
    totals); the other members' figures are made up. Returns, per indicator code and month,
    the plan's approved total as `reporting.selectors.derived_figures` sums it for the issuer's
    report to the parent plan (each unit's latest counted figure up to the month's end)."""
    totals = {
        i.code: [Decimal(0)] * len(parts.periods)
        for _, indicators in parts.owed
        for i in indicators
    }
    for first in range(0, len(parts.members), UNITS_PER_CHUNK):
        chunk = parts.members[first : first + UNITS_PER_CHUNK]
        _reports_create(parts, chunk, first, given or {}, rng, counts, totals)
    return totals


def _reviewer(p: ProgrammeSpec) -> str:
    """The first department the text names, else the first assigned (as obligations do)."""
    return next((name for name, source in p.departments if source == "text"), p.departments[0][0])


def _departments_ensure(spec: PlanSpec, federation: Unit) -> dict[str, Department]:
    """The synthetic federation's own departments, named as the plan file's."""
    own = Department.objects.filter(
        federation=federation, name__in=[d.name for d in spec.departments]
    )
    found = {d.name: d for d in own}
    Department.objects.bulk_create(
        [
            Department(federation=federation, name=d.name, aliases=d.aliases)
            for d in spec.departments
            if d.name not in found
        ]
    )
    return {d.name: d for d in own.all()}


def shares_draw(
    spec: PlanSpec, count: int, rng: random.Random, *, scale: int = 1
) -> dict[str, list[Decimal]]:
    """Indicator code → each synthetic unit's share: a printed row's figure, give or take 40%
    (divided by `scale` for units smaller than the file's county-level ones; at least 1)."""
    shares = {}
    for p in spec.programmes:
        for table in p.tables:
            for column, (code, _header) in enumerate(table.columns):
                printed = [r.values[column] for r in table.rows if r.values[column]] or [Decimal(1)]
                shares[code] = [
                    Decimal(
                        max(
                            1,
                            round(float(printed[i % len(printed)]) * rng.uniform(0.6, 1.4) / scale),
                        )
                    )
                    for i in range(count)
                ]
    return shares


def _indicators_create(
    spec: PlanSpec,
    plan: Plan,
    programmes: list[Programme],
    shares: dict[str, list[Decimal]],
    year: int,
    parent: Plan | None = None,
) -> dict[str, Indicator]:
    """The file's indicators, reported monthly; a table column's target is its units' sum.
    Under a `parent`, each serves the parent's indicator of its code, and a column's target
    (its units' sum) is the issuer's share in the parent's table (plans.cascade)."""
    served = dict(Indicator.objects.filter(plan=parent).values_list("code", "pk")) if parent else {}
    rows = [
        Indicator(
            plan=plan,
            programme=programme,
            code=i.code,
            order=i.order,
            name=i.name,
            measure=i.measure,
            target=sum(shares[i.code]) if i.code in shares else i.target,
            target_denominator=1 if i.code in shares else i.target_denominator,
            comparator=i.comparator,
            due_date=_shift(i.due, year),
            period=Indicator.Period.MONTHLY,
            per_unit_min=i.per_unit_min,
            per_unit_max=i.per_unit_max,
            per_unit_scope=i.per_unit_scope,
            source_text=i.source_text,
            serves_id=served.get(i.code),
            target_from_parent=i.code in served and i.code in shares,
        )
        for programme, p in zip(programmes, spec.programmes, strict=True)
        for i in p.indicators
    ]
    return {i.code: i for i in Indicator.objects.bulk_create(rows)}


def _tables_create(
    spec: PlanSpec,
    plan: Plan,
    programmes: list[Programme],
    indicators: dict[str, Indicator],
    members: list[Unit],
    shares: dict[str, list[Decimal]],
) -> None:
    specs = [
        (programme, t)
        for programme, p in zip(programmes, spec.programmes, strict=True)
        for t in p.tables
    ]
    tables = AllocationTable.objects.bulk_create(
        [
            AllocationTable(
                plan=plan,
                programme=programme,
                code=t.code,
                order=t.order,
                attachment=t.attachment,
                title=t.title,
                note=t.note,
            )
            for programme, t in specs
        ]
    )
    AllocationColumn.objects.bulk_create(
        [
            AllocationColumn(
                table=table,
                indicator=indicators[code],
                order=order,
                header=header,
                declared_total=sum(shares[code]),
            )
            for table, (_programme, t) in zip(tables, specs, strict=True)
            for order, (code, header) in enumerate(t.columns)
        ]
    )
    rows = AllocationRow.objects.bulk_create(
        [
            AllocationRow(table=table, number=n, label=unit.name, unit=unit)
            for table in tables
            for n, unit in enumerate(members, start=1)
        ],
        batch_size=BATCH,
    )
    columns = {table.pk: t.columns for table, (_programme, t) in zip(tables, specs, strict=True)}
    cells = [
        Allocation(
            row=row,
            indicator=indicators[code],
            unit_id=row.unit_id,
            value=shares[code][row.number - 1],
        )
        for row in rows
        for code, _header in columns[row.table_id]
    ]
    Allocation.objects.bulk_create(cells, batch_size=BATCH)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _insert(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Write plain tuples without a model object per row: COPY on PostgreSQL, else INSERTs."""
    columns = [model._meta.get_field(name) for name in fields]
    db = connections[DEFAULT_DB_ALIAS]
    table = db.ops.quote_name(model._meta.db_table)
    names = ", ".join(db.ops.quote_name(c.column) for c in columns)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            json = [isinstance(c, models.JSONField) for c in columns]
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([dumps(v) if j else v for j, v in zip(json, row, strict=True)])
            return
        # Dates, datetimes, decimals and JSON need the backend's form; ids and text do not.
        prepare = [
            None if isinstance(c, (models.ForeignKey, models.CharField, models.TextField)) else c
            for c in columns
        ]
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 # nosec B608
        for first in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        v if c is None else c.get_db_prep_save(v, db)
                        for c, v in zip(prepare, row, strict=True)
                    )
                    for row in rows[first : first + BATCH]
                ],
            )


def _fate(rng: random.Random, month: int, months: int) -> str:
    """What became of one report (`FATES`), drawn at the rates above."""
    from_end = months - 1 - month
    if from_end < len(WAITING) and rng.random() < WAITING[from_end]:
        return WAITING_FOR_REVIEW
    draw = rng.random()
    for fate, rate in ((NEVER_REPORTED, MISSING), (REAPPROVED, REOPENED), (WITHDRAWN, RETURNED)):
        if draw < rate:
            return fate
        draw -= rate
    return APPROVED


def _reports_create(
    parts: PlanParts,
    chunk: list[Unit],
    first: int,
    given: dict[int, dict[str, list[Decimal]]],
    rng: random.Random,
    counts: Counter,
    totals: dict[str, list[Decimal]],
) -> None:
    """Obligations, reports in each `FATES` state and official figures for a chunk of units;
    each unit's latest counted figures added to `totals` month by month."""
    plan, periods = parts.plan, parts.periods
    exclude_late = plan.progress_late_policy == LATE_POLICY
    obligations, links, reports, figures, fates = [], [], {}, {}, Counter()
    for n, unit in enumerate(chunk, start=first):
        pace = rng.uniform(0.55, 1.3)  # where the unit ends the year, as a share of its targets
        own = given.get(unit.pk)
        for programme, indicators in parts.owed:
            if own is not None:
                series = [own[i.code] for i in indicators]
            else:
                series = []
                for indicator in indicators:
                    share, level, levels = float(parts.shares[indicator.code][n]), 0, []
                    drift = pace * rng.uniform(0.85, 1.15)
                    for month in range(1, len(periods) + 1):
                        level = max(level, int(share * drift * month / 12 * rng.uniform(0.9, 1.1)))
                        levels.append(Decimal(level))
                    series.append(levels)
            counted: list[Decimal | None] = [None] * len(indicators)  # latest counted figure
            for month, (start, end, rule_due, due) in enumerate(periods):
                key = (unit.pk, programme.pk, end)
                links.extend((key, i.pk) for i in indicators)
                fate = _fate(rng, month, len(periods))
                fates[fate] += 1
                first_report: tuple = (None, False)  # the obligation's reported_at and _late
                if fate != NEVER_REPORTED:
                    levels = [s[month] for s in series]
                    stamps, entered, rows, counts_now = _report(
                        rng, fate, due, indicators, levels, exclude_late
                    )
                    reports[key], figures[key] = stamps, (entered, rows)
                    first_report = (stamps[4], stamps[2])  # confirmed_at, is_late
                    if counts_now and fate in (APPROVED, REAPPROVED):
                        counted = levels
                obligations.append(
                    (
                        plan.pk,
                        unit.pk,
                        programme.pk,
                        Obligation.Kind.PROGRESS,
                        Indicator.Period.MONTHLY,
                        start,
                        end,
                        f"专案{programme.number}「{programme.title}」"
                        f"{period_label('monthly', end)}进度",
                        rule_due,
                        due,
                        plan.progress_late_policy,
                        parts.reviewers.get(programme.pk),
                        *first_report,
                    )
                )
                for i, value in zip(indicators, counted, strict=True):
                    if value is not None:
                        totals[i.code][month] += value
    _insert(Obligation, OBLIGATION_COLUMNS, obligations)
    unit_ids = [u.pk for u in chunk]
    ids = {
        (u, p, end): pk
        for pk, u, p, end in Obligation.objects.filter(plan=plan, unit_id__in=unit_ids).values_list(
            "pk", "unit_id", "programme_id", "period_end"
        )
    }
    now = timezone.now()
    _insert(
        Report,
        REPORT_COLUMNS,
        [(ids[key], *stamps, "", reason, now, now) for key, (*stamps, reason) in reports.items()],
    )
    report_ids = dict(
        Report.objects.filter(obligation__plan=plan, obligation__unit_id__in=unit_ids).values_list(
            "obligation_id", "pk"
        )
    )
    values, official = [], []
    for key, (entered, rows) in figures.items():
        report = report_ids[ids[key]]
        values.extend((report, indicator, value, "", []) for indicator, value in entered)
        official.extend((report, key[0], indicator, key[2], *row) for indicator, *row in rows)
    _insert(ProgressValue, ("report", "indicator", "value", "explanation", "flags"), values)
    _insert(OfficialValue, OFFICIAL_COLUMNS, official)
    _insert(
        Obligation.indicators.through,
        ("obligation", "indicator"),
        [(ids[key], indicator) for key, indicator in links],
    )
    counts["obligations"] += len(obligations)
    counts["reports"] += len(reports)
    counts["progress_values"] += len(values)
    counts["official_values"] += len(official)
    for fate, n in fates.items():
        counts[f"reports_{fate}"] += n


def _report(rng, fate, due, indicators, levels, exclude_late):
    """One report drawn for `fate`: its columns (`REPORT_COLUMNS` from status to reviewed_at,
    then the return reason), the values entered (indicator id, value), its official rows
    (indicator id, then `OFFICIAL_COLUMNS` from value on), and whether its figures count."""
    late = rng.random() < LATE
    confirmed = due + dt.timedelta(days=rng.randint(1, 10) if late else -rng.randint(0, 4))
    review_days = rng.randint(14, 45) if rng.random() < SLOW_REVIEW else rng.randint(1, 3)
    submitted, confirmed_at = _at(confirmed - dt.timedelta(days=1), 9), _at(confirmed, 15)
    reviewed = _at(confirmed + dt.timedelta(days=review_days), 10)
    counts = not (late and exclude_late)
    entered = [(i.pk, v) for i, v in zip(indicators, levels, strict=True)]
    stamps = (late, submitted, confirmed_at)
    if fate == WAITING_FOR_REVIEW:
        return (Report.Status.CONFIRMED, 3, *stamps, None, ""), entered, [], counts
    if fate == APPROVED:
        rows = [(i, v, reviewed, None, late, counts) for i, v in entered]
        return (Report.Status.APPROVED, 4, *stamps, reviewed, ""), entered, rows, counts
    # 撤销通过: the first approval counted a figure a tenth too high until it was withdrawn.
    withdrawn = _at(timezone.localdate(reviewed) + dt.timedelta(days=rng.randint(3, 20)), 11)
    rows = [(i, v + max(1, v // 10), reviewed, withdrawn, late, counts) for i, v in entered]
    if fate == WITHDRAWN:  # back with the unit to correct (已退回): nothing of it counts now
        return (Report.Status.RETURNED, 5, *stamps, reviewed, REOPEN_REASON), entered, rows, counts
    again = _at(timezone.localdate(withdrawn) + dt.timedelta(days=rng.randint(1, 7)), 16)
    rows += [(i, v, again, None, late, counts) for i, v in entered]
    return (Report.Status.APPROVED, 8, *stamps, again, REOPEN_REASON), entered, rows, counts
