"""Who holds which role: the membership predicates every floor may ask (from accounts' models
only). What each role may see and change is decided above the apps, in zeren.access."""

from __future__ import annotations

from typing import Any

from zeren.accounts.models import ENTERPRISE_ROLES, Membership, Role


def _memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zeren_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._zeren_memberships = cached
    return cached


def roles(user: Any) -> set[str]:
    return {m.role for m in _memberships(user)}


def is_organizer(user: Any) -> bool:
    return Role.ORGANIZER in roles(user)


def is_reviewer(user: Any) -> bool:
    return Role.REVIEWER in roles(user)


def is_audit_admin(user: Any) -> bool:
    return Role.AUDIT_ADMIN in roles(user)


def enterprise_ids(user: Any, *, admin_only: bool = False) -> set[int]:
    wanted = (Role.ENTERPRISE_ADMIN,) if admin_only else ENTERPRISE_ROLES
    return {m.enterprise_id for m in _memberships(user) if m.role in wanted and m.enterprise_id}


def is_enterprise_admin(user: Any, enterprise_id: int) -> bool:
    return enterprise_id in enterprise_ids(user, admin_only=True)
