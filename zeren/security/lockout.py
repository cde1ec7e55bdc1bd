"""Lockout (身份鉴别): 5 failed logins within 15 minutes lock the account and, separately, the
address. A locked login fails with the same message as a wrong password. The 安全管理员 unlocks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zeren.security.models import LoginFailure


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.ZEREN_LOCKOUT_MINUTES)


def failures(*, username: str = "", address: str | None = None) -> int:
    q = Q(pk__in=[])
    if username:
        q |= Q(username=username.lower())
    if address:
        q |= Q(address=address)
    return LoginFailure.objects.filter(q, at__gte=_window_start()).count()


def account_locked(username: str) -> bool:
    return bool(username) and failures(username=username) >= settings.ZEREN_LOCKOUT_FAILURES


def address_locked(address: str | None) -> bool:
    if not address:
        return False
    n = LoginFailure.objects.filter(address=address, at__gte=_window_start()).count()
    return n >= settings.ZEREN_LOCKOUT_FAILURES


def is_locked(username: str, address: str | None) -> bool:
    return account_locked(username) or address_locked(address)


def add_failure(username: str, address: str | None) -> bool:
    """Records a failure; True when this failure locks the account or the address."""
    was = is_locked(username, address)
    LoginFailure.objects.create(username=username.lower()[:254], address=address)
    return not was and is_locked(username, address)


def clear_account(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def locked_accounts() -> list[str]:
    from django.db.models import Count

    rows = (
        LoginFailure.objects.filter(at__gte=_window_start())
        .values("username")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.ZEREN_LOCKOUT_FAILURES)
    )
    return sorted(r["username"] for r in rows)


def unlock(*, username: str = "", address: str | None = None) -> int:
    q = Q(pk__in=[])
    if username:
        q |= Q(username=username.lower())
    if address:
        q |= Q(address=address)
    deleted, _ = LoginFailure.objects.filter(q).delete()
    return deleted
