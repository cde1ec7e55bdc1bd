"""评估工作: the organizer's yearly round, on one framework version, with a deadline."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zeren.frameworks.models import Framework


class Campaign(models.Model):
    """评估工作: one round (e.g. 2026年度) on one framework version, with a deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已截止")
        ARCHIVED = "archived", _("已归档")

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("指标体系")
    )
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    instructions = models.TextField(_("填报说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    consolidation_rule = models.CharField(_("评审汇总规则"), max_length=16, default="median")
    # What enterprises may see of the review; the organizer decides.
    release_levels = models.BooleanField(_("向企业公布评审等级"), default=False)
    release_comments = models.BooleanField(_("向企业公布评审意见"), default=False)
    release_scores = models.BooleanField(_("向企业公布评审得分"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        # The table keeps the name it had when campaigns lived in the assessments app.
        db_table = "assessments_campaign"
        verbose_name = _("评估工作")
        verbose_name_plural = _("评估工作")
        ordering = ["-year", "-opens_at"]

    def __str__(self) -> str:
        return self.title

    def is_accepting_submissions(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    def days_left(self, now: Any = None) -> int | None:
        """剩余天数: calendar days from today to the deadline's day, local time; 0 on the last
        day; None once the deadline has passed. The one rule every screen and e-mail shows."""
        now = now or timezone.now()
        if self.closes_at <= now:
            return None
        return (timezone.localdate(self.closes_at) - timezone.localdate(now)).days
