from django.urls import path

from orgs import robot_views, views

app_name = "orgs"

urlpatterns = [
    path("password/change/", views.password_change, name="password_change"),
    # Second factor: every user; enrolment and a code are required of the administrators
    path("two-factor/", views.otp_settings, name="otp_settings"),
    path("two-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("two-factor/enrol/qr.svg", views.otp_qr, name="otp_qr"),
    path("two-factor/verify/", views.otp_verify, name="otp_verify"),
    # System administrator
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active_set, name="user_active_set"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("users/unit-accounts/", views.unit_accounts_plans, name="unit_accounts_plans"),
    path(
        "users/unit-accounts/<slug:slug>/",
        views.unit_accounts_preview,
        name="unit_accounts_preview",
    ),
    path(
        "users/unit-accounts/<slug:slug>/create/",
        views.unit_accounts_create,
        name="unit_accounts_create",
    ),
    # System administrator: 企业微信 / 钉钉 group robots (群机器人)
    path("robots/", robot_views.robot_list, name="robot_list"),
    path("robots/new/", robot_views.robot_create, name="robot_create"),
    path("robots/<int:pk>/edit/", robot_views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", robot_views.robot_delete, name="robot_delete"),
    path("robots/<int:pk>/test/", robot_views.robot_test, name="robot_test"),
    # Security administrator
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/", views.role_change, name="role_change"),
    path("locked/", views.locked_list, name="locked_list"),
    path("locked/unlock/", views.account_unlock, name="account_unlock"),
    path("policy/", views.policy, name="policy"),
    path("roles/<int:pk>/two-factor/", views.otp_reset, name="otp_reset"),
]
