from django.urls import path

from zeren.documents import views

app_name = "documents"

urlpatterns = [
    path("assessments/<int:pk>/form.docx", views.assessment_docx, name="assessment_docx"),
    path("assessments/<int:pk>/form.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("submissions/<int:pk>/form.docx", views.submission_docx, name="submission_docx"),
    path("submissions/<int:pk>/form.pdf", views.submission_pdf, name="submission_pdf"),
    path("submissions/<int:pk>/bundle.zip", views.submission_bundle, name="submission_bundle"),
    path("campaigns/<int:pk>/blank.docx", views.blank_docx, name="blank_docx"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
