from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentJob(models.Model):
    """A document made in the background (PDF, a campaign's export), with its progress."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF 文档")
        CAMPAIGN_EXPORT = "campaign_export", _("整批导出")
        SCORECARD = "scorecard", _("评估报告")
        SCORECARDS = "scorecards", _("全部评估报告")
        INDUSTRY_REPORT = "industry_report", _("行业报告")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)  # 0–100
    message = models.CharField(_("说明"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    self_assessment = models.ForeignKey(
        "assessments.SelfAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    submission = models.ForeignKey(
        "assessments.Submission", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    result_key = models.CharField(max_length=200, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文档任务")
        verbose_name_plural = _("文档任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
