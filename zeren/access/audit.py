"""The audit log: read whole by the 审计管理员 alone (三员分立); a self-assessment's own events
as a timeline of sentences for whoever sees the self-assessment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zeren.accounts.roles import is_audit_admin
from zeren.assessments.models import Answer
from zeren.audit.models import AuditEvent
from zeren.reviews.models import ReviewRating
from zeren.security.audit_text import describe


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """The whole audit log for the 审计管理员 (三员分立: nobody else reads it here); 404 otherwise."""
    if not is_audit_admin(user):
        raise Http404
    return AuditEvent.objects.all()


def describe_all(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, str]]:
    """Sentences for a timeline, with the indicator numbers of answer events in one query."""
    events = list(events)

    def ids(object_type: str) -> list[int]:
        return [
            int(e.object_id)
            for e in events
            if e.object_type == object_type and e.object_id.isdigit()
        ]

    numbers = {
        ("assessments.answer", pk): n
        for pk, n in Answer.objects.filter(pk__in=ids("assessments.answer")).values_list(
            "pk", "indicator__number"
        )
    }
    numbers |= {
        ("reviews.reviewrating", pk): n
        for pk, n in ReviewRating.objects.filter(pk__in=ids("reviews.reviewrating")).values_list(
            "pk", "indicator"
        )
    }
    out = []
    for e in events:
        key = (e.object_type, int(e.object_id)) if e.object_id.isdigit() else None
        out.append((e, describe(e, numbers.get(key) if key else None)))
    return out
