"""What apps above plans add to a plan, without plans importing them.

Plans sit below records in the layering (docs/architecture.md): the forms a plan file declares
are records', so records registers here, in its AppConfig.ready(), how to read their section of
the plan file, how to load them with the plan and how to describe them on the programme page.

A section reader class is made once per file with the file's shared list of problems and every
indicator code the plan declares, and reads each programme's section with
`read(value, loc) -> list`; its results land on `ProgrammeSpec.sections[key]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

# Called inside the plan load's transaction, with the loaded rows:
# hook(spec=, plan=, programmes=, indicators=, counts=).
_after_load: list[Callable[..., None]] = []
# describe(programme=) → one dict per form, for the programme page.
_form_describers: list[Callable[..., list[dict]]] = []
# find(plan=) → more findings of the consistency check (plans.consistency.Finding), from
# what apps above know: dashboards compares a part's approved figures with its whole's.
_finding_sources: list[Callable[..., list[Any]]] = []


def after_plan_load(hook: Callable[..., None]) -> None:
    if hook not in _after_load:
        _after_load.append(hook)


def programme_forms_describer(describe: Callable[..., list[dict]]) -> None:
    if describe not in _form_describers:
        _form_describers.append(describe)


def consistency_findings_source(find: Callable[..., list[Any]]) -> None:
    if find not in _finding_sources:
        _finding_sources.append(find)


def consistency_findings(*, plan) -> list[Any]:
    return [finding for find in _finding_sources for finding in find(plan=plan)]


# lines(plan=, unit=, as_of=) → the unit's rules (每单位要求) judged as of the date, each with
# `programme_number`, `text`, `result`, `met`, `overdue`, `due` (records.selectors.rules).
_unit_rules_sources: list[Callable[..., list[Any]]] = []


def unit_rules_source(lines: Callable[..., list[Any]]) -> None:
    _unit_rules_sources[:] = [lines]


def unit_rules(*, plan, unit, as_of) -> list[Any]:
    """The rules `unit` is held to under `plan`, judged as of `as_of`; none without records."""
    found = []
    for lines in _unit_rules_sources:
        found.extend(lines(plan=plan, unit=unit, as_of=as_of))
    return found


# describe(programme=) → panels for the programme page, each a dict with the "template" (of
# the app above) that renders it and what that template shows (campaigns' 评选).
_panel_describers: list[Callable[..., list[dict]]] = []


def programme_panels_describer(describe: Callable[..., list[dict]]) -> None:
    if describe not in _panel_describers:
        _panel_describers.append(describe)


def programme_panels(*, programme) -> list[dict]:
    return [panel for describe in _panel_describers for panel in describe(programme=programme)]


def plan_loaded(**rows) -> None:
    for hook in _after_load:
        hook(**rows)


def programme_forms(*, programme) -> list[dict]:
    return [form for describe in _form_describers for form in describe(programme=programme)]


class SectionReader(Protocol):
    def __init__(self, problems: list[str], indicator_codes: set[str]) -> None: ...

    def read(self, value: Any, loc: str) -> list[Any]: ...


_readers: dict[str, type[SectionReader]] = {}


def register_programme_section(key: str, reader: type[SectionReader]) -> None:
    """Read each programme's `key:` with `reader`; its results land on
    `ProgrammeSpec.sections[key]`."""
    _readers[key] = reader


def programme_sections() -> dict[str, type[SectionReader]]:
    return dict(_readers)


# -- what the table and unit imports need from apps above (plans/importing.py) --------------


class SheetRefused(ValueError):
    """The whole uploaded file cannot be read; the message (Chinese) is shown as is."""


# (read, refused): `read(uploaded)` returns the first sheet's non-blank rows (`rows`,
# `numbers`, `formulas`) or raises `refused` with a Chinese reason.
_sheet_reader: list[tuple[Callable[[Any], Any], type[Exception]]] = []
# find(indicator_ids=, unit_ids=) → {(indicator_id, unit_id)} with an approved figure now.
_figure_finders: list[Callable[..., set[tuple[int, int]]]] = []


def sheet_reader(read: Callable[[Any], Any], *, refused: type[Exception]) -> None:
    """How an uploaded spreadsheet is read, with the guards against crafted files that the
    records app keeps (records/imports/files.py)."""
    _sheet_reader[:] = [(read, refused)]


def read_sheet(uploaded) -> Any:
    if not _sheet_reader:
        raise SheetRefused("系统未启用 Excel 读取，暂不能导入文件。")
    read, refused = _sheet_reader[0]
    try:
        return read(uploaded)
    except refused as exc:
        raise SheetRefused(str(exc)) from exc


def approved_figures_finder(find: Callable[..., set[tuple[int, int]]]) -> None:
    if find not in _figure_finders:
        _figure_finders.append(find)


def approved_figures(*, indicator_ids: set[int], unit_ids: set[int]) -> set[tuple[int, int]]:
    """(indicator id, unit id) pairs among those given with an approved figure that counts
    now (reporting's official figures): such a unit's allocation may not be dropped."""
    if not indicator_ids or not unit_ids:
        return set()
    found: set[tuple[int, int]] = set()
    for find in _figure_finders:
        found |= find(indicator_ids=indicator_ids, unit_ids=unit_ids)
    return found


# -- what editing a running plan needs from apps above (plans/editing/) -----------------------


@dataclass(frozen=True)
class Use:
    """Something of an app above that an indicator or a step carries: `kind` is FIGURES
    (numbers reported or approved: the measure may not change), REPORTS (units' reports) or
    FORM (a form computing it); `text` says it in Chinese (3 个进度值)."""

    kind: str
    text: str


FIGURES, REPORTS, FORM = "figures", "reports", "form"
# find(indicator_ids=) / find(milestone_ids=) → {id: [Use]}; a fixed number of queries each.
_indicator_uses: list[Callable[..., dict[int, list[Use]]]] = []
_milestone_uses: list[Callable[..., dict[int, list[Use]]]] = []
# follow(plan=) → what the units' obligations became: {"added", "removed", "kept"} counts.
_obligation_followers: list[Callable[..., dict[str, int]]] = []


def indicator_uses_finder(find: Callable[..., dict[int, list[Use]]]) -> None:
    if find not in _indicator_uses:
        _indicator_uses.append(find)


def milestone_uses_finder(find: Callable[..., dict[int, list[Use]]]) -> None:
    if find not in _milestone_uses:
        _milestone_uses.append(find)


def obligations_follower(follow: Callable[..., dict[str, int]]) -> None:
    _obligation_followers[:] = [follow]


def _merged(finders, **ids) -> dict[int, list[Use]]:
    found: dict[int, list[Use]] = {}
    for find in finders:
        for pk, uses in find(**ids).items():
            found.setdefault(pk, []).extend(uses)
    return found


def indicator_uses(*, indicator_ids: set[int]) -> dict[int, list[Use]]:
    """What apps above hold of each indicator: reports, figures, forms computing it."""
    return _merged(_indicator_uses, indicator_ids=indicator_ids) if indicator_ids else {}


def milestone_uses(*, milestone_ids: set[int]) -> dict[int, list[Use]]:
    """What apps above hold of each step: the reports units made on its obligations."""
    return _merged(_milestone_uses, milestone_ids=milestone_ids) if milestone_ids else {}


def obligations_follow(*, plan) -> dict[str, int] | None:
    """The units' obligations made again after the plan changed (reporting's generation,
    which keeps those with reports); None when no app makes obligations."""
    if not _obligation_followers:
        return None
    return _obligation_followers[0](plan=plan)
