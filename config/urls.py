from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards.todo import todo
from plans.views import home
from reporting.urls import urlpatterns as reporting_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("orgs.urls")),
    path("audit/", include("orgs.audit_urls")),
    path("plans/", include("plans.urls")),
    path("drafting/", include("drafting.urls")),
    # 我的待办 reads reports and form rows, so its view is dashboards' (above both); it keeps
    # its address and its name among reporting's.
    path(
        "reporting/",
        include(([path("todo/", todo, name="todo"), *reporting_urlpatterns], "reporting")),
    ),
    path("records/", include("records.urls")),
    path("supervision/", include("supervision.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("assessment/", include("assessment.urls")),
    path("jobs/", include("jobs.urls")),
]

# Every refusal is written to the audit log before the generic Chinese page is shown.
handler403 = "orgs.views.permission_denied"
