"""The whole plan as plain JSON-ready data (for `dumpplan`, integrations and tests)."""

from __future__ import annotations

from decimal import Decimal

from plans.consistency import consistency_check
from plans.models import Indicator, Plan
from plans.selectors import milestone_rule, plan_programmes, plan_units, table_layout


def number(value: Decimal | None) -> int | float | None:
    """Integral values as int (counts, whole 元), others as float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_dump(*, plan: Plan) -> dict:
    units = plan_units(plan=plan)
    served = dict(
        Indicator.objects.filter(plan=plan, serves__isnull=False).values_list("pk", "serves__code")
    )
    programmes = []
    for programme in plan_programmes(plan=plan):
        layouts = [table_layout(t) for t in programme.tables.all()]
        where = {}
        for layout in layouts:
            for i, indicator in enumerate(layout.indicators):
                where[indicator.pk] = (layout, i)
        indicators = []
        codes = {i.pk: i.code for i in programme.indicators.all()}
        for indicator in programme.indicators.all():
            entry = {
                "code": indicator.code,
                "name": indicator.name,
                "measure": indicator.measure,
                "target": _target(indicator),
                # 万元 or 亿元 when the notice prints the target so (stored in 元); else null.
                "display_measure": indicator.display_measure or None,
                "comparator": indicator.comparator,
                # The code of the indicator this one is a part of (其中), in this programme.
                "part_of": codes.get(indicator.part_of_id),
                # The parent plan's indicator this one carries out (plans.cascade).
                "serves": served.get(indicator.pk),
                "target_from_parent": indicator.target_from_parent,
                "due": indicator.due_date.isoformat() if indicator.due_date else None,
                "period": indicator.period,
                "per_unit": _per_unit(indicator),
                "table": None,
                "declared_total": None,
                "allocations": {},
                "unassigned": {},
            }
            if indicator.pk in where:
                layout, i = where[indicator.pk]
                entry["table"] = layout.table.code
                entry["declared_total"] = number(layout.declared[i])
                for row, values in layout.rows:
                    if values[i] is None:
                        continue
                    bucket = entry["allocations"] if row.unit_id else entry["unassigned"]
                    bucket[row.unit.name if row.unit_id else row.label] = number(values[i])
            indicators.append(entry)
        programmes.append(
            {
                "number": programme.number,
                "title": programme.title,
                "category": programme.category,
                "departments": [link.department.name for link in programme.department_links],
                "department_sources": {
                    link.department.name: link.source for link in programme.department_links
                },
                "indicators": indicators,
                "tables": [
                    {
                        "code": layout.table.code,
                        "attachment": layout.table.attachment,
                        "title": layout.table.title,
                        "headers": layout.headers,
                        "rows": [
                            {
                                "label": row.label,
                                "unit": row.unit.name if row.unit_id else None,
                                "values": [number(v) for v in values],
                            }
                            for row, values in layout.rows
                        ],
                        "declared_total": (
                            [number(v) for v in layout.declared]
                            if layout.table.has_total_row
                            else None
                        ),
                    }
                    for layout in layouts
                ],
                "milestones": [_milestone(m) for m in programme.milestones.all()],
                "rubrics": [
                    {
                        "title": r.title,
                        **({"evaluated": r.evaluated} if r.evaluated else {}),
                        "criteria": [
                            {
                                "code": c.code,
                                "title": c.title,
                                "points": number(c.points),
                                **({"auto": c.auto} if c.auto else {}),
                            }
                            for c in r.criteria.all()
                        ],
                    }
                    for r in programme.rubrics.all()
                ],
            }
        )
    return {
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "year": plan.year,
            "issuer": plan.issuer.name,
            "doc_number": plan.doc_number,
            "doc_number_variants": plan.doc_number_variants,
            "issued_on": plan.issued_on.isoformat(),
            "summary": plan.summary,
            "parent": plan.parent.slug if plan.parent_id else None,
            "progress": {
                "from": plan.progress_from.isoformat() if plan.progress_from else None,
                "due_day": plan.progress_due_day,
                "late_policy": plan.progress_late_policy,
            },
        },
        # The programmes' groups in order, as code → name (the file's `groups`).
        "groups": {g["code"]: g["name"] for g in plan.groups},
        # The bulletin's own title and addressees as the file gives them ({}: derived).
        "bulletin": plan.bulletin or {},
        # The units ranked against each other, as the file's `ranking_groups` ([]: one list).
        "ranking_groups": plan.ranking_groups,
        # 黄牌 / 红牌 as the file's `warnings` ({}: the system's defaults).
        "warnings": plan.warning_levels or {},
        # 年终考核 as the file's `assessment` ({}: none).
        "assessment": plan.assessment or {},
        # 督办: the working days a unit has to sign a 督办单 (the file's `supervision`).
        "supervision": {"sign_days": plan.sign_days},
        "units": [
            {
                "name": u.name,
                "short_name": u.short_name,
                "kind": u.kind,
                "code": u.code,
                "parent": u.parent.name if u.parent_id else None,
                "aliases": [a.alias for a in u.aliases.all()],
            }
            for u in units
        ],
        "programmes": programmes,
        "consistency": [
            {
                "severity": f.severity,
                "kind": f.kind,
                "message": f.message,
                "programme": f.programme,
                "table": f.table or None,
            }
            for f in consistency_check(plan=plan)
        ],
    }


def _target(indicator) -> int | float | str | None:
    if indicator.target is None:
        return None
    if indicator.target_denominator != 1:
        return f"{number(indicator.target)}/{indicator.target_denominator}"
    return number(indicator.target)


def _per_unit(indicator) -> dict | None:
    if indicator.per_unit_min is None and indicator.per_unit_max is None:
        return {"contributors": indicator.per_unit_scope} if indicator.per_unit_scope else None
    return {
        "min": number(indicator.per_unit_min),
        "max": number(indicator.per_unit_max),
        "scope": indicator.per_unit_scope,
    }


def _milestone(m) -> dict:
    rule = milestone_rule(m)
    return {
        "title": m.title,
        "kind": m.kind,
        "start": m.start_date.isoformat() if m.start_date else None,
        "end": m.end_date.isoformat() if m.end_date else None,
        "dates": m.dates,
        "rule": m.rule,
        "when": rule.describe(),
        "actor": m.actor,
        "actor_departments": [d.name for d in m.actor_departments.all()],
        "actor_scope": m.actor_scope,
        "deliverable": m.deliverable,
        "deliver_to": m.deliver_to,
        "late_policy": m.late_policy,
    }
