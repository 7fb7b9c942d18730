from django.urls import path

from reporting import views
from reporting.views import late_requests

app_name = "reporting"

urlpatterns = [
    path("obligations/<int:pk>/", views.report_page, name="report"),
    path("obligations/<int:pk>/save/", views.report_save, name="report_save"),
    path("obligations/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("obligations/<int:pk>/confirm/", views.report_confirm, name="report_confirm"),
    path("obligations/<int:pk>/send-back/", views.report_send_back, name="report_send_back"),
    path("obligations/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("obligations/<int:pk>/return/", views.report_return, name="report_return"),
    path("obligations/<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("obligations/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("review/", views.review_list, name="review"),
    path("obligations/<int:pk>/late-request/", late_requests.late_request_new, name="late_new"),
    path("late-requests/", late_requests.late_requests, name="late_requests"),
    path("late-requests/<int:pk>/", late_requests.late_request, name="late_request"),
    path(
        "late-requests/<int:pk>/approve/",
        late_requests.late_request_approve_view,
        name="late_approve",
    ),
    path(
        "late-requests/<int:pk>/reject/", late_requests.late_request_reject_view, name="late_reject"
    ),
    path(
        "late-requests/<int:pk>/revoke/", late_requests.late_request_revoke_view, name="late_revoke"
    ),
    path(
        "late-requests/<int:pk>/files/<int:evidence_pk>/",
        late_requests.late_request_file,
        name="late_file",
    ),
    path("plans/<slug:slug>/chase/", views.chase, name="chase"),
    path("plans/<slug:slug>/chase.xlsx", views.chase_export, name="chase_export"),
    path("plans/<slug:slug>/chase/remind/", views.chase_remind, name="chase_remind"),
    path(
        "plans/<slug:slug>/programmes/<int:number>/progress/",
        views.programme_progress,
        name="programme_progress",
    ),
    path("plans/<slug:slug>/calendar-status/", views.calendar_status, name="calendar_status"),
    path("plans/<slug:slug>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<slug:slug>/city-figures/", views.city_figure_list, name="city_figures"),
    path(
        "plans/<slug:slug>/city-figures/<str:code>/",
        views.city_figure_history,
        name="city_figure_history",
    ),
    path(
        "plans/<slug:slug>/city-figures/<str:code>/enter/",
        views.city_figure_enter,
        name="city_figure_enter",
    ),
    path(
        "city-figures/<int:pk>/evidence/", views.city_figure_evidence, name="city_figure_evidence"
    ),
    path(
        "city-figures/<int:pk>/withdraw/", views.city_figure_withdraw, name="city_figure_withdraw"
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
