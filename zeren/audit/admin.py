from django.contrib import admin

from zeren.audit.models import AuditEvent
from zeren.lib.admin import ReadOnly


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin[AuditEvent]):
    """The audit log: visible to the audit administrator, changeable by nobody."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "enterprise")
    list_filter = ("action",)
