from django.urls import path

from orgs import audit_views as views

# Named "audit" and served under /audit/ as before the pages moved here from the audit app.
app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("export.xlsx", views.entry_export, name="entry_export"),
]
