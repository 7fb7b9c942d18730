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
from typing import Any, Protocol

# Called inside the plan load's transaction, with the loaded rows:
# hook(spec=, plan=, programmes=, indicators=, counts=).
_after_load: list[Callable[..., None]] = []
# describe(programme=) → one dict per form, for the programme page.
_form_describers: list[Callable[..., list[dict]]] = []


def after_plan_load(hook: Callable[..., None]) -> None:
    if hook not in _after_load:
        _after_load.append(hook)


def programme_forms_describer(describe: Callable[..., list[dict]]) -> None:
    if describe not in _form_describers:
        _form_describers.append(describe)


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
