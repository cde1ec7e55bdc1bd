from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zeren.assessments.models import SelfAssessment, Submission


class Sufficiency(models.TextChoices):
    SUFFICIENT = "sufficient", _("充分")
    PARTIAL = "partial", _("部分充分")
    INSUFFICIENT = "insufficient", _("不足")


class ReviewAssignment(models.Model):
    """A reviewer assigned to a self-assessment: every submission of it, resubmissions included."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("评审专家"),
    )
    is_lead = models.BooleanField(_("组长"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    conflict_declared_at = models.DateTimeField(_("声明回避时间"), null=True, blank=True)
    conflict_reason = models.CharField(_("回避理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["self_assessment", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.self_assessment}"

    @property
    def is_active(self) -> bool:
        return self.conflict_declared_at is None


class ReviewRating(models.Model):
    """One reviewer's judgement of one indicator of one submission."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="ratings"
    )
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="ratings")
    indicator = models.PositiveIntegerField(_("序号"))
    level = models.PositiveSmallIntegerField(_("评审等级"), null=True, blank=True)
    sufficiency = models.CharField(
        _("证据充分性"), max_length=16, choices=Sufficiency.choices, blank=True
    )
    comment = models.TextField(_("评审意见"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")
        ordering = ["submission", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "submission", "indicator"], name="one_rating_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=5),
                name="rating_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} #{self.indicator}"

    def is_complete(self) -> bool:
        return self.level is not None and bool(self.sufficiency)


class Settlement(models.Model):
    """The organizer's level for an indicator where reviewers disagree."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="settlements")
    indicator = models.PositiveIntegerField(_("序号"))
    level = models.PositiveSmallIntegerField(_("认定等级"))
    note = models.TextField(_("说明"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    settled_at = models.DateTimeField(_("认定时间"), auto_now=True)

    class Meta:
        verbose_name = _("认定结果")
        verbose_name_plural = _("认定结果")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="one_settlement_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} #{self.indicator} = {self.level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not 1 <= self.level <= 5:
            raise ValueError("level must be 1..5")
        super().save(*args, **kwargs)
