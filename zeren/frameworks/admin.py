from django.contrib import admin

from zeren.frameworks.models import Area, Framework, Indicator, Level, Topic


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "version", "scoring_rule", "created_at")
    search_fields = ("title", "key")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "framework", "position")
    list_filter = ("framework",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "position")
    list_filter = ("area__framework",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "topic", "weight", "framework")
    list_filter = ("framework",)
    search_fields = ("name", "description")
    inlines = [LevelInline]
