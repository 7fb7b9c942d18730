from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("password/change/", views.password_change, name="password_change"),
    # System administrator
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active_set, name="user_active_set"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    # Security administrator
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/", views.role_change, name="role_change"),
    path("locked/", views.locked_list, name="locked_list"),
    path("locked/unlock/", views.account_unlock, name="account_unlock"),
    path("policy/", views.policy, name="policy"),
]
