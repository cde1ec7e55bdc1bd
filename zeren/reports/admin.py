from django.contrib import admin

from zeren.reports.models import CampaignResults, ImprovementAction


@admin.register(CampaignResults)
class CampaignResultsAdmin(admin.ModelAdmin[CampaignResults]):
    list_display = ("campaign", "computed_at", "released_at", "name_enterprises")
    readonly_fields = ("computed_at", "released_at", "released_by")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin[ImprovementAction]):
    list_display = ("enterprise", "indicator", "indicator_name", "owner", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("enterprise__name", "indicator_name", "action")
