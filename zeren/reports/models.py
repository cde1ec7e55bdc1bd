"""评估结果: a campaign's results, computed once from the review and kept as rows so that every
cohort figure is an aggregate in the database; and the 整改 items enterprises keep."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zeren.accounts.models import Enterprise
from zeren.assessments.models import SelfAssessment, Submission
from zeren.campaigns.models import Campaign


class CampaignResults(models.Model):
    """The state of a campaign's results: when computed, when released to the enterprises."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="results")
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name_enterprises = models.BooleanField(_("行业报告中列出企业名称和得分"), default=False)
    narratives = models.JSONField(_("报告文字"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")

    def __str__(self) -> str:
        return str(self.campaign)

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class AssessmentResult(models.Model):
    """One self-assessment's result: its latest submission's self and reviewed scores."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    self_assessment = models.OneToOneField(
        SelfAssessment, on_delete=models.CASCADE, related_name="result"
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    segment = models.CharField(_("平台类型"), max_length=16, blank=True)
    self_total = models.DecimalField(
        _("自评总分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reviewed_total = models.DecimalField(
        _("评审总分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    topics = models.JSONField(default=list)  # [{"area", "topic", "self", "reviewed"}]
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("自评结果")
        verbose_name_plural = _("自评结果")
        indexes = [
            models.Index(fields=["campaign", "reviewed_total"], name="result_campaign_total"),
            models.Index(fields=["campaign", "segment"], name="result_campaign_segment"),
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment_id}: {self.reviewed_total}"


class AreaResult(models.Model):
    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="areas")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    self_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reviewed_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "position"], name="arearesult_campaign")]

    def __str__(self) -> str:
        return f"{self.result_id} · {self.name}"


class IndicatorResult(models.Model):
    result = models.ForeignKey(
        AssessmentResult, on_delete=models.CASCADE, related_name="indicators"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    indicator = models.PositiveIntegerField(_("序号"))
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    reviewed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reviewed_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    disagreement = models.BooleanField(default=False)
    settled = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "indicator"], name="indresult_campaign_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.result_id} · {self.indicator}"


class ImprovementAction(models.Model):
    """整改: what an enterprise will do about an improvement area, kept up to date."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("未开始")
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已完成")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    indicator = models.PositiveIntegerField(_("序号"))
    indicator_name = models.CharField(_("三级指标"), max_length=200)
    action = models.TextField(_("整改措施"))
    owner = models.CharField(_("责任人"), max_length=100)
    due_date = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator_name}: {self.action[:30]}"
