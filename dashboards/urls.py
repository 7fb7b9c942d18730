from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/programmes/<int:number>/", views.matrix, name="matrix"),
    path(
        "<slug:slug>/programmes/<int:number>/units/<slug:code>/",
        views.cell_history,
        name="cell_history",
    ),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/timeliness/", views.timeliness, name="timeliness"),
    path("<slug:slug>/milestones/", views.milestones, name="milestones"),
    path("<slug:slug>/warnings/", views.warnings, name="warnings"),
    path("<slug:slug>/export/<slug:what>.xlsx", views.export, name="export"),
    path(
        "<slug:slug>/programmes/<int:number>/matrix.xlsx", views.matrix_export, name="matrix_export"
    ),
    path("<slug:slug>/bulletin.docx", views.bulletin, name="bulletin"),
    path("<slug:slug>/bulletin/", views.bulletin_start, name="bulletin_start"),
]
