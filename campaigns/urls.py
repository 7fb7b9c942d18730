from django.urls import path

from campaigns.views import naming, nominations, scoring

app_name = "campaigns"

# Each block is one part of a campaign's life; its views live in campaigns/views/<part>.py.
urlpatterns: list = [
    # -- campaigns and nominations (推荐, 资格审查) and scoring (评分) --
    path("plan/<slug:slug>/", nominations.campaign_list, name="list"),
    path("<int:pk>/", nominations.campaign_detail, name="campaign"),
    path("<int:pk>/nominate/", nominations.nomination_create, name="nominate"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", nominations.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/files/", nominations.nomination_files, name="nomination_files"),
    path("nominations/files/<int:pk>/", nominations.nomination_file, name="nomination_file"),
    path(
        "nominations/files/<int:pk>/remove/",
        nominations.nomination_file_remove,
        name="nomination_file_remove",
    ),
    path(
        "nominations/<int:pk>/steps/<slug:action>/",
        nominations.nomination_step,
        name="nomination_step",
    ),
    path("<int:pk>/scorers/", scoring.scorer_assign, name="scorer_assign"),
    path("scorers/<int:pk>/remove/", scoring.scorer_unassign, name="scorer_unassign"),
    path("<int:pk>/score/", scoring.score_sheet, name="score"),
    path("<int:pk>/close-scoring/", scoring.scoring_close, name="scoring_close"),
    # -- proposal, publicity (公示), objections, naming (命名) and withdrawal --
    path("<int:pk>/naming/", naming.naming, name="naming"),
    path("<int:pk>/naming/propose/", naming.propose, name="propose"),
    path("<int:pk>/naming/publicity/", naming.publicity_open, name="publicity_open"),
    path(
        "<int:pk>/naming/objections/<int:objection_pk>/answer/",
        naming.objection_answer,
        name="objection_answer",
    ),
    path("<int:pk>/naming/name/", naming.name, name="name"),
    path("<int:pk>/naming/decision.docx", naming.decision_docx, name="decision_docx"),
    path("<int:pk>/naming/certificates.xlsx", naming.certificates_xlsx, name="certificates_xlsx"),
    path(
        "designations/<int:pk>/withdraw/",
        naming.designation_withdraw,
        name="designation_withdraw",
    ),
    path("publicity/<slug:slug>/<slug:code>/", naming.publicity, name="publicity"),
]
