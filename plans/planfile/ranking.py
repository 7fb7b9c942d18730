"""Reading a plan file's `ranking_groups` (排名分组): part of the plan file's reader (spec)."""

from __future__ import annotations

from typing import Any

from plans.planfile.data import SCOPE_HELP, SCOPE_WORDS, UNIT_KINDS, UnitSpec
from plans.ranking_groups import RESERVED


class RankingGroupReading:
    """`ranking_groups: [{name: 县（市、区）, kinds: [county_city, …], units: [ruzhou]}, …]`:
    each group's name, and its members by unit kind (a code, or a word of `SCOPE_WORDS`) and
    by unit code. Mixed into the plan file's reader, whose `fail`, `_list`, `_mapping` and
    `_text` it uses."""

    def ranking_groups(self, value: Any, units: list[UnitSpec]) -> list[dict]:
        result: list[dict] = []
        codes = {u.code for u in units}
        # unit code → (group name, the place that put it there)
        taken: dict[str, tuple[str, str]] = {}
        for i, item in enumerate(self._list(value, "ranking_groups")):
            loc = f"ranking_groups[{i}]"
            g = self._mapping(item, loc, {"name", "kinds", "units"}, {"name"})
            name = self._text(g["name"], f"{loc}.name") if "name" in g else ""
            if name in RESERVED:
                self.fail(
                    f"{loc}.name",
                    f"「{name}」由系统使用（{RESERVED[0]}：不在任何分组中的单位；"
                    f"{RESERVED[1]}：全部单位），请换一个名称",
                )
            elif name and name in (r["name"] for r in result):
                self.fail(f"{loc}.name", f"排名分组「{name}」重复")
            kinds = self._group_kinds(g.get("kinds"), f"{loc}.kinds")
            members = self._group_units(g.get("units"), f"{loc}.units", codes)
            if g and not kinds and not members and not self._listed(g):
                self.fail(loc, "应写明成员：kinds（单位类型）或 units（单位代码）")
            places = {code: f"{loc}.units[{k}]" for k, code in members}
            places |= {
                u.code: f"{loc}.kinds[{k}]"
                for u in units
                for k, kind in kinds
                if u.kind == kind and u.code not in places
            }
            self._taken_once(places, name, taken, units)
            result.append(
                {
                    "name": name,
                    "kinds": list(dict.fromkeys(kind for _k, kind in kinds)),
                    "units": list(dict.fromkeys(code for _k, code in members)),
                }
            )
        return result

    def _listed(self, g: dict) -> bool:
        """Whether the group lists members, known or not (unknown ones are said on their own)."""
        return bool(g.get("kinds") or g.get("units"))

    def _group_kinds(self, value: Any, loc: str) -> list[tuple[int, str]]:
        """(index in the file, kind) for each kind the entry names, words expanded."""
        kinds: list[tuple[int, str]] = []
        for k, entry in enumerate(self._list(value, loc)):
            text = self._text(entry, f"{loc}[{k}]")
            if text in UNIT_KINDS:
                kinds.append((k, text))
            elif text in SCOPE_WORDS:
                kinds.extend((k, kind) for kind in SCOPE_WORDS[text])
            elif text:
                self.fail(
                    f"{loc}[{k}]",
                    f"「{text}」不是单位类型；可写 {SCOPE_HELP}，或 "
                    + "、".join(w for w in SCOPE_WORDS if "（" in w or w == "县市区"),
                )
        return kinds

    def _group_units(self, value: Any, loc: str, codes: set[str]) -> list[tuple[int, str]]:
        members: list[tuple[int, str]] = []
        for k, entry in enumerate(self._list(value, loc)):
            code = self._text(entry, f"{loc}[{k}]")
            if code in codes:
                members.append((k, code))
            elif code:
                self.fail(f"{loc}[{k}]", f"units 中没有代码为「{code}」的单位")
        return members

    def _taken_once(
        self,
        places: dict[str, str],
        name: str,
        taken: dict[str, tuple[str, str]],
        units: list[UnitSpec],
    ) -> None:
        """Say, once per place, the units an earlier group already took."""
        short = {u.code: u.short_name for u in units}
        clashes: dict[tuple[str, str, str], list[str]] = {}
        for code, place in places.items():
            if code in taken:
                other, where = taken[code]
                clashes.setdefault((place, other, where), []).append(short[code])
            else:
                taken[code] = (name, place)
        for (place, other, where), names in clashes.items():
            self.fail(
                place,
                f"单位{'、'.join(f'「{n}」' for n in names)}已属于排名分组「{other}」（{where}），"
                "一个单位只能属于一个排名分组",
            )
