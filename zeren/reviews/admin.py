from django.contrib import admin

from zeren.reviews.models import ReviewAssignment, ReviewRating, Settlement


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin[ReviewAssignment]):
    list_display = ("self_assessment", "reviewer", "is_lead", "assigned_at", "conflict_declared_at")
    list_filter = ("self_assessment__campaign",)


@admin.register(ReviewRating)
class ReviewRatingAdmin(admin.ModelAdmin[ReviewRating]):
    list_display = ("assignment", "submission", "indicator", "level", "sufficiency", "updated_at")
    list_filter = ("sufficiency",)


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin[Settlement]):
    list_display = ("submission", "indicator", "level", "settled_by", "settled_at")
