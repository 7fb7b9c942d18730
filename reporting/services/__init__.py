"""Writes for reporting, one module per concern; the public names are re-exported here."""

from reporting.services.city_figures import (
    city_figure_enter,
    city_figure_file,
    city_figure_withdraw,
)
from reporting.services.evidence import evidence_add, evidence_remove
from reporting.services.late_requests import (
    LATE_REQUEST,
    late_request_approve,
    late_request_create,
    late_request_reject,
    late_request_revoke,
)
from reporting.services.notifications import notifications_mark_read
from reporting.services.obligations import obligations_generate
from reporting.services.reminders import Reminder, reminder_send, reminders_due
from reporting.services.reports import (
    REPORT,
    FiguresRefused,
    FilesRefused,
    ValueInput,
    period_not_open,
    report_approve,
    report_confirm,
    report_for,
    report_reopen,
    report_return,
    report_save,
    report_send_back,
    report_submit,
)

__all__ = [
    "LATE_REQUEST",
    "REPORT",
    "FiguresRefused",
    "FilesRefused",
    "Reminder",
    "ValueInput",
    "city_figure_enter",
    "city_figure_file",
    "city_figure_withdraw",
    "evidence_add",
    "evidence_remove",
    "late_request_approve",
    "late_request_create",
    "late_request_reject",
    "late_request_revoke",
    "notifications_mark_read",
    "obligations_generate",
    "period_not_open",
    "reminder_send",
    "reminders_due",
    "report_approve",
    "report_confirm",
    "report_for",
    "report_reopen",
    "report_return",
    "report_save",
    "report_send_back",
    "report_submit",
]
