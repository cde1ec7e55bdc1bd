from typing import Any

from django.contrib import admin

from zeren.intake.models import ImportBatch, ImportItem


class ImportItemInline(admin.TabularInline[ImportItem, Any]):
    model = ImportItem
    extra = 0
    fields = ("original_name", "status", "enterprise", "business_scope", "error_message")
    readonly_fields = ("original_name", "status", "error_message")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("campaign", "created_by", "created_at", "status", "progress")
    inlines = [ImportItemInline]
