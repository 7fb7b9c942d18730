"""Writes for records: rows (add, change, delete), their review flow, and imports."""

from records.services.flow import (
    records_approve,
    records_confirm,
    records_reopen,
    records_return,
    records_send_back,
    records_submit,
)
from records.services.rows import (
    RowRefused,
    record_create,
    record_delete,
    record_recheck,
    record_update,
)

__all__ = [
    "RowRefused",
    "record_create",
    "record_delete",
    "record_recheck",
    "record_update",
    "records_approve",
    "records_confirm",
    "records_reopen",
    "records_return",
    "records_send_back",
    "records_submit",
]
