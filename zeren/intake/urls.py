# Served under /documents/ as before the intake room existed: bookmarks and links in mails keep
# working.
from django.urls import path

from zeren.intake import views

app_name = "intake"

urlpatterns = [
    path("campaigns/<int:pk>/import/", views.upload, name="import_upload"),
    path("imports/<int:pk>/", views.batch, name="import_batch"),
    path("imports/<int:pk>/confirm/", views.confirm_ready, name="import_confirm_ready"),
    path("import-items/<int:pk>/", views.item_update, name="import_item"),
    path("import-items/<int:pk>/source/", views.item_source, name="import_source"),
    path("import-items/<int:pk>/crops/<int:number>.png", views.item_crop, name="import_crop"),
    path("scan-checks/<int:pk>/", views.scan_check, name="scan_check"),
]
