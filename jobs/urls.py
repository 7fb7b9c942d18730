from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/file/", views.download, name="download"),
]
