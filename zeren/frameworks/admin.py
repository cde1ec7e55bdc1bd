from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zeren.frameworks.models import (
    Area,
    Framework,
    FrameworkMapping,
    Indicator,
    Level,
    MappingEntry,
    Topic,
)
from zeren.lib.admin import ReadOnly


class LevelInline(ReadOnly, admin.TabularInline[Level, Any]):
    model = Level
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnly, admin.ModelAdmin[Framework]):
    list_display = ("title", "key", "version", "scoring_rule", "created_at")
    search_fields = ("title", "key")


@admin.register(Area)
class AreaAdmin(ReadOnly, admin.ModelAdmin[Area]):
    list_display = ("name", "framework", "position")
    list_filter = ("framework",)


@admin.register(Topic)
class TopicAdmin(ReadOnly, admin.ModelAdmin[Topic]):
    list_display = ("name", "area", "position")
    list_filter = ("area__framework",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly, admin.ModelAdmin[Indicator]):
    list_display = ("number", "name", "topic", "weight", "framework")
    list_filter = ("framework",)
    search_fields = ("name", "description")
    inlines = [LevelInline]


class MappingEntryInline(admin.TabularInline[MappingEntry, Any]):
    model = MappingEntry
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "source_number", "target_number", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # mappings are loaded from files (zeren load-mapping), validated as a whole


@admin.register(FrameworkMapping)
class FrameworkMappingAdmin(admin.ModelAdmin[FrameworkMapping]):
    list_display = ("source", "target", "loaded_at")
    inlines = [MappingEntryInline]
