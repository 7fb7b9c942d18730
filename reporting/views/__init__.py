"""Reporting's pages, one module per concern; the views are re-exported here for the URLs."""

from reporting.views.city_figures import (
    city_figure_enter,
    city_figure_evidence,
    city_figure_history,
    city_figure_list,
    city_figure_withdraw,
)
from reporting.views.publishing import plan_publish
from reporting.views.report_page import (
    evidence_upload,
    report_approve,
    report_confirm,
    report_page,
    report_reopen,
    report_return,
    report_save,
    report_send_back,
    report_submit,
)
from reporting.views.reports import (
    calendar_status,
    chase,
    chase_export,
    chase_remind,
    evidence_delete,
    evidence_download,
    notification_open,
    notifications,
    notifications_read,
    programme_progress,
    review_list,
)

__all__ = [
    "city_figure_enter",
    "city_figure_evidence",
    "city_figure_history",
    "city_figure_list",
    "city_figure_withdraw",
    "report_page",
    "report_save",
    "report_submit",
    "report_confirm",
    "report_send_back",
    "report_approve",
    "report_return",
    "report_reopen",
    "evidence_upload",
    "evidence_download",
    "evidence_delete",
    "review_list",
    "chase",
    "chase_export",
    "chase_remind",
    "programme_progress",
    "notifications",
    "notifications_read",
    "notification_open",
    "calendar_status",
    "plan_publish",
]
