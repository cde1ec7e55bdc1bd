from django.contrib import admin

from zeren.documents.models import DocumentJob


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin[DocumentJob]):
    list_display = ("kind", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = ("result_key",)
