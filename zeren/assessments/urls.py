from django.urls import path

from zeren.assessments import evidence_views, views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/activity/", views.activity, name="activity"),
    path("<int:pk>/cover/", views.save_cover, name="save_cover"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/start-from/", views.start_from, name="start_from"),
    path("<int:pk>/diff/", views.versions_diff, name="diff"),
    path("<int:pk>/pledge.docx", evidence_views.pledge_docx, name="pledge_docx"),
    path("<int:pk>/pledge/", evidence_views.pledge_upload, name="pledge_upload"),
    path("<int:pk>/files/<int:file_id>/", evidence_views.file_download, name="file"),
    path("<int:pk>/indicators/<int:number>/", views.indicator, name="indicator"),
    path("<int:pk>/indicators/<int:number>/save/", views.save_answer, name="save_answer"),
    path(
        "<int:pk>/indicators/<int:number>/evidence/",
        evidence_views.evidence_add,
        name="evidence_add",
    ),
    path("<int:pk>/indicators/<int:number>/upload/", evidence_views.upload, name="upload"),
    path("<int:pk>/indicators/<int:number>/comments/", views.comment, name="comment"),
    path("<int:pk>/evidence/<int:item_id>/", evidence_views.evidence_edit, name="evidence_edit"),
    path(
        "<int:pk>/evidence/<int:item_id>/delete/",
        evidence_views.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "<int:pk>/evidence/<int:item_id>/move/", evidence_views.evidence_move, name="evidence_move"
    ),
    path(
        "<int:pk>/evidence/<int:item_id>/files/<int:file_id>/remove/",
        evidence_views.evidence_detach,
        name="evidence_detach",
    ),
    path("submissions/<int:pk>/receipt/", views.receipt, name="receipt"),
]
