from django.urls import path  # noqa: F401  (patterns are added by the entry and import views)

app_name = "records"

urlpatterns: list = []
