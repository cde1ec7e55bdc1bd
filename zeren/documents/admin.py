from typing import Any

from django.contrib import admin

from zeren.documents.models import DocumentJob, ImportBatch, ImportItem


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin[DocumentJob]):
    list_display = ("kind", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = ("result_key",)


class ImportItemInline(admin.TabularInline[ImportItem, Any]):
    model = ImportItem
    extra = 0
    fields = ("original_name", "status", "enterprise", "business_scope", "error_message")
    readonly_fields = ("original_name", "status", "error_message")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("campaign", "created_by", "created_at", "status", "progress")
    inlines = [ImportItemInline]
