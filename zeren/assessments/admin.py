from typing import Any

from django.contrib import admin

from zeren.assessments.models import (
    Answer,
    EvidenceItem,
    RevisionRequest,
    SelfAssessment,
    StoredFile,
    Submission,
)
from zeren.lib.admin import ReadOnly


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin[SelfAssessment]):
    list_display = ("enterprise", "business_scope", "campaign", "status", "updated_at")
    list_filter = ("status", "campaign")
    search_fields = ("enterprise__name", "business_scope")


class EvidenceInline(admin.TabularInline[EvidenceItem, Any]):
    model = EvidenceItem
    extra = 0


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin[Answer]):
    list_display = ("self_assessment", "indicator", "level", "assignee", "updated_at")
    list_filter = ("self_assessment__campaign",)
    inlines = [EvidenceInline]


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin[StoredFile]):
    list_display = (
        "original_name",
        "content_type",
        "size",
        "sha256",
        "self_assessment",
        "uploaded_at",
    )
    readonly_fields = ("sha256", "size", "content_type", "storage_key")


@admin.register(Submission)
class SubmissionAdmin(ReadOnly, admin.ModelAdmin[Submission]):
    list_display = ("self_assessment", "number", "submitted_at", "submitted_by", "sha256")


@admin.register(RevisionRequest)
class RevisionRequestAdmin(admin.ModelAdmin[RevisionRequest]):
    list_display = ("submission", "created_at", "created_by", "deadline")
