"""Editing a plan in the browser while it runs: a programme's words, its indicators, its
allocation tables' values and its dated steps, each change checked as the plan file reader
checks the file, written in one transaction and audited before → after.

What units have reported is never lost: deleting an indicator or a step that reports,
figures or a form rest on is refused with what is at stake (apps above plans say what through
`plans.extensions`), and so is changing an indicator's measure once figures are in. On a
running plan the units' obligations follow every change (reporting's generation, which keeps
obligations with reports), and the result says how many were added, removed and kept, and
which of the consistency check's findings the change brought.

The database is changed, not the plan file: loading the old file again undoes the edits
(docs/plan-file.md).
"""

from plans.editing.common import EditResult, FieldRefused, programme_findings
from plans.editing.indicators import (
    COMPARATOR_WORDS,
    EVENT_INDICATOR_ADDED,
    EVENT_INDICATOR_DELETED,
    EVENT_INDICATOR_UPDATED,
    IndicatorInput,
    indicator_add,
    indicator_delete,
    indicator_delete_blockers,
    indicator_update,
    target_read,
    target_typed,
)
from plans.editing.milestones import (
    EVENT_MILESTONE_ADDED,
    EVENT_MILESTONE_DELETED,
    EVENT_MILESTONE_UPDATED,
    MilestoneInput,
    milestone_add,
    milestone_delete,
    milestone_delete_blockers,
    milestone_update,
)
from plans.editing.programmes import EVENT_PROGRAMME_UPDATED, ProgrammeInput, programme_update
from plans.editing.tables import (
    Grid,
    allocation_table_edit,
    cell_name,
    table_grid,
    table_grid_preview,
    total_name,
)

__all__ = [
    "COMPARATOR_WORDS",
    "EVENT_INDICATOR_ADDED",
    "EVENT_INDICATOR_DELETED",
    "EVENT_INDICATOR_UPDATED",
    "EVENT_MILESTONE_ADDED",
    "EVENT_MILESTONE_DELETED",
    "EVENT_MILESTONE_UPDATED",
    "EVENT_PROGRAMME_UPDATED",
    "EditResult",
    "FieldRefused",
    "Grid",
    "IndicatorInput",
    "MilestoneInput",
    "ProgrammeInput",
    "allocation_table_edit",
    "cell_name",
    "indicator_add",
    "indicator_delete",
    "indicator_delete_blockers",
    "indicator_update",
    "milestone_add",
    "milestone_delete",
    "milestone_delete_blockers",
    "milestone_update",
    "programme_findings",
    "programme_update",
    "table_grid",
    "table_grid_preview",
    "target_read",
    "target_typed",
    "total_name",
]
