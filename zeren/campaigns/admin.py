from django.contrib import admin

from zeren.campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("title", "year", "framework", "status", "opens_at", "closes_at")
    list_filter = ("status", "year")
