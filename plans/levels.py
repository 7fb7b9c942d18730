"""The words a plan's pages use for its issuer, by the issuer's level (全省/省总, 全市/市总…).

A city's staff read 全市总览, 市总统计 and a unit head 确认并报送市总; a province's read 全省 and
省总, a county's 全县 and 县总. `plan_level` gives those words for a plan, `unit_level` for a
federation; templates read them as `level` (plans.context_processors).
"""

from __future__ import annotations

from dataclasses import dataclass

from orgs.models import Unit


@dataclass(frozen=True)
class Level:
    scope: str  # the whole area the plan covers: 全省, 全市, 全县, 全区 (全市总览, 全市目标)
    federation: str  # the federation's short word: 省总, 市总 (市总统计, 确认并报送市总)
    federation_full: str  # its name as a body: 省总工会, 市总工会 (报送市总工会)
    local: str  # the level's one character: 省, 市 (市直各单位工会)
    issuer: str = ""  # the issuer's full name: 平顶山市总工会 ("" when no plan is at hand)

    def __str__(self) -> str:
        return self.federation

    def words(self, text: str) -> str:
        """`text` written for a city federation (市总工会, 市总, 全市) in this level's words."""
        return (
            text.replace("市总工会", self.federation_full)
            .replace("市总", self.federation)
            .replace("全市", self.scope)
        )


# Unit kind → (scope, federation, federation_full, local). 汝州市总工会 (a county-level city)
# is read 市总 by its own staff, 新华区总工会 区总, 宝丰县总工会 县总.
_WORDS = {
    Unit.Kind.PROVINCE: ("全省", "省总", "省总工会", "省"),
    Unit.Kind.CITY: ("全市", "市总", "市总工会", "市"),
    Unit.Kind.FEDERATION: ("全市", "市总", "市总工会", "市"),
    Unit.Kind.COUNTY_CITY: ("全市", "市总", "市总工会", "市"),
    Unit.Kind.COUNTY: ("全县", "县总", "县总工会", "县"),
    Unit.Kind.DISTRICT: ("全区", "区总", "区总工会", "区"),
    Unit.Kind.TOWNSHIP: ("全乡镇", "乡镇工会", "乡镇工会", "乡镇"),
}
# The kinds of a federation (总工会) of some level, which counts figures of its own (市总统计).
FEDERATION_KINDS = frozenset(_WORDS)
# No plan at hand (a page of no plan): the units' own word for whoever they report to.
NEUTRAL = Level(scope="本级", federation="上级工会", federation_full="上级工会", local="本级")


def unit_level(unit: Unit | None) -> Level:
    """The words for plans `unit` issues. A kind of no level of its own (a 功能区工会联合会, an
    industry union…) reads 本级 and names itself in full."""
    if unit is None:
        return NEUTRAL
    words = _WORDS.get(unit.kind)
    if words is None:
        return Level(
            scope="本级",
            federation=unit.name,
            federation_full=unit.name,
            local="本级",
            issuer=unit.name,
        )
    scope, federation, full, local = words
    return Level(scope, federation, full, local, issuer=unit.name)


def plan_level(plan) -> Level:
    """The words for `plan`'s issuer; NEUTRAL for no plan. Reads `plan.issuer`, which the
    plans' selectors fetch with the plan."""
    return unit_level(plan.issuer) if plan else NEUTRAL
