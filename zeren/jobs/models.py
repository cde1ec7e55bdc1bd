"""What the job room keeps in the database beside django-tasks-db's queue: the workers'
heartbeats."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A `zeren worker` process says it is alive; a job whose worker stops beating is taken back."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Born in the ops app; the table keeps that name (backups and the restore check know it).
        db_table = "ops_workerheartbeat"
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
