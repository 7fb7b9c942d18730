"""Writes for plans: loading a plan file into the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from common.errors import ServiceError
from common.sync import SyncCounter, sync_rows
from orgs.models import Department, Unit, UnitAlias
from plans import extensions
from plans.cascade import inherited, load_problems, parent_of
from plans.models import (
    Allocation,
    AllocationColumn,
    AllocationRow,
    AllocationTable,
    Criterion,
    Indicator,
    Milestone,
    Plan,
    Programme,
    ProgrammeDepartment,
    Rubric,
)
from plans.owners import issuer_in_database, used_as_is
from plans.planfile.spec import PlanSpec


@dataclass
class PlanLoadResult:
    plan: Plan
    counts: SyncCounter

    @property
    def changed(self) -> bool:
        return self.counts.changed


@transaction.atomic
def plan_load(*, spec: PlanSpec) -> PlanLoadResult:
    """Create or update the plan `spec.slug` so the database holds exactly what the file says.

    Units and departments are shared across plans: they are created or updated, never deleted
    here. Everything under the plan is matched by natural key and kept in step.
    """
    loaded = Plan.objects.filter(slug=spec.slug).first()
    if loaded is not None and loaded.is_closed:
        raise ServiceError(loaded.closed_refusal)
    problems = load_problems(spec)
    if problems:
        raise ServiceError("；".join(problems) + "。")
    counts = SyncCounter()
    units = _sync_units(spec, counts)
    departments = _sync_departments(spec, units[spec.issuer], counts)

    parent = parent_of(spec) if spec.parent else None
    plan_rows = [
        {
            "slug": spec.slug,
            "title": spec.title,
            "year": spec.year,
            "issuer_id": units[spec.issuer].pk,
            "doc_number": spec.doc_number,
            "doc_number_variants": spec.doc_number_variants,
            "issued_on": spec.issued_on,
            "summary": spec.summary,
            "progress_from": spec.progress_from,
            "progress_due_day": spec.progress_due_day,
            "progress_late_policy": spec.progress_late_policy,
            "source_sha256": spec.sha256,
            "parent_id": parent.pk if parent else None,
            "groups": [{"code": code, "name": name} for code, name in spec.groups],
            "bulletin": spec.bulletin,
            "ranking_groups": spec.ranking_groups,
            "warning_levels": spec.warning_levels,
            "assessment": spec.assessment,
            "sign_days": spec.sign_days,
        }
    ]
    plan = sync_rows(
        Plan.objects.filter(slug=spec.slug), key=("slug",), rows=plan_rows, counter=counts
    )[(spec.slug,)]
    wanted_units = {u.pk for u in units.values()}
    if set(plan.units.values_list("pk", flat=True)) != wanted_units:
        plan.units.set(wanted_units)
        counts.add(Plan, "units_updated")

    programmes = sync_rows(
        Programme.objects.filter(plan=plan),
        key=("number",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "number": p.number,
                "title": p.title,
                "category": p.category,
                "goal": p.goal,
                "measures": p.measures,
                "requirements": p.requirements,
            }
            for p in spec.programmes
        ],
    )
    sync_rows(
        ProgrammeDepartment.objects.filter(programme__plan=plan),
        key=("programme_id", "department_id"),
        counter=counts,
        rows=[
            {
                "programme_id": programmes[(p.number,)].pk,
                "department_id": departments[name].pk,
                "source": source,
                "order": i,
            }
            for p in spec.programmes
            for i, (name, source) in enumerate(p.departments)
        ],
    )
    from_parent = inherited(spec)
    indicators = sync_rows(
        Indicator.objects.filter(plan=plan),
        key=("code",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "programme_id": programmes[(p.number,)].pk,
                "code": i.code,
                "order": i.order,
                "name": i.name,
                "measure": i.measure,
                "target": i.target,
                "target_denominator": i.target_denominator,
                "comparator": i.comparator,
                "due_date": i.due,
                "period": i.period,
                "per_unit_min": i.per_unit_min,
                "per_unit_max": i.per_unit_max,
                "per_unit_scope": i.per_unit_scope,
                "source_text": i.source_text,
                "serves_id": None,
                "target_from_parent": False,
                "display_measure": i.display_measure,
            }
            | from_parent.get(i.code, {})
            for p in spec.programmes
            for i in p.indicators
        ],
    )
    _sync_parts(spec, indicators, counts)
    _sync_tables(spec, plan, programmes, indicators, units, counts)
    _sync_milestones(spec, programmes, departments, counts)
    _sync_rubrics(spec, programmes, counts)
    # Forms live in records, above plans; they are part of the plan file, so they load with it
    # through the hook records registers (plans.extensions).
    extensions.plan_loaded(
        spec=spec, plan=plan, programmes=programmes, indicators=indicators, counts=counts
    )
    return PlanLoadResult(plan=plan, counts=counts)


def _sync_parts(spec: PlanSpec, indicators: dict, counts: SyncCounter) -> None:
    """Each part's link to its whole (其中), once every indicator of the plan has its row."""
    for p in spec.programmes:
        for i in p.indicators:
            indicator = indicators[(i.code,)]
            wanted = indicators[(i.part_of,)].pk if i.part_of else None
            if indicator.part_of_id != wanted:
                indicator.part_of_id = wanted
                indicator.save(update_fields=["part_of"])
                counts.add(Indicator, "updated")


