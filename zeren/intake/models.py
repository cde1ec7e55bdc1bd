"""What comes in: Word forms an organizer imports in batches, and sealed scans checked against
the electronic form. The tables keep the names they were born with in the documents app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """Word forms an organizer uploads for a campaign, parsed in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("读取中")
        DONE = "done", _("读取完成")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)

    class Meta:
        db_table = "documents_importbatch"  # born in the documents app; the table kept its name
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"


class ImportItem(models.Model):
    """One uploaded file of a batch: what the parser read, and what the organizer confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待读取")
        READ = "read", _("待确认")
        FAILED = "failed", _("无法读取")
        DUPLICATE = "duplicate", _("重复文件")
        CONFIRMED = "confirmed", _("已导入")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.BigIntegerField(_("大小"))
    storage_key = models.CharField(max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(_("错误"), max_length=500, blank=True)
    form = models.JSONField(null=True, blank=True)  # FormData as read (and as corrected)
    problems = models.JSONField(default=list)
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("企业"),
    )
    business_scope = models.CharField(_("自评业务版块或产品"), max_length=200, blank=True)
    self_assessment = models.ForeignKey(
        "assessments.SelfAssessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "documents_importitem"
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")
        ordering = ["batch", "original_name", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ScanCheck(models.Model):
    """A sealed scan an enterprise uploaded, read in the background and compared with the
    electronic form: per indicator agree / differ / unreadable, and the seals."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("识别中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("无法识别")

    self_assessment = models.ForeignKey(
        "assessments.SelfAssessment", on_delete=models.CASCADE, related_name="scan_checks"
    )
    stored_file = models.ForeignKey(
        "assessments.StoredFile", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    compared_with = models.CharField(_("比对对象"), max_length=40, blank=True)
    result = models.JSONField(default=dict)  # rows, seals, problems (see scan_checks.compare)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        db_table = "documents_scancheck"
        verbose_name = _("纸质版比对")
        verbose_name_plural = _("纸质版比对")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.self_assessment_id} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def differing(self) -> list[int]:
        return [r["indicator"] for r in self.result.get("rows", []) if r["state"] == "differ"]

    @property
    def unreadable(self) -> list[int]:
        return [r["indicator"] for r in self.result.get("rows", []) if r["state"] == "unreadable"]
