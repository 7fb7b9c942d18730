from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("<slug:slug>/", views.results, name="results"),
    path("<slug:slug>/units/<slug:code>/", views.unit, name="unit"),
    path("<slug:slug>/assessment.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/assessment.docx", views.export_docx, name="export_docx"),
]
