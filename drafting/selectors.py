"""What the drafter knows of a federation: its units (to resolve table rows) and departments."""

from __future__ import annotations

from orgs.models import Department, Unit


def federation_context(code: str | None) -> tuple[list | None, list[tuple[str, list[str]]]]:
    """(units with aliases, [(department, aliases)]) of the federation with unit code `code`;
    (None, []) without one. Raises LookupError with a Chinese message for an unknown code."""
    if not code:
        return None, []
    federation = Unit.objects.filter(code=code).first()
    if federation is None:
        raise LookupError(f"没有代码为「{code}」的工会")
    units = list(
        Unit.objects.filter(federation=federation).prefetch_related("aliases").order_by("pk")
    )
    departments = [
        (d.name, list(d.aliases)) for d in Department.objects.filter(federation=federation)
    ]
    return units, departments
