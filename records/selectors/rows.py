"""A form's rows, one row, its files and its history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.models import AuditEntry
from evidence.models import Evidence
from orgs.access import record_scope
from orgs.models import Unit, User
from plans.models import Plan
from records.fields import FieldDef
from records.models import FormDefinition, Record
from records.schema import FormSchema
from records.selectors.common import PAGE_SIZE, WITH_UNIT

# -- rows of one form ---------------------------------------------------------------------------


@dataclass
class Column:
    definition: FieldDef

    @property
    def label(self) -> str:
        return self.definition.header()


@dataclass
class RowView:
    record: Record
    cells: list[tuple[str, str]]  # (column header, shown value)
    overdue: bool


def columns_of(schema: FormSchema) -> list[Column]:
    return [Column(f) for f in schema.fields]


def _cells(record: Record, schema: FormSchema, unit_names: dict[int, str]) -> list[tuple[str, str]]:
    values = schema.load_values(record.data)
    files: dict[str, int] = defaultdict(int)
    for e in record.evidence.all():
        files[e.field_code] += 1
    cells = []
    for f in schema.fields:
        if f.type == "file":
            text = f"{files[f.code]} 个文件" if files[f.code] else ""
        else:
            text = f.show(values.get(f.code), unit_names=unit_names)
        cells.append((f.header(), text))
    return cells


def with_evidence(queryset: QuerySet[Record]) -> QuerySet[Record]:
    return queryset.prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.only("id", "owner_type_id", "owner_id", "field_code"),
        )
    )


def row_views(
    records, schema: FormSchema, unit_names: dict[int, str], today: dt.date
) -> list[RowView]:
    return [
        RowView(
            r,
            _cells(r, schema, unit_names),
            bool(r.status in WITH_UNIT and r.due_date and r.due_date < today),
        )
        for r in records
    ]


def record_page(
    *,
    actor: User,
    form: FormDefinition,
    unit: Unit | None,
    status: str,
    page: int | str,
) -> Page:
    """One page of the form's rows the actor may see, oldest first."""
    queryset = Record.objects.filter(form=form).filter(record_scope(actor))
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if status:
        queryset = queryset.filter(status=status)
    queryset = with_evidence(queryset.select_related("unit", "form__plan")).order_by(
        "unit__order", "created_at", "id"
    )
    return Paginator(queryset, PAGE_SIZE).get_page(page)


# -- one row ------------------------------------------------------------------------------------


def record_get(*, actor: User, plan: Plan, pk: int) -> Record:
    """One row the actor may see (another unit's or department's → 404)."""
    queryset = (
        Record.objects.filter(record_scope(actor))
        .filter(form__plan=plan)
        .select_related("form__programme", "form__plan", "unit")
        .prefetch_related("form__programme__departments", "evidence")
    )
    return get_object_or_404(queryset, pk=pk)


def records_for_action(*, actor: User, pks) -> list[Record]:
    """The rows picked for a batch action; any row outside the actor's scope → 404."""
    records = list(
        Record.objects.filter(record_scope(actor))
        .filter(pk__in=pks)
        .select_related("form__programme")
        .prefetch_related("form__programme__departments")
    )
    if len(records) != len(set(pks)):
        raise Http404("没有找到该记录")
    return records


def evidence_get(*, actor: User, pk: int) -> tuple[Evidence, Record]:
    """A row's file and its row, if the actor may see the row (another unit's file is a 404)."""
    evidence = get_object_or_404(
        Evidence.objects.of_kind(Record).filter(record_scope(actor, prefix="record__")), pk=pk
    )
    record = Record.objects.select_related("form__plan").get(pk=evidence.owner_id)
    return evidence, record


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryItem:
    entry: AuditEntry
    changes: list[Change]


def _changes(entry: AuditEntry, schema: FormSchema, unit_names: dict[int, str]) -> list[Change]:
    before = (entry.before or {}).get("data") or {}
    after = (entry.after or {}).get("data") or {}
    if not after:
        return []
    # Personal values are kept masked; their index tells a change the masks hide (a middle
    # digit of a phone).
    before_index = (entry.before or {}).get("personal_index") or {}
    after_index = (entry.after or {}).get("personal_index") or {}
    changes = []
    for f in schema.fields:
        if f.type == "file":
            continue
        hidden_change = f.personal and before_index.get(f.code) != after_index.get(f.code)
        if before.get(f.code) == after.get(f.code) and not (entry.before and hidden_change):
            continue
        try:
            old = f.show(f.load(before.get(f.code)), unit_names=unit_names)
            new = f.show(f.load(after.get(f.code)), unit_names=unit_names)
        except (TypeError, ValueError, KeyError, ArithmeticError):
            # An entry written under an older form definition: show the stored text.
            old, new = str(before.get(f.code) or ""), str(after.get(f.code) or "")
        if f.personal and old == new:
            new = f"{new}（已更改）"
        changes.append(Change(f.label, old, new))
    return changes


def record_history(*, record: Record, unit_names: dict[int, str]) -> list[HistoryItem]:
    entries = AuditEntry.objects.filter(
        object_type="records.record", object_id=str(record.pk)
    ).order_by("at", "id")
    schema = record.form.schema
    return [HistoryItem(e, _changes(e, schema, unit_names)) for e in entries]
