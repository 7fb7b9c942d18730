"""A province's chain of bench plans (`gen_bench_data --province`, docs/benchmarks.md).

One province plan over `cities` city federations; each city's plan (its parent: the
province's) over `city_units` units, the first `counties` of them county federations; each
county's plan (its parent: its city's) over `county_units` grassroots unions. The defaults make
1 + 18 × (1 + 30 + 10 × 52) = 9,919 units and 199 plans.

Every plan copies the 2022 file's structure as the flat bench plan does (demo/bench.py); each
indicator of a city's or county's plan serves the parent's of the same code, and a
federation's share in its parent's table is the sum of its own units' shares: its own plan's
target (`target_from_parent`, plans.cascade). A year of reports is written at every level,
perturbed as the flat bench's are (`demo.bench.FATES`), bottom-up: a county's reports to its
city carry its plan's approved totals, each of its unions' latest counted figure up to the
month's end, as `reporting.selectors.derived_figures` prefills them, and a city's reports to
the province carry its own.

Codes: the province `prov-0000`, a city `prov-c01`, a city's unit `prov-c01-u01`, a county's
union `prov-c01-u01-0001`; plans `prov-2022`, `prov-c01-2022`, `prov-c01-u01-2022`. Only plans
marked as bench data are replaced; all of the chain is deleted, children first, before it is
written again.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from common.errors import ServiceError
from demo.bench import (
    BATCH,
    BENCH_MARK,
    BENCH_SLUG_TAKEN,
    BENCH_UNIT_TAKEN,
    KIND_NAMES,
    PLAN_FILE,
    BenchData,
    bench_plan_delete,
    plan_reports,
    plan_structure,
    shares_draw,
)
from orgs.models import Unit
from plans.models import Plan
from plans.planfile.spec import read_plan_file

PROVINCE_BAD_ARGUMENTS = (
    "市数、每市单位数、每县基层工会数至少为 1，每市县数不超过每市单位数，月数在 1 到 12 之间"
)
# The kinds of a city's units that are not county federations, in turn.
CITY_UNIT_KINDS = (
    Unit.Kind.DISTRICT,
    Unit.Kind.ENTERPRISE_UNION,
    Unit.Kind.INDUSTRY_UNION,
    Unit.Kind.ZONE,
    Unit.Kind.ORGAN_UNION,
)
# A grassroots union's shares: a county-level row of the 2022 tables divided by this.
UNION_SCALE = 10


@dataclass
class City:
    unit: Unit
    members: list[Unit]  # its plan's units, its counties first
    counties: list[tuple[Unit, list[Unit]]] = field(default_factory=list)  # and their unions


def bench_province_generate(
    *,
    cities: int = 18,
    city_units: int = 30,
    counties: int = 10,
    county_units: int = 52,
    prefix: str = "prov",
    year: int = 2022,
    months: int = 12,
    seed: int = 2022,
) -> BenchData:
    """Create or replace the province chain `<prefix>-…` for `year` (module docstring)."""
    if min(cities, city_units, county_units) < 1 or not 0 <= counties <= city_units:
        raise ServiceError(PROVINCE_BAD_ARGUMENTS)
    if not 1 <= months <= 12:
        raise ServiceError(PROVINCE_BAD_ARGUMENTS)
    slugs = [f"{prefix}-{year}"] + [
        f"{prefix}-c{i:02d}{county}-{year}"
        for i in range(1, cities + 1)
        for county in ["", *(f"-u{j:02d}" for j in range(1, counties + 1))]
    ]
    taken = Plan.objects.filter(slug__in=slugs).exclude(source_sha256=BENCH_MARK).first()
    if taken is not None:
        raise ServiceError(BENCH_SLUG_TAKEN.format(slug=taken.slug))
    spec = read_plan_file(PLAN_FILE)
    with transaction.atomic():
        province, tree = _tree_ensure(prefix, cities, city_units, counties, county_units)
    chain_delete(prefix=prefix)
    rng = random.Random(seed * 10_000 + year)  # noqa: S311 - made-up figures # nosec B311

    # Shares bottom-up: a federation's share in its parent's table is its own units' sum.
    union_shares, city_shares = {}, {}
    for city in tree:
        own = shares_draw(spec, len(city.members), rng)
        for j, (county, unions) in enumerate(city.counties):
            union_shares[county.pk] = shares_draw(spec, len(unions), rng, scale=UNION_SCALE)
            for code, values in own.items():
                values[j] = sum(union_shares[county.pk][code])
        city_shares[city.unit.pk] = own
    province_shares = {
        code: [sum(city_shares[c.unit.pk][code]) for c in tree]
        for code in city_shares[tree[0].unit.pk]
    }

    # Plans top-down (a child names its parent and the parent's indicators) …
    counts: Counter = Counter()

    def structure(issuer, members, shares, parent):
        with transaction.atomic():
            return plan_structure(
                spec=spec,
                slug=_slug(issuer, year, prefix),
                year=year,
                federation=issuer,
                members=members,
                shares=shares,
                months=months,
                counts=counts,
                parent=parent,
                title=f"{issuer.name}{year}年重点工作专案（性能测试数据）",
            )

    top = structure(province, [c.unit for c in tree], province_shares, None)
    parts = {}
    for city in tree:
        parts[city.unit.pk] = structure(
            city.unit, city.members, city_shares[city.unit.pk], top.plan
        )
        for county, unions in city.counties:
            parts[county.pk] = structure(
                county, unions, union_shares[county.pk], parts[city.unit.pk].plan
            )

    # … reports bottom-up (a federation reports its own plan's approved totals upward).
    def reports(part, given=None):
        with transaction.atomic():
            return plan_reports(part, rng=rng, counts=counts, given=given)

    city_totals = {}
    for city in tree:
        county_totals = {county.pk: reports(parts[county.pk]) for county, _ in city.counties}
        city_totals[city.unit.pk] = reports(parts[city.unit.pk], county_totals)
    reports(top, city_totals)

    plans = [top.plan] + [
        parts[u.pk].plan for c in tree for u in [c.unit, *(k for k, _ in c.counties)]
    ]
    counts["plans"] = len(plans)
    counts["units"] = 1 + sum(
        1 + len(c.members) + sum(len(unions) for _, unions in c.counties) for c in tree
    )
    return BenchData(plans=plans, units=[c.unit for c in tree], counts=counts)


def chain_delete(*, prefix: str) -> int:
    """Delete the bench plans `<prefix>-…`, children before their parents; how many."""
    plans = {
        p.pk: p
        for p in Plan.objects.filter(slug__startswith=f"{prefix}-", source_sha256=BENCH_MARK)
    }
    deleted = 0
    while plans:
        parents = {p.parent_id for p in plans.values()}
        for pk in [pk for pk in plans if pk not in parents]:
            bench_plan_delete(slug=plans.pop(pk).slug)
            deleted += 1
    return deleted


def _slug(issuer: Unit, year: int, prefix: str) -> str:
    # The province's plan is `<prefix>-<year>`, a city's or county's `<its code>-<year>`.
    return f"{prefix}-{year}" if issuer.kind == Unit.Kind.PROVINCE else f"{issuer.code}-{year}"


def _unit(code: str, kind: str, short: str, owner: Unit | None, order: int) -> Unit:
    ending, stem = KIND_NAMES[kind]
    return Unit(
        code=code,
        name=f"{code}{ending}",
        short_name=f"{stem}{short}",
        kind=kind,
        parent=owner,
        federation=owner,
        order=order,
    )


def _level(wanted: list[Unit], existing: dict[str, Unit]) -> dict[str, Unit]:
    """Create the units of `wanted` missing from `existing`, and bring those of another shape
    of the chain (a county then, a district now) up to date; refuse a code a unit this
    generator did not make holds (its name does not start with the code)."""
    fields = ("name", "short_name", "kind", "parent_id", "federation_id", "order")
    changed = []
    for unit in wanted:
        other = existing.get(unit.code)
        if other is None:
            continue
        if not other.name.startswith(unit.code):
            raise ServiceError(BENCH_UNIT_TAKEN.format(name=unit.code))
        if any(getattr(other, f) != getattr(unit, f) for f in fields):
            for f in fields:
                setattr(other, f, getattr(unit, f))
            changed.append(other)
    Unit.objects.bulk_update(changed, [f.removesuffix("_id") for f in fields], batch_size=BATCH)
    Unit.objects.bulk_create([u for u in wanted if u.code not in existing], batch_size=BATCH)
    return Unit.objects.in_bulk([u.code for u in wanted], field_name="code")


def _tree_ensure(
    prefix: str, cities: int, city_units: int, counties: int, county_units: int
) -> tuple[Unit, list[City]]:
    """The province, its cities, their units and the counties' unions, created if missing."""
    existing = Unit.objects.in_bulk(
        list(Unit.objects.filter(code__startswith=f"{prefix}-").values_list("code", flat=True)),
        field_name="code",
    )
    province = existing.get(f"{prefix}-0000")
    wanted = _unit(f"{prefix}-0000", Unit.Kind.PROVINCE, prefix, None, 0)
    if province is None:
        province = wanted
        province.save()
        province.federation = province  # a federation owns itself (plans.owners)
        province.save(update_fields=["federation"])
    elif province.name != wanted.name:
        raise ServiceError(BENCH_UNIT_TAKEN.format(name=province.code))
    city_units_of = _level(
        [
            _unit(f"{prefix}-c{i:02d}", Unit.Kind.CITY, f"{i:02d}", province, i)
            for i in range(1, cities + 1)
        ],
        existing,
    )
    tree = [City(city_units_of[f"{prefix}-c{i:02d}"], []) for i in range(1, cities + 1)]
    members = _level(
        [
            _unit(
                f"{city.unit.code}-u{j:02d}",
                Unit.Kind.COUNTY if j <= counties else CITY_UNIT_KINDS[j % len(CITY_UNIT_KINDS)],
                f"{i:02d}{j:02d}",
                city.unit,
                j,
            )
            for i, city in enumerate(tree, start=1)
            for j in range(1, city_units + 1)
        ],
        existing,
    )
    for city in tree:
        city.members = [members[f"{city.unit.code}-u{j:02d}"] for j in range(1, city_units + 1)]
    unions = _level(
        [
            _unit(
                f"{county.code}-{k:04d}",
                Unit.Kind.GRASSROOTS,
                f"{county.short_name.removeprefix('县')}{k:03d}",
                county,
                k,
            )
            for city in tree
            for county in city.members[:counties]
            for k in range(1, county_units + 1)
        ],
        existing,
    )
    for city in tree:
        city.counties = [
            (county, [unions[f"{county.code}-{k:04d}"] for k in range(1, county_units + 1)])
            for county in city.members[:counties]
        ]
    return province, tree
