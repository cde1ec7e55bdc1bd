from django.urls import path

from zeren.documents import import_views, views

app_name = "documents"

urlpatterns = [
    path("assessments/<int:pk>/form.docx", views.assessment_docx, name="assessment_docx"),
    path("assessments/<int:pk>/form.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("submissions/<int:pk>/form.docx", views.submission_docx, name="submission_docx"),
    path("submissions/<int:pk>/form.pdf", views.submission_pdf, name="submission_pdf"),
    path("submissions/<int:pk>/bundle.zip", views.submission_bundle, name="submission_bundle"),
    path("campaigns/<int:pk>/blank.docx", views.blank_docx, name="blank_docx"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/import/", import_views.upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.batch, name="import_batch"),
    path("imports/<int:pk>/confirm/", import_views.confirm_ready, name="import_confirm_ready"),
    path("import-items/<int:pk>/", import_views.item_update, name="import_item"),
    path("import-items/<int:pk>/source/", import_views.item_source, name="import_source"),
    path(
        "import-items/<int:pk>/crops/<int:number>.png",
        import_views.item_crop,
        name="import_crop",
    ),
    path("scan-checks/<int:pk>/", views.scan_check, name="scan_check"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
