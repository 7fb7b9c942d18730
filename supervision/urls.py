from django.urls import path

from supervision import notice_views, views

app_name = "supervision"

urlpatterns = [
    path("<slug:slug>/steps/", views.step_list, name="steps"),
    path("<slug:slug>/steps/<int:pk>/", views.step_detail, name="step"),
    path("<slug:slug>/steps/<int:pk>/complete/", views.step_complete, name="step_complete"),
    path("<slug:slug>/steps/<int:pk>/schedule/", views.step_schedule, name="step_schedule"),
    path("completions/<int:pk>/undo/", views.completion_undo, name="completion_undo"),
    path("completions/<int:pk>/file/", views.completion_file, name="completion_file"),
    # 督办单
    path("<slug:slug>/notices/", notice_views.notice_list, name="notices"),
    path("<slug:slug>/notices/new/", notice_views.notice_issue, name="notice_issue"),
    path(
        "<slug:slug>/units/<slug:code>/notices/",
        notice_views.unit_notices,
        name="unit_notices",
    ),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice"),
    path("notices/<int:pk>/sign/", notice_views.notice_sign, name="notice_sign"),
    path("notices/<int:pk>/reply/", notice_views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/close/", notice_views.notice_close, name="notice_close"),
    path("notices/<int:pk>/return/", notice_views.notice_return, name="notice_return"),
    path("notices/files/<int:pk>/", notice_views.notice_file, name="notice_file"),
]
