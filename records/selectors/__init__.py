"""Reads for records, each with a fixed number of queries whatever the number of rows or units.

A package since it grew past ~400 lines; the views use the names re-exported here.
"""

from records.selectors.common import (
    PAGE_SIZE,
    WITH_UNIT,
    form_get,
    forms_visible_to,
    plan_for_unit,
    plan_units,
    unit_in_plan,
)
from records.selectors.definitions import form_definition_get, plan_forms, programme_choices
from records.selectors.hub import Hub, HubRow, hub_get
from records.selectors.periods import FormPeriod, form_obligation_get, form_periods
from records.selectors.review import FormTodo, ReviewGroup, records_todo_for, review_queue
from records.selectors.rows import (
    Column,
    RowView,
    columns_of,
    evidence_get,
    record_get,
    record_history,
    record_page,
    records_for_action,
    row_views,
)

__all__ = [
    "PAGE_SIZE",
    "WITH_UNIT",
    "Column",
    "FormPeriod",
    "FormTodo",
    "Hub",
    "HubRow",
    "ReviewGroup",
    "RowView",
    "columns_of",
    "evidence_get",
    "form_definition_get",
    "form_get",
    "form_obligation_get",
    "form_periods",
    "forms_visible_to",
    "hub_get",
    "plan_for_unit",
    "plan_forms",
    "plan_units",
    "programme_choices",
    "record_get",
    "record_history",
    "record_page",
    "records_for_action",
    "records_todo_for",
    "review_queue",
    "row_views",
    "unit_in_plan",
]
