"""The audit log (安全审计): one append-only, hash-chained AuditEvent per state change, security
event or read of protected data, written in the change's transaction.

Every event carries time, actor, address, user agent, action, object and result. Its hash covers
those and the previous event's hash; the chain head is one locked row, so concurrent writers
(several gunicorn workers on PostgreSQL) append one after another and the chain never forks.
Long text is stored as a digest, never copied.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from zeren.audit.context import current_client
from zeren.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from zeren.assessments.models import SelfAssessment

# Text longer than this is kept in the audit log as its length, SHA-256 and first characters.
LONG_TEXT = 200


def _digest_long_text(value: Any) -> Any:
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return {
            "sha256": hashlib.sha256(value.encode("utf-8")).hexdigest(),
            "length": len(value),
            "start": value[:60],
        }
    if isinstance(value, dict):
        return {str(k): _digest_long_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_digest_long_text(v) for v in value]
    return value


def _normalise(value: Any) -> Any:
    """What the JSON column will give back: the hash is computed over exactly that."""
    if value is None:
        return None
    return json.loads(json.dumps(_digest_long_text(value), cls=DjangoJSONEncoder))


def event_hash(e: AuditEvent) -> str:
    at = e.at.astimezone(__import__("datetime").UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "prev": e.prev_hash,
        "at": at,
        "actor": e.actor_id,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "address": e.address or "",
        "user_agent": e.user_agent,
        "result": e.result,
        "before": e.before,
        "after": e.after,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    actor: Any,
    action: str,
    obj: models.Model | None,
    *,
    before: Any = None,
    after: Any = None,
    self_assessment: SelfAssessment | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Appends one event; the address and user agent come from the request being served."""
    enterprise_id = getattr(obj, "enterprise_id", None)
    if self_assessment is not None:
        enterprise_id = self_assessment.enterprise_id
    client = current_client()
    e = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        enterprise_id=enterprise_id,
        self_assessment=self_assessment,
        before=_normalise(before),
        after=_normalise(after),
        address=client.address,
        user_agent=client.user_agent[:300],
        result=result,
    )
    # No savepoint: inside the caller's transaction the event and the head commit with the change.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AuditChainHead.objects.get_or_create(pk=1)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        e.prev_hash = head.last_hash
        e.hash = event_hash(e)
        e.save()
        head.last_hash, head.last_event_id = e.hash, e.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return e


def purge_before(cutoff: Any) -> int:
    """Deletes the events older than cutoff (never younger than the retention period: the
    queryset refuses) and moves the chain's anchor to the oldest event kept."""
    # No savepoint: inside the caller's transaction the event and the head commit with the change.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        old = AuditEvent.objects.filter(at__lt=cutoff)
        last_old = old.order_by("-pk").first()
        if last_old is None or head is None:
            return 0
        # Events are appended in time order: everything up to the last old one goes.
        doomed = AuditEvent.objects.filter(pk__lte=last_old.pk)
        deleted, _ = doomed.delete()
        head.anchor_hash = last_old.hash
        head.save(update_fields=["anchor_hash"])
        record(
            None,
            "audit.purged",
            None,
            object_type="audit.auditevent",
            object_id=str(last_old.pk),
            after={"through": last_old.pk, "count": deleted},
        )
    return deleted


@dataclass(frozen=True)
class Break:
    event_id: int | None
    reason: str


def verify() -> Break | None:
    """The first event changed or removed, or None when the chain is whole."""
    head = AuditChainHead.objects.filter(pk=1).first()
    prev = head.anchor_hash if head is not None else ""
    last_id: int | None = None
    events: Iterator[AuditEvent] = AuditEvent.objects.order_by("pk").iterator(chunk_size=2000)
    for e in events:
        if e.prev_hash != prev:
            return Break(e.pk, "removed-before")
        if event_hash(e) != e.hash:
            return Break(e.pk, "changed")
        prev, last_id = e.hash, e.pk
    if head is not None and head.last_hash and (head.last_hash != prev):
        return Break(
            head.last_event_id, "removed-last" if last_id != head.last_event_id else "changed"
        )
    return None
