"""Which federation a plan file speaks for, and what of the shared units and departments it
may change.

A federation is the unit that issues a plan. It owns the units its plan files bring in and
its departments: only its own files change their names, aliases and parents. Another
federation's unit appears in a file only when the file names it as existing
(`existing: true`), matched by code, and nothing of it is changed. Two federations may each
have a unit or department of the same name; a unit's code is unique everywhere, since it is
part of addresses.
"""

from __future__ import annotations

from orgs.models import Unit
from plans.planfile.data import PlanSpec, UnitSpec


def issuer_spec(spec: PlanSpec) -> UnitSpec:
    return next(u for u in spec.units if u.name == spec.issuer)


def issuer_in_database(spec: PlanSpec) -> Unit | None:
    """The issuing federation's unit if an earlier load (of this federation or, for an
    existing unit, another) brought it in."""
    return Unit.objects.filter(code=issuer_spec(spec).code).first()


def used_as_is(u: UnitSpec, found: Unit | None, spec: PlanSpec) -> bool:
    """The file uses the unit without changing it: it says so (`existing`), or it is the
    issuer itself while another federation owns its row (a city brought in by its province's
    plan issues its own)."""
    if u.existing:
        return True
    return (
        u.name == spec.issuer and found is not None and found.federation_id not in (None, found.pk)
    )


def owner_problems(spec: PlanSpec) -> list[str]:
    """What loading `spec` would change of another federation, or collide with, each with its
    place in the file; empty when the load is safe."""
    issuer = issuer_in_database(spec)
    issuer_id = issuer.pk if issuer else None
    in_database = {
        u.code: u
        for u in Unit.objects.filter(code__in=[u.code for u in spec.units])
        .select_related("federation")
        .prefetch_related("aliases")
    }
    problems = []
    for i, u in enumerate(spec.units):
        loc = f"units[{i}]"
        found = in_database.get(u.code)
        if used_as_is(u, found, spec):
            if found is None:
                problems.append(
                    f"{loc}.code: 找不到代码为「{u.code}」的已有单位"
                    "（existing: true 只能引用已导入的单位）"
                )
            elif u.name not in {found.name, *(a.alias for a in found.aliases.all())}:
                problems.append(
                    f"{loc}.name: 已有单位「{u.code}」名为「{found.name}」，与「{u.name}」不符"
                )
            continue
        if found is None or found.federation_id in (None, issuer_id):
            continue
        owner = found.federation.name if found.federation else "其他工会"
        problems.append(
            f"{loc}.code: 代码「{u.code}」已被{owner}的单位「{found.name}」使用；"
            "如指同一单位，请在该单位下写 existing: true，否则请换一个代码"
        )
    return problems
