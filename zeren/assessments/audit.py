"""The audit log: one append-only AuditEvent per state change, in the change's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from zeren.assessments.models import AuditEvent, SelfAssessment


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: Any = None,
    after: Any = None,
    self_assessment: SelfAssessment | None = None,
) -> AuditEvent:
    enterprise_id = getattr(obj, "enterprise_id", None)
    if self_assessment is not None:
        enterprise_id = self_assessment.enterprise_id
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        enterprise_id=enterprise_id,
        self_assessment=self_assessment,
        before=before,
        after=after,
    )
