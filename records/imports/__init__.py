"""Excel and csv round trip of a form: the template, reading an upload, checking its rows."""

from records.imports.checking import ImportCheck, import_check
from records.imports.files import MAX_COLUMNS, MAX_ROWS, FileRefused, Sheet, read_upload
from records.imports.template import template_xlsx

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "FileRefused",
    "ImportCheck",
    "Sheet",
    "import_check",
    "read_upload",
    "template_xlsx",
]
