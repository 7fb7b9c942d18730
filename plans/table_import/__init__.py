"""Importing an allocation table (任务分解表) from a spreadsheet, with a preview of every row.

The sheet is laid out like the table's export (plans/exports.py) or as a notice prints it: a
单位 column, one column per indicator under its header as printed, a 合计/总计 row kept as the
printed total whatever the rows add up to, blank cells for no share, numbers as notices write
them (1,200, 4.6万: plans.planfile.printed). `table_sheet_read` reads it; nothing in the
database is looked at but the table's columns.

`table_import_preview` says what each row is: a unit the resolver found (orgs/resolver.py:
its name or alias, or its core name), the unit or the label row the table already maps that
label to, or ambiguous or unknown with candidates to choose from; the label rows of a table
(机关事业单位, 其它) are kept as the plan file keeps `unit: null` rows. It compares every value
with the table as it stands and the printed total with the sum.

`allocation_table_import` writes it, all or nothing, once every row is resolved, refusing a
closed plan and the loss of an allocation of a unit with approved figures for it; it may save
a chosen label as a new alias of the federation's own unit.
"""

from plans.table_import.preview import LABEL_CHOICE, RowPreview, TablePreview, table_import_preview
from plans.table_import.services import (
    EVENT_ALIAS_ADDED,
    EVENT_TABLE_IMPORTED,
    TableImportResult,
    allocation_table_import,
    result_message,
)
from plans.table_import.sheet import SALT, Problem, TableSheet, table_sheet_read

__all__ = [
    "EVENT_ALIAS_ADDED",
    "EVENT_TABLE_IMPORTED",
    "LABEL_CHOICE",
    "SALT",
    "Problem",
    "RowPreview",
    "TableImportResult",
    "TablePreview",
    "TableSheet",
    "allocation_table_import",
    "result_message",
    "table_import_preview",
    "table_sheet_read",
]
