"""Importing units into a plan's unit list from a spreadsheet, with a preview of every row.

Columns: 名称 (the full name), 简称, 类型 (in words: 县总工会, 产业工会, 市直工会…, as
plans.levels and the plan file's scope words say them), 上级, 代码 (optional: the short name
in pinyin when omitted, as `loadplan` makes it) and 别名 (several, separated by 、 or ，).

Each row's name goes through the resolver (orgs/resolver.py) over the federation's own units
and the plan's: a unit found is updated (short name, kind, parent when given; aliases only
added, never removed) and joins the plan; a name found nowhere is a new unit of the
federation. A unit of another federation is never changed: a row that would change one, or
a new unit whose code another federation's unit has, is an error, as `loadplan` refuses it
(plans/owners.py). `plan_units_import` writes the preview, all or nothing, audited.
"""

from plans.unit_import.preview import UnitPreview, UnitsPreview, plan_units_preview
from plans.unit_import.services import (
    EVENT_UNIT_CREATED,
    EVENT_UNIT_UPDATED,
    EVENT_UNITS_IMPORTED,
    UnitsImported,
    plan_units_import,
    result_message,
)
from plans.unit_import.sheet import SALT, Problem, UnitSheet, unit_sheet_read

__all__ = [
    "EVENT_UNITS_IMPORTED",
    "EVENT_UNIT_CREATED",
    "EVENT_UNIT_UPDATED",
    "SALT",
    "Problem",
    "UnitPreview",
    "UnitSheet",
    "UnitsImported",
    "UnitsPreview",
    "plan_units_import",
    "plan_units_preview",
    "result_message",
    "unit_sheet_read",
]
