from django.urls import path

from zeren.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/open/", views.transition, {"action": "open"}, name="open"),
    path("<int:pk>/close/", views.transition, {"action": "close"}, name="close"),
    path("<int:pk>/archive/", views.transition, {"action": "archive"}, name="archive"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/enterprises/", views.enterprises, name="enterprises"),
    path("<int:pk>/enterprises/add/", views.enterprise_add, name="enterprise_add"),
    path("<int:pk>/enterprises/import/", views.import_upload, name="import"),
    path("<int:pk>/enterprises/import/preview/", views.import_preview, name="import_preview"),
    path("<int:pk>/enterprises/import/confirm/", views.import_confirm, name="import_confirm"),
    path(
        "<int:pk>/enterprises/import/template.xlsx", views.import_template, name="import_template"
    ),
    path(
        "<int:pk>/invitations/<int:invitation_id>/resend/",
        views.resend,
        name="resend_invitation",
    ),
]
