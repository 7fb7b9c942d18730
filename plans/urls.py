from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/programmes/<int:number>/", views.programme, name="programme"),
    path("<slug:slug>/units/", views.unit_list, name="units"),
    path("<slug:slug>/units/<slug:code>/", views.unit_detail, name="unit"),
    path("<slug:slug>/consistency/", views.consistency, name="consistency"),
    path("<slug:slug>/tables/<str:code>.xlsx", views.table_export, name="table_export"),
]
