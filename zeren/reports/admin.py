from typing import Any

from django.contrib import admin

from zeren.reports.models import CampaignResults, FrameworkMapping, ImprovementAction, MappingEntry


@admin.register(CampaignResults)
class CampaignResultsAdmin(admin.ModelAdmin[CampaignResults]):
    list_display = ("campaign", "computed_at", "released_at", "name_enterprises")
    readonly_fields = ("computed_at", "released_at", "released_by")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin[ImprovementAction]):
    list_display = ("enterprise", "indicator", "indicator_name", "owner", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("enterprise__name", "indicator_name", "action")


class MappingEntryInline(admin.TabularInline[MappingEntry, Any]):
    model = MappingEntry
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "source_number", "target_number", "note")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # mappings are loaded from files (zeren load-mapping), validated as a whole


@admin.register(FrameworkMapping)
class FrameworkMappingAdmin(admin.ModelAdmin[FrameworkMapping]):
    list_display = ("source", "target", "loaded_at")
    inlines = [MappingEntryInline]
