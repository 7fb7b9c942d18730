"""The department's review queue and the unit's to-do list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from orgs.access import record_scope
from orgs.models import Unit, User
from records.models import FormDefinition, Record
from records.selectors.common import WITH_UNIT, Status
from records.selectors.rows import Column, RowView, columns_of, row_views, with_evidence

# -- the department's review queue ---------------------------------------------------------------


@dataclass
class ReviewGroup:
    form: FormDefinition
    columns: list[Column]
    units: list[tuple[Unit, list[RowView]]]

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.units)


def review_queue(*, user: User, today: dt.date) -> list[ReviewGroup]:
    """Confirmed rows waiting for the actor's department, grouped by form, then by unit."""
    records = with_evidence(
        Record.objects.filter(status=Status.CONFIRMED)
        .filter(record_scope(user))
        .select_related("form__plan", "form__programme", "unit")
        .order_by(
            "form__plan__year",
            "form__programme__number",
            "form__order",
            "unit__order",
            "confirmed_at",
            "id",
        )
    )
    groups: dict[int, ReviewGroup] = {}
    unit_names: dict[int, str] = {}
    for record in records:
        unit_names[record.unit_id] = record.unit.short_name
        group = groups.get(record.form_id)
        if group is None:
            form = record.form
            group = groups[record.form_id] = ReviewGroup(form, columns_of(form.schema), [])
        if not group.units or group.units[-1][0].pk != record.unit_id:
            group.units.append((record.unit, []))
        group.units[-1][1].extend(row_views([record], group.form.schema, unit_names, today))
    return list(groups.values())


# -- the unit's to-do list ----------------------------------------------------------------------


@dataclass
class FormTodo:
    form: FormDefinition
    returned: int
    overdue: int
    drafts: int
    submitted: int
    # Sent on by the unit head and waiting for the department: not the unit's to do, but
    # counted beside its reports that wait the same way (待确认/审核).
    confirmed: int = 0


def records_todo_for(*, user: User, today: dt.date) -> list[FormTodo]:
    """Per form, the unit's rows that are returned, overdue, unsent or awaiting the head."""
    counted = (
        Record.objects.filter(unit_id=user.unit_id, status__in=(*WITH_UNIT, Status.CONFIRMED))
        .values("form_id")
        .annotate(
            returned=Count("id", filter=Q(status=Status.RETURNED)),
            overdue=Count("id", filter=Q(due_date__lt=today, status__in=WITH_UNIT)),
            drafts=Count("id", filter=Q(status=Status.DRAFT)),
            submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
            confirmed=Count("id", filter=Q(status=Status.CONFIRMED)),
        )
    )
    counts = {c["form_id"]: c for c in counted}
    forms = FormDefinition.objects.filter(pk__in=counts).select_related("plan", "programme")
    items = [
        FormTodo(
            f,
            counts[f.pk]["returned"],
            counts[f.pk]["overdue"],
            counts[f.pk]["drafts"],
            counts[f.pk]["submitted"],
            counts[f.pk]["confirmed"],
        )
        for f in forms.order_by("plan__year", "programme__number", "order")
    ]
    return [i for i in items if i.returned or i.overdue or i.drafts or i.submitted or i.confirmed]
