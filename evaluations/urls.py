from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("<slug:slug>/", views.index, name="index"),
    path("<slug:slug>/rubrics/<int:rubric>/self/", views.self_assessment, name="self"),
    path("<slug:slug>/rubrics/<int:rubric>/", views.evaluation_list, name="list"),
    path("<slug:slug>/rubrics/<int:rubric>/results/", views.results, name="results"),
    path(
        "<slug:slug>/rubrics/<int:rubric>/results.xlsx",
        views.results_export,
        name="results_export",
    ),
    path("evaluation/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluation/<int:pk>/submit/", views.evaluation_submit, name="submit"),
    path("evaluation/<int:pk>/confirm/", views.evaluation_confirm, name="confirm"),
    path("evaluation/<int:pk>/send-back/", views.evaluation_send_back, name="send_back"),
    path("evaluation/<int:pk>/approve/", views.evaluation_approve, name="approve"),
    path("evaluation/<int:pk>/return/", views.evaluation_return, name="return"),
    path("evaluation/<int:pk>/reopen/", views.evaluation_reopen, name="reopen"),
    path("files/<int:pk>/", views.evaluation_file, name="file"),
]
