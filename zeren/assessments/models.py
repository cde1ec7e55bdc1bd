from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zeren.accounts.models import Enterprise
from zeren.frameworks.models import Indicator


class StoredFile(models.Model):
    """An uploaded file; content-addressed in storage, so the same bytes are stored once."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("佐证材料")
        PLEDGE_SCAN = "pledge_scan", _("盖章承诺书")
        IMPORT_SOURCE = "import_source", _("导入原件")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    self_assessment = models.ForeignKey(
        "SelfAssessment", on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.EVIDENCE)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.BigIntegerField(_("大小"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    original_name = models.CharField(_("文件名"), max_length=255)
    storage_key = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["original_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "kind", "sha256"], name="storedfile_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class SelfAssessment(models.Model):
    """One enterprise's living, editable form in one campaign (per assessed business)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("审核通过")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="self_assessments"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="self_assessments"
    )
    business_scope = models.CharField(_("自评业务版块或产品"), max_length=200)
    enterprise_name = models.CharField(_("企业名称（公章）"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_info = models.CharField(_("联系方式"), max_length=200, blank=True)
    submission_date = models.DateField(_("提交日期"), null=True, blank=True)
    pledge_lead = models.CharField(_("评估工作负责人"), max_length=100, blank=True)
    pledge_date = models.DateField(_("承诺日期"), null=True, blank=True)
    pledge_scan = models.ForeignKey(
        StoredFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("盖章承诺书扫描件"),
    )
    source_file = models.ForeignKey(
        StoredFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入原件"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock for the cover
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评材料")
        verbose_name_plural = _("自评材料")
        ordering = ["campaign", "enterprise__name", "business_scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise", "business_scope"], name="one_assessment_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.business_scope} · {self.campaign}"

    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Answer(models.Model):
    """The enterprise's answer to one indicator."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("企业自评"), null=True, blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    work_summary = models.TextField(_("相关工作情况介绍"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_answers",
        verbose_name=_("负责人"),
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock: a stale save is refused
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("指标填报")
        verbose_name_plural = _("指标填报")
        ordering = ["self_assessment", "indicator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "indicator"], name="one_answer_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=5),
                name="answer_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment_id} · {self.indicator}"


class EvidenceItem(models.Model):
    """One row of an indicator's evidence catalog (佐证材料目录)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    seq = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("材料名称"), max_length=300)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    text = models.TextField(_("文字内容"), blank=True)
    files = models.ManyToManyField(StoredFile, blank=True, related_name="evidence_items")

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["answer", "seq"]

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"


class AnswerComment(models.Model):
    """A colleague's comment on one indicator; may @mention others."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("内容"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["answer", "created_at"]

    def __str__(self) -> str:
        return self.body[:50]


class Submission(models.Model):
    """One submitted version of a self-assessment: an immutable snapshot with its receipt."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveIntegerField(_("版本"))
    snapshot = models.JSONField(_("快照"))
    sha256 = models.CharField("SHA-256", max_length=64)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        ordering = ["self_assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "number"], name="submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment} · 第{self.number}版"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Submission is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Submission is immutable")


class RevisionRequest(models.Model):
    """退回修改: the organizer returns a submission with comments on chosen indicators."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="revision_requests"
    )
    message = models.TextField(_("退回说明"), blank=True)
    comments = models.JSONField(_("指标意见"), default=list)  # [{"indicator": N, "comment": "..."}]
    deadline = models.DateTimeField(_("补充材料截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("退回时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退回修改")
        verbose_name_plural = _("退回修改")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.submission} · {self.created_at:%Y-%m-%d}"

    def indicator_numbers(self) -> list[int]:
        return [int(c["indicator"]) for c in self.comments]
