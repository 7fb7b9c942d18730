from django.urls import path

from drafting import views

app_name = "drafting"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_review, name="review"),
    path("<int:pk>/plan/", views.draft_header, name="header"),
    path("<int:pk>/plan.yaml", views.plan_file, name="plan_file"),
    path("<int:pk>/generate/", views.draft_generate, name="generate"),
    path("<int:pk>/items/<str:key>/", views.item_decide, name="decide"),
    path("<int:pk>/programmes/<str:key>/accept/", views.accept_rest, name="accept_rest"),
    path("<int:pk>/items/<str:key>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/items/<str:key>/add/<str:kind>/", views.item_add, name="add"),
    path("<int:pk>/tables/<str:key>/rows/<int:row>/", views.row_resolve, name="row"),
    path("<int:pk>/tables/<str:key>/columns/", views.table_columns, name="columns"),
]
