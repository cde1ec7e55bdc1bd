"""Enterprises and their people."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zeren.accounts.models import Enterprise, User
from zeren.accounts.roles import enterprise_ids, is_organizer


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    if is_organizer(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(pk__in=enterprise_ids(user))


def colleagues(user: Any, enterprise_id: int) -> QuerySet[User]:
    """The people of one enterprise, for assigning and @mentions; empty for outsiders."""
    if enterprise_id not in enterprise_ids(user) and not is_organizer(user):
        return User.objects.none()
    return (
        User.objects.filter(memberships__enterprise_id=enterprise_id, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )
