"""The bulletin's title, addressee line and signature: the plan file's `bulletin`, else derived
from the plan's groups, units and issuer (docs/plan-file.md)."""

from __future__ import annotations

from orgs.models import Unit
from plans.groups import quoted_names
from plans.levels import plan_level
from plans.models import Plan

# Unit kind → how the addressee line names such units, in the line's order; "{local}" is the
# issuer's level (市直各单位工会 in a city's bulletin, 省直 in a province's).
ADDRESSEES = {
    Unit.Kind.CITY: "各设区市总工会",
    Unit.Kind.FEDERATION: "各设区市总工会",
    Unit.Kind.COUNTY_CITY: "各县（市、区）总工会",
    Unit.Kind.COUNTY: "各县（市、区）总工会",
    Unit.Kind.DISTRICT: "各县（市、区）总工会",
    Unit.Kind.ZONE: "各功能区工会联合会",
    Unit.Kind.INDUSTRY_UNION: "各产业工会",
    Unit.Kind.ORGAN_UNION: "{local}直各单位工会",
    Unit.Kind.ENTERPRISE_UNION: "各直属企业工会",
    Unit.Kind.TOWNSHIP: "各乡镇（街道）工会",
    Unit.Kind.GRASSROOTS: "各基层工会",
    Unit.Kind.OTHER: "各有关单位",
}


def bulletin_title(plan: Plan) -> str:
    """关于2022年“五大行动”“十件实事”专案推进情况的通报, unless the file gives its own."""
    return (plan.bulletin or {}).get("title") or (
        f"关于{plan.year}年{quoted_names(plan)}专案推进情况的通报"
    )


def bulletin_addressees(plan: Plan) -> str:
    """The addressee line without its colon: the file's, else each kind of the plan's units
    but the issuer named once, in ADDRESSEES' order (one query)."""
    given = (plan.bulletin or {}).get("addressees")
    if given:
        return given
    kinds = set(
        plan.units.exclude(pk=plan.issuer_id).order_by().values_list("kind", flat=True).distinct()
    )
    local = plan_level(plan).local
    names = dict.fromkeys(ADDRESSEES[k].format(local=local) for k in ADDRESSEES if k in kinds)
    return "，".join(names or ["各有关单位"])


def bulletin_signature(plan: Plan) -> str:
    """The issuer's full name, under the text."""
    return plan.issuer.name