def _sync_departments(
    spec: PlanSpec, federation: Unit, counts: SyncCounter
) -> dict[str, Department]:
    """The federation's own departments, by name within it; another federation's department
    of the same name is another department. Aliases the file does not give are kept."""
    found = sync_rows(
        Department.objects.filter(
            federation=federation, name__in=[d.name for d in spec.departments]
        ),
        key=("name",),
        counter=counts,
        delete_missing=False,
        rows=[
            {"federation_id": federation.pk, "name": d.name, "aliases": d.aliases}
            for d in spec.departments
        ],
    )
    return {name: dept for (name,), dept in found.items()}


def _sync_units(spec: PlanSpec, counts: SyncCounter) -> dict[str, Unit]:
    """The file's units by name: the federation's own created or updated, another
    federation's used as they are (plans.owners; checked before this runs)."""
    by_name: dict[str, Unit] = {}
    issuer = issuer_in_database(spec)
    codes = [u.code for u in spec.units]
    in_database = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    owned_by_name = {u.name: u for u in Unit.objects.filter(federation=issuer)} if issuer else {}
    as_is = {u.name for u in spec.units if used_as_is(u, in_database.get(u.code), spec)}
    for u in spec.units:
        if u.name in as_is:
            by_name[u.name] = in_database[u.code]
    # Parents first, so each unit can point to its parent by id.
    pending = [(order, u) for order, u in enumerate(spec.units) if u.name not in as_is]
    while pending:
        remaining = []
        for order, u in pending:
            if u.parent and u.parent not in by_name:
                remaining.append((order, u))
                continue
            row = {
                "code": u.code,
                "name": u.name,
                "short_name": u.short_name,
                "kind": u.kind,
                "parent_id": by_name[u.parent].pk if u.parent else None,
                "order": order,
            }
            if issuer is not None:
                row["federation_id"] = issuer.pk
            unit = in_database.get(u.code) or owned_by_name.get(u.name)
            if unit is None:
                unit = Unit.objects.create(**row)
                counts.add(Unit, "created")
            else:
                changed = [f for f, v in row.items() if getattr(unit, f) != v]
                if changed:
                    for f in changed:
                        setattr(unit, f, row[f])
                    unit.save(update_fields=changed)
                    counts.add(Unit, "updated")
            by_name[u.name] = unit
            if u.name == spec.issuer and issuer is None:
                # A new federation owns itself, and every unit its file brings in after it.
                issuer = unit
                unit.federation = unit
                unit.save(update_fields=["federation"])
        if len(remaining) == len(pending):
            raise ValueError("unit parents form a cycle")  # the reader has checked names exist
        pending = remaining
    # Units created before the issuer was (its children first in the file) join it now.
    Unit.objects.filter(
        pk__in=[by_name[u.name].pk for u in spec.units if u.name not in as_is],
        federation__isnull=True,
    ).update(federation=issuer)

    own = [u for u in spec.units if u.name not in as_is]
    wanted = {(by_name[u.name].pk, alias) for u in own for alias in u.aliases}
    have = set(
        UnitAlias.objects.filter(unit__in=[by_name[u.name] for u in own]).values_list(
            "unit_id", "alias"
        )
    )
    stale = have - wanted
    if stale:
        for unit_id, alias in stale:
            UnitAlias.objects.filter(unit_id=unit_id, alias=alias).delete()
        counts.add(UnitAlias, "deleted", len(stale))
    for unit_id, alias in sorted(wanted - have):
        UnitAlias(unit_id=unit_id, alias=alias).save()
        counts.add(UnitAlias, "created")
    return by_name


