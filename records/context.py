"""What checking a row needs beyond the row: the unit directory and the working-day calendar."""

from __future__ import annotations

from functools import cached_property

from orgs.models import Unit
from orgs.resolver import UnitDirectory
from records.fields import FieldInvalid
from records.models import FormDefinition
from reporting.calendar import WorkdayCalendar


class RowContext:
    """Built once per request or upload and shared by every row it checks."""

    def __init__(self, form: FormDefinition):
        self.form = form
        self.schema = form.schema

    @cached_property
    def calendar(self) -> WorkdayCalendar:
        year = self.form.plan.year
        return WorkdayCalendar(range(year - 1, year + 2))

    @cached_property
    def directory(self) -> UnitDirectory:
        units = Unit.objects.filter(plans=self.form.plan).prefetch_related("aliases")
        return UnitDirectory.from_units(units)

    @cached_property
    def unit_names(self) -> dict[int, str]:
        return dict(Unit.objects.filter(plans=self.form.plan).values_list("pk", "short_name"))

    def resolve_unit(self, name: str) -> int:
        found = self.directory.resolve(name)
        if not found.ok:
            raise FieldInvalid(found.message)
        return found.unit.pk

    def check(self, raw, *, files=None):
        return self.schema.check_row(
            raw, resolve_unit=self.resolve_unit, calendar=self.calendar, files=files
        )
