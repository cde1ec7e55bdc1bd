from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zeren.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit log: visible to the audit administrator, changeable by nobody."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "enterprise")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
