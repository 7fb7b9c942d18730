from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans.views import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("orgs.urls")),
    path("audit/", include("audit.urls")),
    path("plans/", include("plans.urls")),
    path("reporting/", include("reporting.urls")),
    path("records/", include("records.urls")),
    path("dashboards/", include("dashboards.urls")),
]

# Every refusal is written to the audit log before the generic Chinese page is shown.
handler403 = "orgs.views.permission_denied"
