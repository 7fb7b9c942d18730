from django.urls import path

from plans import edit_views, import_views, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/programmes/<int:number>/", views.programme, name="programme"),
    path("<slug:slug>/units/", views.unit_list, name="units"),
    path("<slug:slug>/units/<slug:code>/", views.unit_detail, name="unit"),
    path("<slug:slug>/consistency/", views.consistency, name="consistency"),
    path("<slug:slug>/tables/<str:code>.xlsx", views.table_export, name="table_export"),
    # Excel imports (plans/import_views.py): upload and preview, then confirm.
    path("<slug:slug>/tables/<str:code>/import/", import_views.table_upload, name="table_import"),
    path(
        "<slug:slug>/tables/<str:code>/import/confirm/",
        import_views.table_confirm,
        name="table_import_confirm",
    ),
    # Editing a plan in the browser (plans/edit_views.py): the issuing federation's staff.
    path(
        "<slug:slug>/programmes/<int:number>/edit/",
        edit_views.programme_edit,
        name="programme_edit",
    ),
    path(
        "<slug:slug>/programmes/<int:number>/indicators/add/",
        edit_views.indicator_add,
        name="indicator_add",
    ),
    path(
        "<slug:slug>/indicators/<str:code>/edit/",
        edit_views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<slug:slug>/indicators/<str:code>/delete/",
        edit_views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "<slug:slug>/programmes/<int:number>/steps/add/",
        edit_views.milestone_add,
        name="milestone_add",
    ),
    path(
        "<slug:slug>/programmes/<int:number>/steps/<int:order>/edit/",
        edit_views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "<slug:slug>/programmes/<int:number>/steps/<int:order>/delete/",
        edit_views.milestone_delete,
        name="milestone_delete",
    ),
    path("<slug:slug>/tables/<str:code>/edit/", edit_views.table_edit, name="table_edit"),
    path("<slug:slug>/unit-import/", import_views.units_upload, name="unit_import"),
    path(
        "<slug:slug>/unit-import/confirm/",
        import_views.units_confirm,
        name="unit_import_confirm",
    ),
]
