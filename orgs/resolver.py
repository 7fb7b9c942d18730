"""Resolving a unit name as written in a table or an upload to one unit, or saying why not.

Every importer goes through here. The resolver never guesses: it accepts an exact match on a
normalised name or alias, then a match on the core name (organisation endings removed) when that
core belongs to one unit only; anything else is reported as unknown or ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from orgs.names import core_name, normalise_name

U = TypeVar("U", bound=Hashable)


class DuplicateSpelling(ValueError):
    """One spelling is declared for two different units."""


@dataclass(frozen=True)
class Resolution(Generic[U]):
    query: str
    unit: U | None = None
    via: str = ""  # "name" (exact, normalised) or "core" (organisation ending removed)
    candidates: tuple[U, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.unit is not None

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1

    @property
    def message(self) -> str:
        if self.ok:
            return ""
        if self.ambiguous:
            names = "、".join(str(c) for c in self.candidates)
            return f"单位「{self.query}」有歧义，可能是：{names}"
        if self.candidates:
            names = "、".join(str(c) for c in self.candidates)
            return f"无法识别单位「{self.query}」（相近的单位：{names}）"
        return f"无法识别单位「{self.query}」"


class UnitDirectory(Generic[U]):
    """All spellings of a set of units, indexed for resolution.

    Units can be model instances or any hashable stand-in (the plan loader resolves against the
    units declared in a file before they exist in the database).
    """

    def __init__(self, entries: Iterable[tuple[U, Iterable[str]]]):
        self._exact: dict[str, U] = {}
        self._core: dict[str, list[U]] = defaultdict(list)
        self._order: list[U] = []
        for unit, spellings in entries:
            self._order.append(unit)
            for spelling in spellings:
                self._add(unit, spelling)

    def _add(self, unit: U, spelling: str) -> None:
        key = normalise_name(spelling)
        if not key:
            return
        owner = self._exact.get(key)
        if owner is not None and owner != unit:
            raise DuplicateSpelling(f"名称「{spelling}」同时属于「{owner}」和「{unit}」")
        self._exact[key] = unit
        core = core_name(spelling)
        if unit not in self._core[core]:
            self._core[core].append(unit)

    @classmethod
    def from_units(cls, units: Iterable) -> UnitDirectory:
        """From `orgs.Unit` instances with their aliases prefetched."""
        return cls(
            (unit, [unit.name, unit.short_name, *(a.alias for a in unit.aliases.all())])
            for unit in units
        )

    def resolve(self, name: str) -> Resolution[U]:
        query = (name or "").strip()
        key = normalise_name(query)
        if not key:
            return Resolution(query=query)
        if key in self._exact:
            return Resolution(query=query, unit=self._exact[key], via="name")
        by_core = self._core.get(core_name(query), [])
        if len(by_core) == 1:
            return Resolution(query=query, unit=by_core[0], via="core")
        if len(by_core) > 1:
            return Resolution(query=query, candidates=tuple(by_core))
        return Resolution(query=query, candidates=tuple(self._similar(key)))

    def _similar(self, key: str, limit: int = 3) -> list[U]:
        core = core_name(key)
        found: list[U] = []
        for spelling, unit in self._exact.items():
            if unit not in found and (core in spelling or core_name(spelling) in key):
                found.append(unit)
        return found[:limit]
