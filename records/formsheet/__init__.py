"""A form definition as a spreadsheet, in the manner of XLSForm: written from a stored form or
blank (write.py), read back into the plan file's `forms:` entry and checked by the plan file's
own reader (read.py). The layout and its Chinese words are in layout.py; docs/plan-file.md,
*Forms as spreadsheets*, describes it for people."""

from records.formsheet.read import FormSheet, form_sheet_check, form_sheet_read
from records.formsheet.stored import form_spec_json, form_spec_of, indicator_names
from records.formsheet.write import form_sheet_xlsx

__all__ = [
    "FormSheet",
    "form_sheet_check",
    "form_sheet_read",
    "form_sheet_xlsx",
    "form_spec_json",
    "form_spec_of",
    "indicator_names",
]