def _sync_tables(spec, plan, programmes, indicators, units, counts) -> None:
    tables = sync_rows(
        AllocationTable.objects.filter(plan=plan),
        key=("code",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "programme_id": programmes[(p.number,)].pk,
                "code": t.code,
                "order": t.order,
                "attachment": t.attachment,
                "title": t.title,
                "has_total_row": t.total is not None,
                "note": t.note,
            }
            for p in spec.programmes
            for t in p.tables
        ],
    )
    all_tables = [t for p in spec.programmes for t in p.tables]
    sync_rows(
        AllocationColumn.objects.filter(table__plan=plan),
        key=("indicator_id",),
        counter=counts,
        rows=[
            {
                "table_id": tables[(t.code,)].pk,
                "indicator_id": indicators[(code,)].pk,
                "order": i,
                "header": header,
                "declared_total": t.total[i] if t.total is not None else None,
            }
            for t in all_tables
            for i, (code, header) in enumerate(t.columns)
        ],
    )
    rows = sync_rows(
        AllocationRow.objects.filter(table__plan=plan),
        key=("table_id", "number"),
        counter=counts,
        rows=[
            {
                "table_id": tables[(t.code,)].pk,
                "number": r.number,
                "label": r.label,
                "unit_id": units[r.unit].pk if r.unit else None,
                "unit_assigned": r.unit_assigned,
                "group": r.group,
                "note": r.note,
            }
            for t in all_tables
            for r in t.rows
        ],
    )
    cells = []
    for t in all_tables:
        for r in t.rows:
            row = rows[(tables[(t.code,)].pk, r.number)]
            for (code, _header), value in zip(t.columns, r.values, strict=False):
                if value is not None:
                    cells.append(
                        {
                            "row_id": row.pk,
                            "indicator_id": indicators[(code,)].pk,
                            "unit_id": row.unit_id,
                            "value": value,
                        }
                    )
    sync_rows(
        Allocation.objects.filter(row__table__plan=plan),
        key=("row_id", "indicator_id"),
        rows=cells,
        counter=counts,
    )


def _sync_milestones(spec, programmes, departments, counts) -> None:
    specs = {
        (programmes[(p.number,)].pk, m.order): m for p in spec.programmes for m in p.milestones
    }
    milestones = sync_rows(
        Milestone.objects.filter(programme__in=[p.pk for p in programmes.values()]),
        key=("programme_id", "order"),
        counter=counts,
        rows=[
            {
                "programme_id": pk,
                "order": order,
                "title": m.title,
                "kind": m.rule.kind,
                "start_date": m.rule.start,
                "end_date": m.rule.end,
                "dates": [d.isoformat() for d in m.rule.dates],
                "recurrence": m.rule.recurrence,
                "relative_event": m.rule.relative_event,
                "relative_days": m.rule.relative_days,
                "rule": m.rule_raw,
                "actor": m.actor,
                "actor_scope": m.actor_scope,
                "deliverable": m.deliverable,
                "form_code": m.form,
                "deliver_to": m.deliver_to,
                "late_policy": m.late_policy,
                "source_text": m.source_text,
            }
            for (pk, order), m in specs.items()
        ],
    )
    through = Milestone.actor_departments.through
    have = set(
        through.objects.filter(milestone__in=[m.pk for m in milestones.values()]).values_list(
            "milestone_id", "department_id"
        )
    )
    wanted = {
        (milestones[key].pk, departments[name].pk)
        for key, m in specs.items()
        for name in m.actor_departments
    }
    if have != wanted:
        through.objects.filter(milestone__in=[m.pk for m in milestones.values()]).delete()
        through.objects.bulk_create(
            [through(milestone_id=m, department_id=d) for m, d in sorted(wanted)]
        )
        counts.add(Milestone, "departments_updated")


def _sync_rubrics(spec, programmes, counts) -> None:
    rubric_specs = {
        (programmes[(p.number,)].pk, r.order): r for p in spec.programmes for r in p.rubrics
    }
    rubrics = sync_rows(
        Rubric.objects.filter(programme__in=[p.pk for p in programmes.values()]),
        key=("programme_id", "order"),
        counter=counts,
        rows=[
            {
                "programme_id": pk,
                "order": order,
                "title": r.title,
                "attachment": r.attachment,
                "evaluated": r.evaluated,
            }
            for (pk, order), r in rubric_specs.items()
        ],
    )
    sync_rows(
        Criterion.objects.filter(rubric__in=[r.pk for r in rubrics.values()]),
        key=("rubric_id", "code"),
        counter=counts,
        rows=[
            {
                "rubric_id": rubrics[key].pk,
                "code": c.code,
                "position": i,
                "title": c.title,
                "points": c.points,
                "auto": c.auto,
            }
            for key, r in rubric_specs.items()
            for i, c in enumerate(r.criteria)
        ],
    )
