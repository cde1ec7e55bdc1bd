"""The audit log's rows: append-only events and the head of their hash chain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Only events older than the retention period (180 days at least) may be deleted."""
        keep = timezone.now() - timedelta(days=settings.ZEREN_AUDIT_RETENTION_DAYS)
        if self.filter(at__gt=keep).exists():
            raise RuntimeError(
                f"audit events younger than {settings.ZEREN_AUDIT_RETENTION_DAYS} days are kept"
            )
        return super().delete()

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("AuditEvent is append-only")


class AuditEvent(models.Model):
    """Append-only record: who, from where, what, on what, with what result, before, after.

    Each event's hash covers its content and the previous event's hash: a changed or removed
    event breaks the chain (`zeren audit verify`)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=100)  # dotted: self_assessment.submitted
    object_type = models.CharField(_("对象类型"), max_length=50)
    object_id = models.CharField(_("对象"), max_length=50)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_assessment = models.ForeignKey(
        "assessments.SelfAssessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS
    )
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # The table keeps the name it was born with in the assessments app: the database
        # triggers, old backups and the restore check all know it by that name.
        db_table = "assessments_auditevent"
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("AuditEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("AuditEvent is append-only")


class AuditChainHead(models.Model):
    """One row: the hash of the last audit event. Writers lock it, so the chain never forks."""

    last_hash = models.CharField(max_length=64, blank=True)
    last_event_id = models.BigIntegerField(null=True)
    # The prev_hash of the oldest event kept: moves forward when old events are purged.
    anchor_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "assessments_auditchainhead"

    def __str__(self) -> str:
        return f"#{self.last_event_id} {self.last_hash[:12]}"
